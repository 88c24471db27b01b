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

export type SignInTicket =
  | { allowed: false; lockedUntil: Date }
  | { allowed: true; delayMs: number; lockedUntilIfWrong: Date | null };

/**
 * Counts an attempt as a failure before the password is checked, in one transaction, so a burst of
 * simultaneous guesses is counted guess by guess; a successful sign-in then clears the count.
 * The delay and the lock are decided by the failures before this attempt.
 */
export async function beginSignInAttempt(db: Kysely<Database>, email: string): Promise<SignInTicket> {
  const at = now();
  const iso = at.toISOString();
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom("sign_in_failures").selectAll().where("email", "=", email).executeTakeFirst();
    if (row?.locked_until && new Date(row.locked_until) > at) {
      return { allowed: false as const, lockedUntil: new Date(row.locked_until) };
    }
    const expired =
      !row ||
      at.getTime() - new Date(row.last_failed_at).getTime() > WINDOW_MS ||
      (row.locked_until !== null && new Date(row.locked_until) <= at);
    const previous = expired ? 0 : row.failure_count;
    const count = previous + 1;
    const lockedUntil = count >= LOCK_AFTER ? addMs(at, LOCK_MS) : null;
    const values = {
      failure_count: count,
      first_failed_at: expired || !row ? iso : row.first_failed_at,
      last_failed_at: iso,
      locked_until: lockedUntil?.toISOString() ?? null,
    };
    await trx
      .insertInto("sign_in_failures")
      .values({ email, ...values })
      .onConflict((oc) => oc.column("email").doUpdateSet(values))
      .execute();
    return { allowed: true as const, delayMs: Math.max(0, previous - SLOW_AFTER) * 1000, lockedUntilIfWrong: lockedUntil };
  });
}

export async function clearSignInFailures(db: Kysely<Database>, email: string) {
  await db.deleteFrom("sign_in_failures").where("email", "=", email).execute();
}
