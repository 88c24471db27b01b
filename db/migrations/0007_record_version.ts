import { sql, type Kysely } from "kysely";
import { onPostgres } from "./portable.ts";

// Frozen in time: this file never imports application code.

/**
 * One number that goes up whenever a record that the reports and the compliance figures read is
 * written, by this app or by any other process on the same database (the jobs runner, a restore, a
 * script). Pages cache what they compute against it, so a cached figure can never outlive the data
 * it came from.
 */
const WATCHED = [
  "sessions",
  "session_trainers",
  "registrations",
  "feedback_responses",
  "organisations",
  "courses",
  "booking_requests",
  "user_roles",
  "leader_roles",
  "leader_role_requirements",
  "leader_years",
  "leader_people",
  "leader_appointments",
  "leader_completions",
  "leader_exemptions",
  "leader_match_dismissals",
  "leader_reminders",
] as const;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("record_versions")
    .addColumn("name", "text", (c) => c.primaryKey())
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.insertInto("record_versions").values({ name: "records", version: 0 }).execute();
  if (onPostgres(db)) return;
  for (const table of [...WATCHED, "users"]) {
    for (const event of ["insert", "update", "delete"] as const) {
      // A person's name is shown in the reports (trainers); signing in, which touches other columns, is not.
      const on = table === "users" && event === "update" ? "update of name, email, is_active" : event;
      await sql
        .raw(
          `create trigger ${table}_${event}_bumps_version after ${on} on ${table} ` +
            `begin update record_versions set version = version + 1 where name = 'records'; end`,
        )
        .execute(db);
    }
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of onPostgres(db) ? [] : [...WATCHED, "users"]) {
    for (const event of ["insert", "update", "delete"]) {
      await sql.raw(`drop trigger if exists ${table}_${event}_bumps_version`).execute(db);
    }
  }
  await db.schema.dropTable("record_versions").execute();
}
