import { sql, type Kysely } from "kysely";
import { onPostgres } from "./portable.ts";

// Frozen in time: this file never imports application code.

const ROOM_EVENTS = ["insert", "update", "delete"] as const;

export async function up(db: Kysely<any>): Promise<void> {
  // SQLite finds the rows that point at a deleted (or, while constraints are unsettled, inserted)
  // registration or email by their own column: without an index it reads the whole table, once per row.
  // A closed register also counts the feedback links sent for its session, by registration.
  await db.schema.createIndex("feedback_tokens_registration_idx").on("feedback_tokens").column("registration_id").execute();
  await db.schema.createIndex("leader_completions_registration_idx").on("leader_completions").column("registration_id").execute();
  await db.schema.createIndex("leader_reminders_email_message_idx").on("leader_reminders").column("email_message_id").execute();
  // Trainers' calendar feeds are kept against the record version, and they name each session's room.
  if (onPostgres(db)) return;
  for (const event of ROOM_EVENTS) {
    await sql
      .raw(
        `create trigger rooms_${event}_bumps_version after ${event} on rooms begin update record_versions set version = version + 1 where name = 'records'; end`,
      )
      .execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!onPostgres(db)) for (const event of ROOM_EVENTS) await sql.raw(`drop trigger if exists rooms_${event}_bumps_version`).execute(db);
  await db.schema.dropIndex("leader_reminders_email_message_idx").execute();
  await db.schema.dropIndex("leader_completions_registration_idx").execute();
  await db.schema.dropIndex("feedback_tokens_registration_idx").execute();
}
