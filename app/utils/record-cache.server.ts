import type { Kysely } from "kysely";
import type { Database } from "#db/schema.ts";

/**
 * A small cache for figures that are costly to work out and read far more often than the records
 * behind them change: the impact report, the leader compliance roster.
 *
 * Every entry is stored against the database's record version, a counter that triggers raise on any
 * write to the records these figures come from (migration 0007), whichever process wrote it. Reading
 * the version is one indexed row; when it has moved, every entry is dropped, so nothing is ever served
 * from records that have since changed. Work already under way for a key is shared, not repeated, by
 * requests that arrive while it runs.
 */

interface Store {
  version: number;
  entries: Map<string, Promise<unknown>>;
}

// Enough for every trainer's calendar feed of a city partnership beside the reports and rosters.
const MAX_ENTRIES = 256;
const stores = new WeakMap<object, Store>();
let enabled = true;

export async function recordVersion(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom("record_versions").select("version").where("name", "=", "records").executeTakeFirst();
  return row?.version ?? 0;
}

/**
 * The value for `key`, computed by `compute` at most once per record version. `key` must name
 * everything the value depends on other than the records themselves (the period, the filters, the
 * day it is worked out for).
 */
export async function cachedByRecords<T>(db: Kysely<Database>, key: string, compute: () => Promise<T>): Promise<T> {
  if (!enabled) return compute();
  const version = await recordVersion(db);
  let store = stores.get(db);
  if (!store || store.version !== version) {
    store = { version, entries: new Map() };
    stores.set(db, store);
  }
  const hit = store.entries.get(key) as Promise<T> | undefined;
  if (hit) {
    // Most recently used goes to the back of the queue.
    store.entries.delete(key);
    store.entries.set(key, hit);
    return hit;
  }
  const pending = compute();
  store.entries.set(key, pending);
  // A failure is not remembered: the next request tries again.
  pending.catch(() => {
    if (store.entries.get(key) === pending) store.entries.delete(key);
  });
  while (store.entries.size > MAX_ENTRIES) {
    const oldest = store.entries.keys().next().value as string;
    store.entries.delete(oldest);
  }
  return pending;
}

/** For measuring the work itself: with the cache off, every call computes. */
export function setRecordCacheEnabled(on: boolean): void {
  enabled = on;
}
