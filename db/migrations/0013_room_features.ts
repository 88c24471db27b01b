import type { Kysely } from "kysely";

// Frozen in time: this file never imports application code.

// A room's access features and a request's access needs come from one short fixed list; each is kept
// as the chosen codes joined by commas ("step_free,hearing_loop"), empty when none.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("rooms")
    .addColumn("access_features", "text", (c) => c.notNull().defaultTo(""))
    .execute();
  await db.schema
    .alterTable("booking_requests")
    .addColumn("access_needs", "text", (c) => c.notNull().defaultTo(""))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("booking_requests").dropColumn("access_needs").execute();
  await db.schema.alterTable("rooms").dropColumn("access_features").execute();
}
