import type { Kysely } from "kysely";

// Frozen in time: this file never imports application code.
export async function up(db: Kysely<any>): Promise<void> {
  // Retention finds old mail by date; without this every run would read every message body.
  await db.schema.createIndex("email_messages_created_idx").on("email_messages").column("created_at").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("email_messages_created_idx").execute();
}
