import type { Kysely } from "kysely";

// Frozen in time: this file never imports application code.

/**
 * Who runs the background jobs (reminders, mail, retention) now. Every server process and the cron
 * command try to take the lease; only its holder runs the jobs, renewing it as it goes, and another
 * takes over once it expires. Plain columns only, the same on every database.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("job_leases")
    .addColumn("name", "text", (c) => c.primaryKey())
    .addColumn("holder", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("job_leases").execute();
}
