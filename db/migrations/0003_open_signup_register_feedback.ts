import { sql, type Kysely } from "kysely";
import { numberedKey } from "./portable.ts";

// Frozen in time: this file never imports application code.
export async function up(db: Kysely<any>): Promise<void> {
  for (const [name, type, build] of [
    ["kind", "text", (c: any) => c.notNull().defaultTo("booked")],
    ["title", "text", (c: any) => c],
    ["signup_deadline", "text", (c: any) => c],
    ["signup_policy", "text", (c: any) => c.notNull().defaultTo("anyone")],
    ["signup_domain", "text", (c: any) => c],
    ["asks_student_id", "integer", (c: any) => c.notNull().defaultTo(0)],
    ["question", "text", (c: any) => c],
    ["promotion_cutoff_hours", "integer", (c: any) => c.notNull().defaultTo(2)],
    ["register_closed_at", "text", (c: any) => c],
    ["head_count", "integer", (c: any) => c],
    ["feedback_code", "text", (c: any) => c],
  ] as const) {
    await db.schema.alterTable("sessions").addColumn(name, type, build).execute();
  }
  await db.schema.createIndex("sessions_kind_idx").on("sessions").columns(["kind", "starts_at"]).execute();
  await db.schema.createIndex("sessions_feedback_code_idx").on("sessions").column("feedback_code").unique().execute();

  await db.schema
    .createTable("signup_allowlist")
    .addColumn("session_id", "integer", (c) => c.notNull().references("sessions.id").onDelete("cascade"))
    .addColumn("email", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("signup_allowlist_pk", ["session_id", "email"])
    .execute();

  await db.schema
    .createTable("registrations")
    .addColumn("id", "integer", numberedKey(db))
    .addColumn("session_id", "integer", (c) => c.notNull().references("sessions.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("email", "text")
    .addColumn("student_id", "text")
    .addColumn("accessibility_needs", "text")
    .addColumn("answer", "text")
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('registered', 'waiting', 'cancelled')`))
    .addColumn("attendance", "text", (c) =>
      c
        .notNull()
        .defaultTo("unknown")
        .check(sql`attendance in ('unknown', 'present', 'absent')`),
    )
    .addColumn("walk_in", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("manage_token_hash", "text", (c) => c.unique())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("promoted_at", "text")
    .addColumn("cancelled_at", "text")
    .addColumn("attendance_marked_at", "text")
    .execute();
  await db.schema.createIndex("registrations_session_idx").on("registrations").columns(["session_id", "status", "id"]).execute();
  await db.schema.createIndex("registrations_email_idx").on("registrations").column("email").execute();
  // One live place per email per session, whatever the page does.
  await db.schema
    .createIndex("registrations_one_live_place")
    .on("registrations")
    .columns(["session_id", "email"])
    .unique()
    .where(sql.ref("status"), "!=", "cancelled")
    .execute();

  await db.schema
    .createTable("feedback_tokens")
    .addColumn("id", "integer", numberedKey(db))
    .addColumn("registration_id", "integer", (c) => c.notNull().references("registrations.id").onDelete("cascade"))
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("used_at", "text")
    .execute();

  await db.schema
    .createTable("feedback_responses")
    .addColumn("id", "integer", numberedKey(db))
    .addColumn("session_id", "integer", (c) => c.notNull().references("sessions.id").onDelete("cascade"))
    .addColumn("source", "text", (c) => c.notNull().check(sql`source in ('link', 'qr')`))
    .addColumn("rating", "integer", (c) => c.notNull().check(sql`rating between 1 and 5`))
    .addColumn("recommend", "text", (c) => c.notNull().check(sql`recommend in ('yes', 'no', 'not_sure')`))
    .addColumn("confidence_before", "integer", (c) => c.check(sql`confidence_before between 1 and 5`))
    .addColumn("confidence_after", "integer", (c) => c.check(sql`confidence_after between 1 and 5`))
    .addColumn("do_differently", "text")
    .addColumn("comments", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("feedback_responses_session_idx").on("feedback_responses").column("session_id").execute();

  await db.schema
    .createTable("qr_feedback_limits")
    .addColumn("session_id", "integer", (c) => c.notNull().references("sessions.id").onDelete("cascade"))
    .addColumn("device_hash", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("qr_feedback_limits_pk", ["session_id", "device_hash"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ["qr_feedback_limits", "feedback_responses", "feedback_tokens", "registrations", "signup_allowlist"]) {
    await db.schema.dropTable(t).execute();
  }
  await db.schema.dropIndex("sessions_feedback_code_idx").execute();
  await db.schema.dropIndex("sessions_kind_idx").execute();
  for (const c of [
    "feedback_code",
    "head_count",
    "register_closed_at",
    "promotion_cutoff_hours",
    "question",
    "asks_student_id",
    "signup_domain",
    "signup_policy",
    "signup_deadline",
    "title",
    "kind",
  ]) {
    await db.schema.alterTable("sessions").dropColumn(c).execute();
  }
}
