import type { Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import { verifyAgainstDummy, verifyPassword } from "./password.server.ts";
import { beginSignInAttempt, signInSucceeded } from "./sign-in-throttle.server.ts";

export type PasswordCheck =
  | { ok: true; user: { id: number; email: string; name: string } }
  | { ok: false; reason: "invalid"; retryAt: Date | null }
  | { ok: false; reason: "throttled"; retryAt: Date };

/**
 * The one place a typed password is compared with an account's: at sign-in, and when a signed-in
 * person confirms it is them (changing their password, setting up a second factor). Throttled per
 * account and per client (see sign-in-throttle.server.ts); an unknown address, an account without a
 * password and a deactivated one take as long and answer the same as a wrong password.
 */
export async function checkPassword(
  db: Kysely<Database>,
  input: { email: string; password: string; client: string },
  onFailure: (failure: { userId: number | null; reason: string }) => Promise<unknown>,
): Promise<PasswordCheck> {
  const email = input.email.toLowerCase();
  const ticket = await beginSignInAttempt(db, { email, client: input.client });
  const user = await db.selectFrom("users").select(["id", "email", "name", "password_hash", "is_active"]).where("email", "=", email).executeTakeFirst();
  if (!ticket.allowed) {
    await onFailure({ userId: user?.id ?? null, reason: "rate limited" });
    return { ok: false, reason: "throttled", retryAt: ticket.retryAt };
  }
  let valid = false;
  if (user?.password_hash && user.is_active === 1) valid = await verifyPassword(user.password_hash, input.password);
  else await verifyAgainstDummy(input.password);
  if (!valid || !user) {
    const reason = !user ? "unknown account" : user.is_active !== 1 ? "deactivated account" : !user.password_hash ? "no password set yet" : "wrong password";
    await onFailure({ userId: user?.id ?? null, reason });
    return { ok: false, reason: "invalid", retryAt: ticket.retryAtIfWrong };
  }
  await signInSucceeded(db, ticket);
  return { ok: true, user: { id: user.id, email: user.email, name: user.name } };
}
