import { openDatabase } from "#db/connection.ts";
import type { Db } from "#db/schema.ts";
import { getEnv } from "./utils/env.server.ts";

declare global {
  var __neverokDb: { path: string; db: Db } | undefined;
}

/** The app's one connection, opened lazily and kept across dev-server reloads. */
export function getDb(): Db {
  const path = getEnv().DATABASE_PATH;
  if (!globalThis.__neverokDb || globalThis.__neverokDb.path !== path) {
    globalThis.__neverokDb = { path, db: openDatabase(path) };
  }
  return globalThis.__neverokDb.db;
}
