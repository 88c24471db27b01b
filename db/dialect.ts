import { PostgresAdapter, sql } from "kysely";
import { isPostgresUniqueViolation } from "./dialects/postgres.ts";
import type { Db } from "./schema.ts";

export type Dialect = "sqlite" | "postgres";

/** Which database `db` runs on, for the few places where the two differ. */
export function dialectOf(db: Db): Dialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? "postgres" : "sqlite";
}

/**
 * After rows were written with numbers of their own choosing (the demo's and the city's generated
 * records), new rows get numbers after the highest. SQLite does so by itself; a PostgreSQL identity
 * column carries on from its own count, so it is moved past the highest number in its table.
 */
export async function catchUpNumbering(db: Db): Promise<void> {
  if (dialectOf(db) !== "postgres") return;
  const { rows } = await sql<{ table_name: string; column_name: string }>`
    select table_name, column_name from information_schema.columns where table_schema = current_schema() and is_identity = 'YES'`.execute(db);
  for (const { table_name, column_name } of rows) {
    await sql`select setval(pg_get_serial_sequence(${table_name}, ${column_name}), coalesce((select max(${sql.ref(column_name)}) from ${sql.table(table_name)}), 0) + 1, false)`.execute(
      db,
    );
  }
}

/** A write refused by a unique index or primary key, on either database. */
export function isUniqueViolation(err: unknown): boolean {
  if (isPostgresUniqueViolation(err)) return true;
  return String((err as { message?: unknown } | null)?.message ?? "").includes("UNIQUE constraint failed");
}
