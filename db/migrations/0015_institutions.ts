import { sql, type Kysely } from "kysely";
import { numberedKey, onPostgres } from "./portable.ts";

// Frozen in time: this file never imports application code.

/**
 * A city partnership shares the campaign between several institutions (universities, a college, a
 * students' union). Each organisation may belong to one, so the impact report can compare them.
 * The report caches its figures against the record version, so writes here raise it too.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("institutions")
    .addColumn("id", "integer", numberedKey(db))
    .addColumn("name", "text", (c) => c.notNull().unique())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .alterTable("organisations")
    .addColumn("institution_id", "integer", (c) => c.references("institutions.id").onDelete("set null"))
    .execute();
  await db.schema.createIndex("organisations_institution_idx").on("organisations").column("institution_id").execute();
  if (onPostgres(db)) return;
  for (const event of ["insert", "update", "delete"]) {
    await sql
      .raw(
        `create trigger institutions_${event}_bumps_version after ${event} on institutions begin update record_versions set version = version + 1 where name = 'records'; end`,
      )
      .execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!onPostgres(db))
    for (const event of ["insert", "update", "delete"]) await sql.raw(`drop trigger if exists institutions_${event}_bumps_version`).execute(db);
  await db.schema.dropIndex("organisations_institution_idx").execute();
  await db.schema.alterTable("organisations").dropColumn("institution_id").execute();
  await db.schema.dropTable("institutions").execute();
}
