import fs from "node:fs";
import { Migrator, type LogConfig, type MigrationProvider } from "kysely";
import { dialectOf } from "./dialect.ts";
import { currentSchema, emptyPostgres, isPostgresUrl, openPostgres, postgresLabel } from "./dialects/postgres.ts";
import { openSqlite } from "./dialects/sqlite.ts";
import { migrations } from "./migrations/index.ts";
import type { Db } from "./schema.ts";

export { sqliteHandleOf, STATEMENT_CACHE_SIZE } from "./dialects/sqlite.ts";

/**
 * The database at `target`: PostgreSQL when it is a postgres:// or postgresql:// URL, otherwise an
 * SQLite file at that path (":memory:" for one that lives only as long as the connection).
 */
export function openDatabase(target: string, options: { log?: LogConfig } = {}): Db {
  return isPostgresUrl(target) ? openPostgres(target, options) : openSqlite(target, options);
}

/** How to name the database at `target` in messages: a file's path, or a server's database without its password. */
export function databaseLabel(target: string): string {
  return isPostgresUrl(target) ? postgresLabel(target) : target;
}

/** Removes everything stored at `target`: the SQLite file (and its journal), or every table in the PostgreSQL schema. */
export async function emptyDatabase(target: string): Promise<void> {
  if (isPostgresUrl(target)) return emptyPostgres(target);
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(`${target}${suffix}`, { force: true });
}

/**
 * Where the migrations' own bookkeeping lives: on PostgreSQL, the connection's schema, named, since
 * the migrator otherwise looks for its tables in every schema of the database and would take another
 * schema's for this one's.
 */
async function migrationSchema(db: Db): Promise<string | undefined> {
  return dialectOf(db) === "postgres" ? currentSchema(db) : undefined;
}

const provider: MigrationProvider = { getMigrations: async () => migrations };

export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db, provider, migrationTableSchema: await migrationSchema(db) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === "Error");
    throw new Error(`Migration ${failed?.migrationName ?? "(unknown)"} failed: ${String(error)}`, {
      cause: error,
    });
  }
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}
