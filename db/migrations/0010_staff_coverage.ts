import { sql, type Kysely } from "kysely";
import { numberedKey, onPostgres } from "./portable.ts";

// Frozen in time: this file never imports application code.

/**
 * Partner venues' and staff teams' staff lists, beside the leader tables rather than merged into them:
 * a staff member belongs to an organisation (a venue or a staff team), holds one of the campaign's
 * staff roles, and is trained when their role's courses are done within their validity.
 */
const WATCHED = ["staff_roles", "staff_role_requirements", "staff_members", "staff_completions", "staff_exemptions"] as const;

export async function up(db: Kysely<any>): Promise<void> {
  // The campaign's roles, shared by every venue: a door supervisor needs the same training anywhere.
  await db.schema
    .createTable("staff_roles")
    .addColumn("id", "integer", numberedKey(db))
    .addColumn("name", "text", (c) => c.notNull().unique())
    .addColumn("description", "text")
    .addColumn("is_archived", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("staff_role_requirements")
    .addColumn("role_id", "integer", (c) => c.notNull().references("staff_roles.id").onDelete("cascade"))
    .addColumn("course_id", "integer", (c) => c.notNull().references("courses.id"))
    .addColumn("validity", "text", (c) => c.notNull().check(sql`validity in ('once', 'months')`))
    .addColumn("validity_months", "integer")
    .addPrimaryKeyConstraint("staff_role_requirements_pk", ["role_id", "course_id"])
    .addCheckConstraint(
      "staff_role_requirements_months",
      sql`(validity = 'months' and validity_months between 1 and 120) or (validity = 'once' and validity_months is null)`,
    )
    .execute();

  await db.schema
    .createTable("staff_members")
    .addColumn("id", "integer", numberedKey(db))
    .addColumn("organisation_id", "integer", (c) => c.notNull().references("organisations.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("email", "text", (c) => c.notNull())
    .addColumn("staff_number", "text")
    .addColumn("employer", "text")
    .addColumn("role_id", "integer", (c) => c.notNull().references("staff_roles.id"))
    .addColumn("started_on", "text", (c) => c.notNull())
    .addColumn("ended_on", "text")
    .addColumn("end_reason", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addUniqueConstraint("staff_members_one_per_venue", ["organisation_id", "email"])
    .execute();
  await db.schema
    .createIndex("staff_members_staff_number_idx")
    .on("staff_members")
    .columns(["organisation_id", "staff_number"])
    .unique()
    .where(sql.ref("staff_number"), "is not", null)
    .execute();
  // Erasure and the export find a person's staff records by address.
  await db.schema.createIndex("staff_members_email_idx").on("staff_members").column("email").execute();

  await db.schema
    .createTable("staff_completions")
    .addColumn("id", "integer", numberedKey(db))
    .addColumn("member_id", "integer", (c) => c.notNull().references("staff_members.id").onDelete("cascade"))
    .addColumn("course_id", "integer", (c) => c.notNull().references("courses.id"))
    .addColumn("completed_on", "text", (c) => c.notNull())
    .addColumn("provider", "text", (c) => c.notNull())
    .addColumn("evidence_note", "text")
    .addColumn("recorded_by", "integer", (c) => c.references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("withdrawn_at", "text")
    .addColumn("withdrawn_by", "integer", (c) => c.references("users.id"))
    .addColumn("withdraw_reason", "text")
    .execute();
  await db.schema.createIndex("staff_completions_member_idx").on("staff_completions").columns(["member_id", "course_id"]).execute();

  await db.schema
    .createTable("staff_exemptions")
    .addColumn("id", "integer", numberedKey(db))
    .addColumn("member_id", "integer", (c) => c.notNull().references("staff_members.id").onDelete("cascade"))
    .addColumn("course_id", "integer", (c) => c.references("courses.id")) // null: every course
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("granted_by", "text", (c) => c.notNull())
    .addColumn("recorded_by", "integer", (c) => c.references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("withdrawn_at", "text")
    .addColumn("withdrawn_by", "integer", (c) => c.references("users.id"))
    .addColumn("withdraw_reason", "text")
    .execute();
  await db.schema.createIndex("staff_exemptions_member_idx").on("staff_exemptions").column("member_id").execute();

  // The impact report's venue figures are cached against the record version (ADR 009).
  if (onPostgres(db)) return;
  for (const table of WATCHED) {
    for (const event of ["insert", "update", "delete"] as const) {
      await sql
        .raw(
          `create trigger ${table}_${event}_bumps_version after ${event} on ${table} ` +
            `begin update record_versions set version = version + 1 where name = 'records'; end`,
        )
        .execute(db);
    }
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of onPostgres(db) ? [] : WATCHED) {
    for (const event of ["insert", "update", "delete"]) await sql.raw(`drop trigger if exists ${table}_${event}_bumps_version`).execute(db);
  }
  for (const t of ["staff_exemptions", "staff_completions", "staff_members", "staff_role_requirements", "staff_roles"]) {
    await db.schema.dropTable(t).execute();
  }
}
