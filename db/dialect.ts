import { PostgresAdapter, type TableMetadata } from "kysely";
import { currentSchema, isPostgresUniqueViolation } from "./dialects/postgres.ts";
import type { Db } from "./schema.ts";

export type Dialect = "sqlite" | "postgres";

/** Which database `db` runs on, for the few places where the two differ. */
export function dialectOf(db: Db): Dialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? "postgres" : "sqlite";
}

/** The app's own tables and their columns; on PostgreSQL those of the connection's schema, not the whole database's. */
export async function appTables(db: Db): Promise<TableMetadata[]> {
  const tables = await db.introspection.getTables();
  if (dialectOf(db) !== "postgres") return tables;
  const schema = await currentSchema(db);
  return tables.filter((t) => t.schema === schema);
}

/** A write refused by a unique index or primary key, on either database. */
export function isUniqueViolation(err: unknown): boolean {
  if (isPostgresUniqueViolation(err)) return true;
  return String((err as { message?: unknown } | null)?.message ?? "").includes("UNIQUE constraint failed");
}
