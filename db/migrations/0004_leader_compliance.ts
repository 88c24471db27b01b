import { sql, type Kysely } from "kysely";
import { numberedKey } from "./portable.ts";

// Frozen in time: this file never imports application code.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("leader_roles")
    .addColumn("id", "integer", numberedKey(db))
    .addColumn("name", "text", (c) => c.notNull().unique())
    .addColumn("description", "text")
    .addColumn("is_archived", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("leader_role_requirements")
    .addColumn("role_id", "integer", (c) => c.notNull().references("leader_roles.id").onDelete("cascade"))
    .addColumn("course_id", "integer", (c) => c.notNull().references("courses.id"))
    .addColumn("validity", "text", (c) => c.notNull().check(sql`validity in ('academic_year', 'months')`))
    .addColumn("validity_months", "integer")
    .addPrimaryKeyConstraint("leader_role_requirements_pk", ["role_id", "course_id"])
    .addCheckConstraint(
      "leader_role_requirements_months",
      sql`(validity = 'months' and validity_months between 1 and 120) or (validity = 'academic_year' and validity_months is null)`,
    )
    .execute();

  await db.schema
    .createTable("leader_years")
    .addColumn("start_year", "integer", (c) => c.primaryKey())
    .addColumn("deadline", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("leader_people")
    .addColumn("id", "integer", numberedKey(db))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("email", "text", (c) => c.notNull().unique())
    .addColumn("student_id", "text", (c) => c.unique())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("leader_appointments")
    .addColumn("id", "integer", numberedKey(db))
    .addColumn("person_id", "integer", (c) => c.notNull().references("leader_people.id").onDelete("cascade"))
    .addColumn("start_year", "integer", (c) => c.notNull().references("leader_years.start_year"))
    .addColumn("role_id", "integer", (c) => c.notNull().references("leader_roles.id"))
    .addColumn("group_name", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("organisation_id", "integer", (c) => c.references("organisations.id").onDelete("set null"))
    .addColumn("is_president", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("started_on", "text", (c) => c.notNull())
    .addColumn("ended_on", "text")
    .addColumn("end_reason", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addUniqueConstraint("leader_appointments_one_place", ["person_id", "start_year", "role_id", "group_name"])
    .execute();
  await db.schema.createIndex("leader_appointments_year_idx").on("leader_appointments").columns(["start_year", "role_id"]).execute();
  await db.schema.createIndex("leader_appointments_group_idx").on("leader_appointments").columns(["start_year", "group_name"]).execute();

  await db.schema
    .createTable("leader_completions")
    .addColumn("id", "integer", numberedKey(db))
    .addColumn("person_id", "integer", (c) => c.notNull().references("leader_people.id").onDelete("cascade"))
    .addColumn("course_id", "integer", (c) => c.notNull().references("courses.id"))
    .addColumn("completed_on", "text", (c) => c.notNull())
    .addColumn("source", "text", (c) => c.notNull().check(sql`source in ('external', 'confirmed_match')`))
    .addColumn("provider", "text")
    .addColumn("evidence_note", "text")
    .addColumn("registration_id", "integer", (c) => c.references("registrations.id").onDelete("set null"))
    .addColumn("recorded_by", "integer", (c) => c.references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("withdrawn_at", "text")
    .addColumn("withdrawn_by", "integer", (c) => c.references("users.id"))
    .addColumn("withdraw_reason", "text")
    .execute();
  await db.schema.createIndex("leader_completions_person_idx").on("leader_completions").columns(["person_id", "course_id"]).execute();
  // A confirmed near-miss is confirmed once.
  await db.schema
    .createIndex("leader_completions_one_match")
    .on("leader_completions")
    .columns(["person_id", "registration_id"])
    .unique()
    .where(sql.ref("registration_id"), "is not", null)
    .execute();

  await db.schema
    .createTable("leader_exemptions")
    .addColumn("id", "integer", numberedKey(db))
    .addColumn("person_id", "integer", (c) => c.notNull().references("leader_people.id").onDelete("cascade"))
    .addColumn("course_id", "integer", (c) => c.references("courses.id")) // null: every course
    .addColumn("start_year", "integer", (c) => c.notNull().references("leader_years.start_year"))
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("granted_by", "text", (c) => c.notNull())
    .addColumn("recorded_by", "integer", (c) => c.references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("withdrawn_at", "text")
    .addColumn("withdrawn_by", "integer", (c) => c.references("users.id"))
    .addColumn("withdraw_reason", "text")
    .execute();
  await db.schema.createIndex("leader_exemptions_year_idx").on("leader_exemptions").columns(["start_year", "person_id"]).execute();

  await db.schema
    .createTable("leader_match_dismissals")
    .addColumn("person_id", "integer", (c) => c.notNull().references("leader_people.id").onDelete("cascade"))
    .addColumn("registration_id", "integer", (c) => c.notNull().references("registrations.id").onDelete("cascade"))
    .addColumn("dismissed_by", "integer", (c) => c.references("users.id"))
    .addColumn("dismissed_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("leader_match_dismissals_pk", ["person_id", "registration_id"])
    .execute();

  await db.schema
    .createTable("leader_reminders")
    .addColumn("id", "integer", numberedKey(db))
    .addColumn("person_id", "integer", (c) => c.notNull().references("leader_people.id").onDelete("cascade"))
    .addColumn("start_year", "integer", (c) => c.notNull())
    .addColumn("sent_at", "text", (c) => c.notNull())
    .addColumn("sent_by", "integer", (c) => c.references("users.id"))
    .addColumn("email_message_id", "integer", (c) => c.references("email_messages.id").onDelete("set null"))
    .execute();
  await db.schema.createIndex("leader_reminders_person_idx").on("leader_reminders").columns(["person_id", "sent_at"]).execute();

  await db.schema
    .createTable("leader_access_tokens")
    .addColumn("id", "integer", numberedKey(db))
    .addColumn("person_id", "integer", (c) => c.notNull().references("leader_people.id").onDelete("cascade"))
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("last_used_at", "text")
    .execute();
  await db.schema.createIndex("leader_access_tokens_person_idx").on("leader_access_tokens").columns(["person_id", "created_at"]).execute();

  // Attendance counts for a leader whose email or student ID matches, whatever the letter case.
  await db.schema
    .createIndex("registrations_lower_email_idx")
    .on("registrations")
    .expression(sql`lower(email)`)
    .execute();
  await db.schema
    .createIndex("registrations_upper_student_id_idx")
    .on("registrations")
    .expression(sql`upper(student_id)`)
    .execute();
  await db.schema.createIndex("sessions_course_status_idx").on("sessions").columns(["course_id", "status", "starts_at"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("sessions_course_status_idx").execute();
  await db.schema.dropIndex("registrations_upper_student_id_idx").execute();
  await db.schema.dropIndex("registrations_lower_email_idx").execute();
  for (const t of [
    "leader_access_tokens",
    "leader_reminders",
    "leader_match_dismissals",
    "leader_exemptions",
    "leader_completions",
    "leader_appointments",
    "leader_people",
    "leader_years",
    "leader_role_requirements",
    "leader_roles",
  ]) {
    await db.schema.dropTable(t).execute();
  }
}
