import type { Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import { addMs, DAY, now } from "#app/utils/time.ts";
import { ACCOUNT_POLICY, CLIENT_POLICY } from "./sign-in-throttle.server.ts";

/** Deletes sessions, emailed-link tokens, sign-in failure counts and unfinished provider sign-ins that can no longer matter. */
export async function pruneExpiredAuthRecords(db: Kysely<Database>) {
  const at = now();
  const iso = at.toISOString();
  const [sessions, tokens, failures, clientFailures, ssoAttempts] = await Promise.all([
    db
      .deleteFrom("auth_sessions")
      .where((eb) => eb.or([eb("idle_expires_at", "<=", iso), eb("absolute_expires_at", "<=", iso)]))
      .executeTakeFirst(),
    // Spent and expired links are kept a week, so "this link was already used" can still be told apart from "unknown".
    db
      .deleteFrom("email_tokens")
      .where("expires_at", "<=", addMs(at, -7 * DAY).toISOString())
      .executeTakeFirst(),
    db
      .deleteFrom("sign_in_failures")
      .where("last_failed_at", "<=", addMs(at, -ACCOUNT_POLICY.forgetAfterMs).toISOString())
      .where((eb) => eb.or([eb("locked_until", "is", null), eb("locked_until", "<=", iso)]))
      .executeTakeFirst(),
    db.deleteFrom("sign_in_client_failures").where("failed_at", "<=", addMs(at, -CLIENT_POLICY.forgetAfterMs).toISOString()).executeTakeFirst(),
    db.deleteFrom("sso_attempts").where("expires_at", "<=", iso).executeTakeFirst(),
  ]);
  return {
    sessions: Number(sessions.numDeletedRows),
    tokens: Number(tokens.numDeletedRows),
    signInFailures: Number(failures.numDeletedRows),
    signInClientFailures: Number(clientFailures.numDeletedRows),
    ssoAttempts: Number(ssoAttempts.numDeletedRows),
  };
}
