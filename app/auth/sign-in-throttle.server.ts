import type { Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import { writeTransaction } from "#app/utils/transaction.server.ts";
import { formatTime } from "#app/utils/dates.ts";
import { addMs, HOUR, MINUTE, now } from "#app/utils/time.ts";
import { plural } from "#app/utils/plural.ts";

const SECOND = 1000;

/**
 * Failed sign-ins are slowed by pauses that grow with each failure, never by a lock: after a few free
 * failures, the next attempt is not taken before a time the refusal names.
 *
 * - Per account (the email address typed, whether or not it has an account, so the behaviour reveals
 *   nothing): a few free failures, then pauses that stop growing at a minute. Anyone can make the
 *   account's owner wait, but never for more than that.
 * - Per client (the network address): more free failures (a campus network shares one address), then
 *   pauses that double up to a quarter of an hour. One client guessing at one account, or at many, is
 *   slowed this way; a client that has not been failing is not.
 *
 * An attempt is counted as a failure before the password is checked, in one transaction, so a burst
 * of simultaneous guesses is counted guess by guess; a successful sign-in takes its own count back.
 */
export interface BackoffPolicy {
  /** Failures in a row before the first pause. */
  free: number;
  firstPauseMs: number;
  maxPauseMs: number;
  /** Failures are forgotten this long after the last one (for clients: counted over this window). */
  forgetAfterMs: number;
}

export const ACCOUNT_POLICY: BackoffPolicy = { free: 5, firstPauseMs: 15 * SECOND, maxPauseMs: MINUTE, forgetAfterMs: 15 * MINUTE };
export const CLIENT_POLICY: BackoffPolicy = { free: 20, firstPauseMs: SECOND, maxPauseMs: 15 * MINUTE, forgetAfterMs: HOUR };

/** How long to wait after the `failures`-th failure in a row before the next attempt is taken. */
export function pauseAfter(policy: BackoffPolicy, failures: number): number {
  if (failures < policy.free) return 0;
  return Math.min(policy.maxPauseMs, policy.firstPauseMs * 2 ** Math.min(failures - policy.free, 30));
}

export type SignInTicket = { allowed: false; retryAt: Date } | { allowed: true; email: string; clientFailureId: number; retryAtIfWrong: Date | null };

const later = (a: Date | null, b: Date | null) => (!a ? b : !b ? a : a > b ? a : b);

/**
 * Refuses the attempt while the account or the client is paused (nothing is counted), or counts it
 * as a failure and says when the next attempt will be taken if this one is wrong.
 */
export async function beginSignInAttempt(db: Kysely<Database>, input: { email: string; client: string }): Promise<SignInTicket> {
  const email = input.email.toLowerCase();
  const at = now();
  const iso = at.toISOString();
  return writeTransaction(db, async (trx) => {
    const account = await trx.selectFrom("sign_in_failures").selectAll().where("email", "=", email).executeTakeFirst();
    const accountFresh = !account || at.getTime() - new Date(account.last_failed_at).getTime() > ACCOUNT_POLICY.forgetAfterMs;
    const accountPausedUntil = !accountFresh && account.locked_until && new Date(account.locked_until) > at ? new Date(account.locked_until) : null;

    const since = addMs(at, -CLIENT_POLICY.forgetAfterMs).toISOString();
    const client = await trx
      .selectFrom("sign_in_client_failures")
      .select((eb) => [eb.fn.countAll<number>().as("failures"), eb.fn.max("failed_at").as("last")])
      .where("client", "=", input.client)
      .where("failed_at", ">", since)
      .executeTakeFirstOrThrow();
    const clientFailures = Number(client.failures);
    const clientPause = pauseAfter(CLIENT_POLICY, clientFailures);
    const clientPausedUntil = clientPause && client.last && addMs(new Date(client.last), clientPause) > at ? addMs(new Date(client.last), clientPause) : null;

    const pausedUntil = later(accountPausedUntil, clientPausedUntil);
    if (pausedUntil) return { allowed: false as const, retryAt: pausedUntil };

    const { id } = await trx.insertInto("sign_in_client_failures").values({ client: input.client, failed_at: iso }).returning("id").executeTakeFirstOrThrow();
    const count = (accountFresh ? 0 : account.failure_count) + 1;
    const accountPause = pauseAfter(ACCOUNT_POLICY, count);
    const values = {
      failure_count: count,
      first_failed_at: accountFresh ? iso : account.first_failed_at,
      last_failed_at: iso,
      locked_until: accountPause ? addMs(at, accountPause).toISOString() : null,
    };
    await trx
      .insertInto("sign_in_failures")
      .values({ email, ...values })
      .onConflict((oc) => oc.column("email").doUpdateSet(values))
      .execute();
    const nextClientPause = pauseAfter(CLIENT_POLICY, clientFailures + 1);
    return {
      allowed: true as const,
      email,
      clientFailureId: id,
      retryAtIfWrong: later(accountPause ? addMs(at, accountPause) : null, nextClientPause ? addMs(at, nextClientPause) : null),
    };
  });
}

/** The password was right: the account's failures are forgotten, and this attempt no longer counts against the client. */
export async function signInSucceeded(db: Kysely<Database>, ticket: Extract<SignInTicket, { allowed: true }>) {
  await db.deleteFrom("sign_in_client_failures").where("id", "=", ticket.clientFailureId).execute();
  await clearSignInFailures(db, ticket.email);
}

/** Forgets an account's failures (a new password was chosen through an emailed link). */
export async function clearSignInFailures(db: Kysely<Database>, email: string) {
  await db.deleteFrom("sign_in_failures").where("email", "=", email.toLowerCase()).execute();
}

/** Whole seconds until a paused attempt is taken again, at least one. */
function secondsUntil(retryAt: Date, at = now()): number {
  return Math.max(1, Math.ceil((retryAt.getTime() - at.getTime()) / SECOND));
}

/** The Retry-After header of a refusal that says when to try again. */
export function retryAfterHeader(retryAt: Date): { "Retry-After": string } {
  return { "Retry-After": String(secondsUntil(retryAt)) };
}

/** "You can try again in 15 seconds." or "… in about 4 minutes, at 14:05.", for a refusal or a failure that started a pause. */
export function tryAgain(retryAt: Date, at = now()): string {
  const seconds = secondsUntil(retryAt, at);
  if (seconds < 90) return `You can try again in ${plural(seconds, "second")}.`;
  return `You can try again in about ${plural(Math.ceil(seconds / 60), "minute")}, at ${formatTime(retryAt)}.`;
}
