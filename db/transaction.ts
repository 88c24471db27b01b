import { sql, SqliteAdapter, type Kysely } from "kysely";
import type { Database } from "./schema.ts";

/**
 * A transaction that takes the write lock before it reads, for rules that read then write
 * (capacity, double-booking). On SQLite, BEGIN IMMEDIATE: a second writer waits (busy_timeout)
 * and then sees the first one's rows. On PostgreSQL, SERIALIZABLE gives the same guarantee.
 * `fn` must use the connection it is given, never the outer `db`.
 */
export async function writeTransaction<T>(db: Kysely<Database>, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  return db.connection().execute(async (conn) => {
    await (sqlite ? sql`begin immediate` : sql`begin isolation level serializable`).execute(conn);
    try {
      const result = await fn(conn);
      await sql`commit`.execute(conn);
      return result;
    } catch (err) {
      await sql`rollback`.execute(conn);
      throw err;
    }
  });
}
