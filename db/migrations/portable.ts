import { PostgresAdapter, type ColumnDefinitionBuilder, type Kysely } from "kysely";

// What the migrations do differently on the two databases, in one place. Frozen with them: a change
// here must leave every earlier migration's SQLite statements exactly as they were.

/**
 * On PostgreSQL the record versions (docs/decisions/009) are kept by the PL/pgSQL triggers of a later
 * migration, so the SQLite triggers the earlier ones make are not made there.
 */
export function onPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * A table's own numbered key: SQLite's `integer primary key autoincrement` (numbers never reused),
 * PostgreSQL's identity column, which also accepts a number given on insert, as SQLite does.
 */
export function numberedKey(db: Kysely<any>): (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder {
  return onPostgres(db) ? (c) => c.primaryKey().generatedByDefaultAsIdentity() : (c) => c.primaryKey().autoIncrement();
}
