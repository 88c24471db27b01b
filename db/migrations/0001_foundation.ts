import { sql, type Kysely } from "kysely";
import { numberedKey } from "./portable.ts";

// Frozen in time: this file never imports application code.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("users")
    .addColumn("id", "integer", numberedKey(db))
    .addColumn("email", "text", (c) => c.notNull().unique())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("password_hash", "text")
    .addColumn("is_active", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("user_roles")
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("role", "text", (c) => c.notNull().check(sql`role in ('coordinator', 'trainer', 'booker', 'officer')`))
    .addColumn("granted_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("user_roles_pk", ["user_id", "role"])
    .execute();

  await db.schema
    .createTable("auth_sessions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("secret_hash", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("last_verified_at", "text", (c) => c.notNull())
    .addColumn("idle_expires_at", "text", (c) => c.notNull())
    .addColumn("absolute_expires_at", "text", (c) => c.notNull())
    .addColumn("user_agent", "text")
    .execute();
  await db.schema.createIndex("auth_sessions_user_idx").on("auth_sessions").column("user_id").execute();

  await db.schema
    .createTable("email_tokens")
    .addColumn("id", "integer", numberedKey(db))
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("purpose", "text", (c) => c.notNull().check(sql`purpose in ('password_reset', 'invitation')`))
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("used_at", "text")
    .execute();
  await db.schema.createIndex("email_tokens_user_idx").on("email_tokens").column("user_id").execute();

  await db.schema
    .createTable("sign_in_failures")
    .addColumn("email", "text", (c) => c.primaryKey())
    .addColumn("failure_count", "integer", (c) => c.notNull())
    .addColumn("first_failed_at", "text", (c) => c.notNull())
    .addColumn("last_failed_at", "text", (c) => c.notNull())
    .addColumn("locked_until", "text")
    .execute();

  await db.schema
    .createTable("organisations")
    .addColumn("id", "integer", numberedKey(db))
    .addColumn("name", "text", (c) => c.notNull().unique())
    .addColumn("kind", "text", (c) =>
      c.notNull().check(sql`kind in ('department', 'sports_club', 'society', 'leader_programme', 'partner_venue', 'staff_team')`),
    )
    .addColumn("contact_name", "text")
    .addColumn("contact_email", "text")
    .addColumn("contact_phone", "text")
    .addColumn("notes", "text")
    .addColumn("is_archived", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("organisation_members")
    .addColumn("organisation_id", "integer", (c) => c.notNull().references("organisations.id").onDelete("cascade"))
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("added_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("organisation_members_pk", ["organisation_id", "user_id"])
    .execute();
  await db.schema.createIndex("organisation_members_user_idx").on("organisation_members").column("user_id").execute();

  await db.schema
    .createTable("courses")
    .addColumn("id", "integer", numberedKey(db))
    .addColumn("name", "text", (c) => c.notNull().unique())
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("duration_minutes", "integer", (c) => c.notNull())
    .addColumn("default_group_size", "integer", (c) => c.notNull())
    .addColumn("max_group_size", "integer", (c) => c.notNull())
    .addColumn("colour", "text", (c) => c.notNull())
    .addColumn("is_archived", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("trainer_qualifications")
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("course_id", "integer", (c) => c.notNull().references("courses.id").onDelete("cascade"))
    .addColumn("qualified_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("trainer_qualifications_pk", ["user_id", "course_id"])
    .execute();
  await db.schema.createIndex("trainer_qualifications_course_idx").on("trainer_qualifications").column("course_id").execute();

  await db.schema
    .createTable("rooms")
    .addColumn("id", "integer", numberedKey(db))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("building", "text", (c) => c.notNull())
    .addColumn("capacity", "integer", (c) => c.notNull())
    .addColumn("accessibility_notes", "text")
    .addColumn("is_archived", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addUniqueConstraint("rooms_building_name_unique", ["building", "name"])
    .execute();

  await db.schema
    .createTable("audit_events")
    .addColumn("id", "integer", numberedKey(db))
    .addColumn("actor_user_id", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("entity_type", "text", (c) => c.notNull())
    .addColumn("entity_id", "text")
    .addColumn("summary", "text", (c) => c.notNull())
    .addColumn("detail_json", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("audit_events_entity_idx").on("audit_events").columns(["entity_type", "entity_id"]).execute();
  await db.schema.createIndex("audit_events_created_idx").on("audit_events").column("created_at").execute();

  await db.schema
    .createTable("email_messages")
    .addColumn("id", "integer", numberedKey(db))
    .addColumn("ordering_key", "text")
    .addColumn("template", "text", (c) => c.notNull())
    .addColumn("to_address", "text", (c) => c.notNull())
    .addColumn("to_name", "text")
    .addColumn("from_address", "text", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("message_id", "text", (c) => c.notNull().unique())
    .addColumn("raw_mime", "text", (c) => c.notNull())
    .addColumn("html", "text", (c) => c.notNull())
    .addColumn("text", "text", (c) => c.notNull())
    .addColumn("attachments_json", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('held', 'pending', 'sending', 'sent', 'failed')`))
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("next_attempt_at", "text")
    .addColumn("lease_expires_at", "text")
    .addColumn("last_error", "text")
    .addColumn("provider_id", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("sent_at", "text")
    .execute();
  await db.schema.createIndex("email_messages_status_idx").on("email_messages").columns(["status", "next_attempt_at"]).execute();
  await db.schema.createIndex("email_messages_ordering_idx").on("email_messages").columns(["ordering_key", "id"]).execute();
  await db.schema.createIndex("email_messages_to_idx").on("email_messages").column("to_address").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    "email_messages",
    "audit_events",
    "rooms",
    "trainer_qualifications",
    "courses",
    "organisation_members",
    "organisations",
    "sign_in_failures",
    "email_tokens",
    "auth_sessions",
    "user_roles",
    "users",
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
