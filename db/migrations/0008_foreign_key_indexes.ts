import type { Kysely } from "kysely";

// Frozen in time: this file never imports application code.
export async function up(db: Kysely<any>): Promise<void> {
  // SQLite finds the rows that point at a deleted (or, while constraints are unsettled, inserted)
  // registration or email by their own column: without an index it reads the whole table, once per row.
  // A closed register counts the feedback links sent for its session, by registration.
  await db.schema.createIndex("feedback_tokens_registration_idx").on("feedback_tokens").column("registration_id").execute();
  await db.schema.createIndex("leader_completions_registration_idx").on("leader_completions").column("registration_id").execute();
  await db.schema.createIndex("leader_reminders_email_message_idx").on("leader_reminders").column("email_message_id").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("leader_reminders_email_message_idx").execute();
  await db.schema.dropIndex("leader_completions_registration_idx").execute();
  await db.schema.dropIndex("feedback_tokens_registration_idx").execute();
}
