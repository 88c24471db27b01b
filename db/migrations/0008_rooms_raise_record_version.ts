import { sql, type Kysely } from "kysely";

// Frozen in time: this file never imports application code.

/** Rooms are named in the trainers' calendar feeds, which are kept against the record version too (see 0007). */
export async function up(db: Kysely<any>): Promise<void> {
  for (const event of ["insert", "update", "delete"] as const) {
    await sql
      .raw(`create trigger rooms_${event}_bumps_version after ${event} on rooms begin update record_versions set version = version + 1 where name = 'records'; end`)
      .execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const event of ["insert", "update", "delete"]) await sql.raw(`drop trigger if exists rooms_${event}_bumps_version`).execute(db);
}
