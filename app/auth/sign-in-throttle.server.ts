import type { Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import { addMs, MINUTE, now } from "#app/utils/time.ts";

/**
 * Repeated failed sign-ins for one email address are slowed (from the 3rd failure) and then
 * refused for LOCK_MS (from the 5th). Counted per address whether or not an account exists,
 * so the behaviour reveals nothing about which addresses have accounts.
 */
export const WINDOW_MS = 15 * MINUTE;
export const LOCK_MS = 15 * MINUTE;
export const SLOW_AFTER = 2;
export const LOCK_AFTER = 5;

export type ThrottleState = { lockedUntil: Date | null; delayMs: number };

export async function getThrottle(db: Kysely<Database>, email: string): Promise<ThrottleState> {
  const row = await db.selectFrom("sign_in_failures").selectAll().where("email", "=", email).executeTakeFirst();
  const at = now();
  if (!row) return { lockedUntil: null, delayMs: 0 };
  if (row.locked_until && new Date(row.locked_until) > at) {
    return { lockedUntil: new Date(row.locked_until), delayMs: 0 };
  }
  if (at.getTime() - new Date(row.last_failed_at).getTime() > WINDOW_MS || row.locked_until) {
    return { lockedUntil: null, delayMs: 0 };
  }
  return { lockedUntil: null, delayMs: Math.max(0, row.failure_count - SLOW_AFTER) * 1000 };
}

/** Records one failure; returns the time the address is locked until, if this failure locked it. */
export async function recordSignInFailure(db: Kysely<Database>, email: string): Promise<Date | null> {
  const at = now();
  const iso = at.toISOString();
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom("sign_in_failures").selectAll().where("email", "=", email).executeTakeFirst();
    const expired =
      !row ||
      at.getTime() - new Date(row.last_failed_at).getTime() > WINDOW_MS ||
      (row.locked_until !== null && new Date(row.locked_until) <= at);
    const count = expired ? 1 : row.failure_count + 1;
    const lockedUntil = count >= LOCK_AFTER ? addMs(at, LOCK_MS) : null;
    await trx
      .insertInto("sign_in_failures")
      .values({
        email,
        failure_count: count,
        first_failed_at: expired ? iso : row.first_failed_at,
        last_failed_at: iso,
        locked_until: lockedUntil?.toISOString() ?? null,
      })
      .onConflict((oc) =>
        oc.column("email").doUpdateSet({
          failure_count: count,
          first_failed_at: expired ? iso : row!.first_failed_at,
          last_failed_at: iso,
          locked_until: lockedUntil?.toISOString() ?? null,
        }),
      )
      .execute();
    return lockedUntil;
  });
}

export async function clearSignInFailures(db: Kysely<Database>, email: string) {
  await db.deleteFrom("sign_in_failures").where("email", "=", email).execute();
}
