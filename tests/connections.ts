import type { Kysely } from "kysely";
import { onTestFinished } from "vitest";
import { openDatabase } from "#db/connection.ts";
import type { Database } from "#db/schema.ts";

/** Whether this run's tests are on PostgreSQL (`npm run test:pg`) rather than SQLite. */
export const onPostgres = process.env.NEVEROK_TEST_DATABASE === "postgres";

/**
 * `count` connections of their own to this test file's database (on PostgreSQL, pools of their own
 * to its schema), opened as the app opens its one, as `count` app processes would each hold. On one connection Kysely runs each
 * transaction whole before the next begins, so a rule checked in a plain transaction, or under a
 * lock held only in this process, would hold there too; across these, only a rule enforced inside
 * its write transaction holds. They are closed when the test ends.
 */
export function separateConnections(count: number): Kysely<Database>[] {
  const connections = Array.from({ length: count }, () => openDatabase(process.env.DATABASE_URL ?? process.env.DATABASE_PATH!));
  onTestFinished(async () => {
    await Promise.all(connections.map((c) => c.destroy()));
  });
  return connections;
}

/**
 * Starts every attempt at once, attempt i on connection i modulo the number of connections, and
 * waits for all of them to settle.
 */
export function raceAcross<T>(connections: Kysely<Database>[], attempts: ((db: Kysely<Database>) => Promise<T>)[]): Promise<PromiseSettledResult<T>[]> {
  return Promise.allSettled(attempts.map((attempt, i) => attempt(connections[i % connections.length]!)));
}

/** Like raceAcross, for attempts none of which may fail: their values, or the first failure once all have settled. */
export async function allAcross<T>(connections: Kysely<Database>[], attempts: ((db: Kysely<Database>) => Promise<T>)[]): Promise<T[]> {
  const results = await raceAcross(connections, attempts);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<T>).value);
}
