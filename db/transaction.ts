import { sql } from "kysely";
import { dialectOf } from "./dialect.ts";
import { isPostgresRetryable } from "./dialects/postgres.ts";
import type { Db } from "./schema.ts";

/** How many times a PostgreSQL write transaction is run before a clash with other writers is given up as a refusal. */
export const WRITE_ATTEMPTS = 8;

/**
 * Other writers kept clashing with this change until WRITE_ATTEMPTS ran out; nothing of it was saved.
 * Asking again shortly is expected to work.
 */
export class WriteConflict extends Error {
  constructor(cause: unknown) {
    super("Several changes to the same records arrived at once and this one could not be saved. Please try again.", { cause });
  }
}

/**
 * A transaction that takes the write lock before it reads, for rules that read then write
 * (capacity, double-booking): a second writer waits and then sees the first one's rows. On SQLite,
 * BEGIN IMMEDIATE. On PostgreSQL, the app's writer lock (an advisory lock every process shares, taken
 * before the transaction begins so that its snapshot includes the previous writer's rows), then
 * SERIALIZABLE, which also guards against writes made outside this function: the server refuses
 * (40001, or 40P01 for a deadlock) a transaction whose reads another has made stale, and the whole
 * of `fn` runs again from the start after a short random pause; WriteConflict when the clashes
 * outlast WRITE_ATTEMPTS. So `fn` may run more than once: it must do nothing outside the database
 * that cannot be done twice, and must use the connection it is given, never the outer `db`.
 */
export async function writeTransaction<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  if (dialectOf(db) === "sqlite") return db.connection().execute((conn) => runOnce(conn, fn, beginImmediate));
  return db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${sql.lit(WRITER_LOCK)})`.execute(conn);
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          return await runOnce(conn, fn, beginSerializable);
        } catch (err) {
          if (!isPostgresRetryable(err)) throw err;
          if (attempt >= WRITE_ATTEMPTS) throw new WriteConflict(err);
          await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(5 * 2 ** attempt, 200)));
        }
      }
    } finally {
      await sql`select pg_advisory_unlock(${sql.lit(WRITER_LOCK)})`.execute(conn);
    }
  });
}

/** The advisory lock that write transactions take in turn on PostgreSQL: any number the app uses for nothing else. */
export const WRITER_LOCK = 4_201_500_001;

async function runOnce<T>(conn: Db, fn: (trx: Db) => Promise<T>, begin: (conn: Db) => Promise<void>): Promise<T> {
  await begin(conn);
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
}

async function beginSerializable(conn: Db) {
  await sql`begin isolation level serializable`.execute(conn);
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
