import { openDatabase } from "#db/connection.ts";
import type { Db } from "#db/schema.ts";
import { databaseTarget, type Env } from "./utils/env.server.ts";

declare global {
  var __neverokDb: { target: string; db: Db } | undefined;
}

/** A new connection (SQLite) or pool (PostgreSQL) to the database the environment names. */
export function openConfiguredDatabase(env?: Pick<Env, "DATABASE_PATH" | "DATABASE_URL">): Db {
  return openDatabase(databaseTarget(env));
}

/** The app's one connection, opened lazily and kept across dev-server reloads. */
export function getDb(): Db {
  const target = databaseTarget();
  if (!globalThis.__neverokDb || globalThis.__neverokDb.target !== target) {
    globalThis.__neverokDb = { target, db: openDatabase(target) };
  }
  return globalThis.__neverokDb.db;
}
