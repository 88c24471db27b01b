import type { Kysely } from "kysely";
import type { Database } from "#db/schema.ts";

/**
 * A small cache for figures that are costly to work out and read far more often than the records
 * behind them change: the impact report, the leader compliance roster.
 *
 * The records are grouped into features, and each feature has a version in the database that triggers
 * raise on any write to its tables, whichever process wrote it (migration 0017). An entry is stored
 * against the versions of the features its figure reads, read together in one statement; when one of
 * them has moved the entry is worked out again, and entries that read other features are untouched.
 * Work already under way for a key is shared, not repeated, by requests that arrive while it runs.
 */

/**
 * The tables whose writes raise each feature's version. Three are narrower than "any write":
 * - `attendance` is raised by a write to a registration that was or becomes marked present: all that
 *   the reports and the compliance figures read of the registers, so a sign-up or a cancellation
 *   leaves them be;
 * - `calendar` is raised by a session's calendar SEQUENCE going up, which every copy of the event sent
 *   does (a sign-up too); that alone does not raise `sessions`;
 * - `accounts` hears of an update to a person's name, address or whether they are active, not the
 *   other columns signing in touches.
 */
export const RECORD_FEATURES = {
  sessions: ["sessions", "session_trainers", "booking_requests"],
  calendar: ["sessions"],
  registrations: ["registrations"],
  attendance: ["registrations"],
  feedback: ["feedback_responses"],
  leaders: [
    "leader_roles",
    "leader_role_requirements",
    "leader_years",
    "leader_people",
    "leader_appointments",
    "leader_completions",
    "leader_exemptions",
    "leader_match_dismissals",
    "leader_reminders",
  ],
  staff: ["staff_roles", "staff_role_requirements", "staff_members", "staff_completions", "staff_exemptions"],
  reference: ["organisations", "institutions", "courses", "rooms", "support_services"],
  accounts: ["users", "user_roles"],
} as const satisfies Record<string, readonly (keyof Database)[]>;

export type RecordFeature = keyof typeof RECORD_FEATURES;

interface Entry {
  versions: string;
  value: Promise<unknown>;
}

// Enough for every trainer's calendar feed of a city partnership beside the reports and rosters.
const MAX_ENTRIES = 256;
const stores = new WeakMap<object, Map<string, Entry>>();
let enabled = true;

/** The current versions of the features, in the order given. A feature without a row counts as 0. */
export async function recordVersions(db: Kysely<Database>, features: readonly RecordFeature[]): Promise<number[]> {
  const rows = await db.selectFrom("record_versions").select(["name", "version"]).where("name", "in", features).execute();
  const byName = new Map(rows.map((r) => [r.name, Number(r.version)]));
  return features.map((f) => byName.get(f) ?? 0);
}

/**
 * The value for `key`, computed by `compute` at most once while the versions of `features` stay
 * the same. `features` must name every feature whose tables the computation reads (a test reads its
 * statements and checks); `key` must name everything else the value depends on (the period, the
 * filters, the day it is worked out for).
 */
export async function cachedByRecords<T>(db: Kysely<Database>, key: string, features: readonly RecordFeature[], compute: () => Promise<T>): Promise<T> {
  if (!enabled) return compute();
  const versions = (await recordVersions(db, features)).join(" ");
  let store = stores.get(db);
  if (!store) stores.set(db, (store = new Map()));
  const hit = store.get(key);
  if (hit?.versions === versions) {
    // Most recently used goes to the back of the queue.
    store.delete(key);
    store.set(key, hit);
    return hit.value as Promise<T>;
  }
  const entry: Entry = { versions, value: compute() };
  store.delete(key);
  store.set(key, entry);
  // A failure is not remembered: the next request tries again.
  entry.value.catch(() => {
    if (store.get(key) === entry) store.delete(key);
  });
  while (store.size > MAX_ENTRIES) store.delete(store.keys().next().value!);
  return entry.value as Promise<T>;
}

/** For measuring the work itself: with the cache off, every call computes. */
export function setRecordCacheEnabled(on: boolean): void {
  enabled = on;
}
