import { sql, SqliteAdapter } from "kysely";
import type { Db } from "./schema.ts";

/**
 * A transaction that takes the write lock before it reads, for rules that read then write
 * (capacity, double-booking). On SQLite, BEGIN IMMEDIATE: a second writer waits and then sees the
 * first one's rows. On PostgreSQL, SERIALIZABLE gives the same guarantee.
 * `fn` must use the connection it is given, never the outer `db`.
 */
export async function writeTransaction<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  return db.connection().execute(async (conn) => {
    if (sqlite) await beginImmediate(conn);
    else await sql`begin isolation level serializable`.execute(conn);
    openWriteTransactions.add(conn);
    try {
      const result = await fn(conn);
      await sql`commit`.execute(conn);
      return result;
    } catch (err) {
      await sql`rollback`.execute(conn);
      throw err;
    } finally {
      openWriteTransactions.delete(conn);
    }
  });
}

const openWriteTransactions = new WeakSet<Db>();

/**
 * Whether `db` is the connection a write transaction is running on: one change, committed or rolled
 * back as a whole. Code that must do something once per change (not once per call) keys on it.
 */
export function isWriteTransaction(db: Db): boolean {
  return openWriteTransactions.has(db);
}

const isBusy = (err: unknown) => (err as { code?: unknown } | null)?.code === "SQLITE_BUSY";

/**
 * better-sqlite3 waits for a lock synchronously (busy_timeout), which stalls the whole event loop:
 * when the connection holding the lock lives in this same process it can never finish, and the
 * wait ends in "database is locked". So the lock is tried without that wait and, while another
 * connection holds it, tried again after yielding, for as long as busy_timeout allows.
 */
async function beginImmediate(conn: Db) {
  const { rows } = await sql<{ timeout: number }>`pragma busy_timeout`.execute(conn);
  const timeoutMs = Number(rows[0]?.timeout ?? 0);
  await sql`pragma busy_timeout = 0`.execute(conn);
  try {
    const deadline = Date.now() + timeoutMs;
    for (let attempt = 0; ; attempt++) {
      try {
        await sql`begin immediate`.execute(conn);
        return;
      } catch (err) {
        if (!isBusy(err) || Date.now() >= deadline) throw err;
        await new Promise((resolve) => setTimeout(resolve, Math.min(2 ** attempt, 50)));
      }
    }
  } finally {
    await sql`pragma busy_timeout = ${sql.lit(timeoutMs)}`.execute(conn);
  }
}
