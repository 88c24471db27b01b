import type { Kysely } from "kysely";
import { numberedKey } from "./portable.ts";

// Frozen in time: this file never imports application code.

export async function up(db: Kysely<any>): Promise<void> {
  // A booker's request to change a scheduled booking, waiting in the coordinator's queue until it is
  // accepted (the session moved, or the new numbers taken) or declined with a reason.
  await db.schema
    .createTable("booking_changes")
    .addColumn("id", "integer", numberedKey(db))
    .addColumn("request_id", "integer", (c) => c.notNull().references("booking_requests.id").onDelete("cascade"))
    .addColumn("asked_by", "integer", (c) => c.notNull().references("users.id"))
    .addColumn("preferred_starts_at", "text")
    .addColumn("group_size", "integer")
    .addColumn("accessibility_needs", "text")
    .addColumn("message", "text")
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("answer_reason", "text")
    .addColumn("answered_by", "integer", (c) => c.references("users.id"))
    .addColumn("answered_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("booking_changes_request_idx").on("booking_changes").columns(["request_id", "status"]).execute();
  await db.schema.createIndex("booking_changes_status_idx").on("booking_changes").columns(["status", "created_at"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("booking_changes").execute();
}
