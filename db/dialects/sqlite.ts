import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, SqliteDialect, type LogConfig } from "kysely";
import type { Database, Db } from "../schema.ts";

// The better-sqlite3 handle behind each Kysely instance openSqlite made, for bulk loads that
// need prepared statements without a round trip through the query builder per row.
const handles = new WeakMap<Db, SQLite.Database>();

/** An SQLite file (or ":memory:"), with the settings every connection of the app uses. */
export function openSqlite(filename: string, options: { log?: LogConfig } = {}): Db {
  if (filename !== ":memory:") fs.mkdirSync(path.dirname(path.resolve(filename)), { recursive: true });
  const sqlite = new SQLite(filename);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("synchronous = NORMAL");
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }), log: options.log });
  handles.set(db, sqlite);
  return db;
}

/** How many prepared statements a connection keeps: every query the app builds, many times over. */
export const STATEMENT_CACHE_SIZE = 1000;

/**
 * The SQLite handle as Kysely sees it, with each distinct SQL text prepared once and kept (the
 * least recently used is dropped past STATEMENT_CACHE_SIZE). Kysely prepares every statement it
 * runs afresh, and preparing costs about as much as running one of the app's indexed reads.
 * Reusing a statement is safe here: Kysely runs one statement at a time on its one connection.
 */
function withStatementCache(sqlite: SQLite.Database): SQLite.Database {
  const statements = new Map<string, SQLite.Statement>();
  const prepare = (source: string) => {
    let statement = statements.get(source);
    if (statement) {
      statements.delete(source);
    } else {
      statement = sqlite.prepare(source);
      if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value!);
    }
    statements.set(source, statement);
    return statement;
  };
  return new Proxy(sqlite, {
    get(target, property) {
      if (property === "prepare") return prepare;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** The SQLite handle under a database openSqlite opened. */
export function sqliteHandleOf(db: Db): SQLite.Database {
  const handle = handles.get(db);
  if (!handle) throw new Error("This database is not an SQLite file opened with openDatabase, so it has no SQLite handle.");
  return handle;
}
