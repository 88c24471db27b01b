import { Secret, TOTP } from "otpauth";
import type { Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import { beginSecondFactorSetup, confirmSecondFactorSetup } from "#app/auth/second-factor.server.ts";
import { createAuthSession, validateSessionToken, type SessionUser } from "#app/auth/session.server.ts";
import { now } from "#app/utils/time.ts";
import { TEST_PASSWORD } from "./factories.ts";

/** Turns on an authenticator for someone with the test password, as they would on their account page. */
export async function enrolAuthenticator(db: Kysely<Database>, user: SessionUser) {
  const { token } = await createAuthSession(db, user.id, null);
  const { secret } = await beginSecondFactorSetup(db, user);
  const session = (await validateSessionToken(db, token))!;
  const code = TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: now().getTime() });
  const done = await confirmSecondFactorSetup(db, session, { code, currentPassword: TEST_PASSWORD, client: "192.0.2.9" });
  if (!done.ok) throw new Error(done.message);
  return { secret, recoveryCodes: done.recoveryCodes };
}
