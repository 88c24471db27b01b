import { sql, type Kysely } from "kysely";
import { numberedKey } from "./portable.ts";

// Frozen in time: this file never imports application code.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("settings")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("value_json", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("updated_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .execute();

  await db.schema
    .alterTable("courses")
    .addColumn("trainers_needed", "integer", (c) => c.notNull().defaultTo(1))
    .execute();

  await db.schema
    .createTable("booking_requests")
    .addColumn("id", "integer", numberedKey(db))
    .addColumn("organisation_id", "integer", (c) => c.notNull().references("organisations.id"))
    .addColumn("requested_by", "integer", (c) => c.notNull().references("users.id"))
    .addColumn("course_id", "integer", (c) => c.notNull().references("courses.id"))
    .addColumn("group_size", "integer", (c) => c.notNull())
    .addColumn("audience", "text", (c) => c.notNull().check(sql`audience in ('students', 'staff', 'venue_staff', 'mixed')`))
    .addColumn("location_kind", "text", (c) => c.notNull().check(sql`location_kind in ('campus', 'own_premises')`))
    .addColumn("address", "text")
    .addColumn("accessibility_needs", "text")
    .addColumn("notes", "text")
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('requested', 'scheduled', 'declined', 'cancelled')`))
    .addColumn("status_reason", "text")
    .addColumn("session_id", "integer")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("booking_requests_org_idx").on("booking_requests").columns(["organisation_id", "created_at"]).execute();
  await db.schema.createIndex("booking_requests_status_idx").on("booking_requests").columns(["status", "created_at"]).execute();

  await db.schema
    .createTable("booking_request_times")
    .addColumn("request_id", "integer", (c) => c.notNull().references("booking_requests.id").onDelete("cascade"))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("starts_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("booking_request_times_pk", ["request_id", "position"])
    .execute();

  await db.schema
    .createTable("sessions")
    .addColumn("id", "integer", numberedKey(db))
    .addColumn("course_id", "integer", (c) => c.notNull().references("courses.id"))
    .addColumn("booking_request_id", "integer", (c) => c.references("booking_requests.id"))
    .addColumn("organisation_id", "integer", (c) => c.references("organisations.id"))
    .addColumn("starts_at", "text", (c) => c.notNull())
    .addColumn("ends_at", "text", (c) => c.notNull())
    .addColumn("duration_minutes", "integer", (c) => c.notNull())
    .addColumn("room_id", "integer", (c) => c.references("rooms.id"))
    .addColumn("address", "text")
    .addColumn("capacity", "integer", (c) => c.notNull())
    .addColumn("trainers_needed", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('scheduled', 'cancelled', 'delivered')`))
    .addColumn("cancel_reason", "text")
    .addColumn("ical_uid", "text", (c) => c.notNull().unique())
    .addColumn("ical_sequence", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("sessions_starts_idx").on("sessions").columns(["starts_at", "status"]).execute();
  await db.schema.createIndex("sessions_room_idx").on("sessions").columns(["room_id", "starts_at"]).execute();
  await db.schema.createIndex("sessions_org_idx").on("sessions").columns(["organisation_id", "starts_at"]).execute();

  await db.schema
    .createTable("session_trainers")
    .addColumn("session_id", "integer", (c) => c.notNull().references("sessions.id").onDelete("cascade"))
    .addColumn("trainer_id", "integer", (c) => c.notNull().references("users.id"))
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('assigned', 'accepted', 'declined')`))
    .addColumn("assigned_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("assigned_at", "text", (c) => c.notNull())
    .addColumn("responded_at", "text")
    .addColumn("decline_reason", "text")
    .addColumn("override_reason", "text")
    .addPrimaryKeyConstraint("session_trainers_pk", ["session_id", "trainer_id"])
    .execute();
  await db.schema.createIndex("session_trainers_trainer_idx").on("session_trainers").columns(["trainer_id", "status"]).execute();

  await db.schema
    .createTable("trainer_profiles")
    .addColumn("user_id", "integer", (c) => c.primaryKey().references("users.id").onDelete("cascade"))
    .addColumn("max_sessions_per_week", "integer", (c) => c.notNull().defaultTo(4))
    .addColumn("feed_token_hash", "text", (c) => c.unique())
    .addColumn("feed_token_created_at", "text")
    .execute();

  await db.schema
    .createTable("trainer_availability")
    .addColumn("id", "integer", numberedKey(db))
    .addColumn("trainer_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("weekday", "integer", (c) => c.notNull().check(sql`weekday between 1 and 7`))
    .addColumn("start_time", "text", (c) => c.notNull())
    .addColumn("end_time", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("trainer_availability_trainer_idx").on("trainer_availability").column("trainer_id").execute();

  await db.schema
    .createTable("trainer_time_off")
    .addColumn("id", "integer", numberedKey(db))
    .addColumn("trainer_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("starts_at", "text", (c) => c.notNull())
    .addColumn("ends_at", "text", (c) => c.notNull())
    .addColumn("reason", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("trainer_time_off_trainer_idx").on("trainer_time_off").columns(["trainer_id", "starts_at"]).execute();

  await db.schema
    .createTable("reminders_sent")
    .addColumn("session_id", "integer", (c) => c.notNull().references("sessions.id").onDelete("cascade"))
    .addColumn("recipient_email", "text", (c) => c.notNull())
    .addColumn("sent_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("reminders_sent_pk", ["session_id", "recipient_email"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    "reminders_sent",
    "trainer_time_off",
    "trainer_availability",
    "trainer_profiles",
    "session_trainers",
    "sessions",
    "booking_request_times",
    "booking_requests",
    "settings",
  ]) {
    await db.schema.dropTable(t).execute();
  }
  await db.schema.alterTable("courses").dropColumn("trainers_needed").execute();
}
