import { PostgresAdapter } from "kysely";
import { isPostgresUniqueViolation } from "./dialects/postgres.ts";
import type { Db } from "./schema.ts";

export type Dialect = "sqlite" | "postgres";

/** Which database `db` runs on, for the few places where the two differ. */
export function dialectOf(db: Db): Dialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? "postgres" : "sqlite";
}

/** A write refused by a unique index or primary key, on either database. */
export function isUniqueViolation(err: unknown): boolean {
  if (isPostgresUniqueViolation(err)) return true;
  return String((err as { message?: unknown } | null)?.message ?? "").includes("UNIQUE constraint failed");
}
