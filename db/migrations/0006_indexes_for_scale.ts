import type { Kysely } from "kysely";

// Frozen in time: this file never imports application code.
export async function up(db: Kysely<any>): Promise<void> {
  // The request queue's sessions still short of trainers: scheduled ones from now on, not every session ever held.
  await db.schema.createIndex("sessions_status_starts_idx").on("sessions").columns(["status", "starts_at"]).execute();
  // A session's present attendees and who they were, from the index alone: the impact report counts
  // them (and the people among them) for thousands of sessions a year without reading each row.
  await db.schema
    .createIndex("registrations_session_present_idx")
    .on("registrations")
    .columns(["session_id", "status", "attendance", "email", "student_id"])
    .execute();
  // The report's feedback sums per session, from the index alone.
  await db.schema
    .createIndex("feedback_responses_session_answers_idx")
    .on("feedback_responses")
    .columns(["session_id", "recommend", "confidence_before", "confidence_after"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("feedback_responses_session_answers_idx").execute();
  await db.schema.dropIndex("registrations_session_present_idx").execute();
  await db.schema.dropIndex("sessions_status_starts_idx").execute();
}
