import { sql, type Kysely } from "kysely";
import { numberedKey, onPostgres } from "./portable.ts";

// Frozen in time: this file never imports application code.

const EVENTS = ["insert", "update", "delete"] as const;

export async function up(db: Kysely<any>): Promise<void> {
  // The support services shown on every feedback page, in the page footer and in the emails that ask
  // for feedback or remind someone of a session. Urgent ones are listed first, then by position.
  await db.schema
    .createTable("support_services")
    .addColumn("id", "integer", numberedKey(db))
    .addColumn("name", "text", (c) => c.notNull().unique())
    .addColumn("purpose", "text", (c) => c.notNull())
    .addColumn("url", "text")
    .addColumn("phone", "text")
    .addColumn("hours", "text")
    .addColumn("is_urgent", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  // A new installation can already reach the emergency services; the coordinator adds the rest.
  const at = new Date().toISOString();
  await db
    .insertInto("support_services")
    .values([
      {
        name: "Emergency services",
        purpose: "If you or someone else is in danger now, or a crime is happening: police, ambulance or fire.",
        url: null,
        phone: "999",
        hours: "24 hours",
        is_urgent: 1,
        position: 1,
        created_at: at,
        updated_at: at,
      },
      {
        name: "Police, when it is not an emergency",
        purpose: "To report an incident or get advice from the police when no one is in danger now. You can also visit your local police station.",
        url: null,
        phone: "101",
        hours: "24 hours",
        is_urgent: 1,
        position: 2,
        created_at: at,
        updated_at: at,
      },
    ])
    .execute();
  // Edits raise the record version like other records people rely on, so anything cached that names a
  // service is recomputed, and a refused form that changed one would be noticed.
  if (onPostgres(db)) return;
  for (const event of EVENTS) {
    await sql
      .raw(
        `create trigger support_services_${event}_bumps_version after ${event} on support_services begin update record_versions set version = version + 1 where name = 'records'; end`,
      )
      .execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!onPostgres(db)) for (const event of EVENTS) await sql.raw(`drop trigger if exists support_services_${event}_bumps_version`).execute(db);
  await db.schema.dropTable("support_services").execute();
}
