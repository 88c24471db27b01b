import type { Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import { createAuthSession } from "#app/auth/session.server.ts";
import type { SignInProviderInput } from "#app/auth/sso/schemas.ts";
import { nowIso } from "#app/utils/time.ts";
import { unique } from "./compliance-fixtures.ts";

/** Sign-in providers and the identities linked through them, for tests of the coordinator's side. */

/** A provider's settings at a domain of its own, so tests never clash with each other's. */
export function providerInput(overrides: Partial<SignInProviderInput> = {}): SignInProviderInput {
  const i = unique();
  return {
    name: `University ${i}`,
    slug: `university-${i}`,
    issuerUrl: `https://login.example${i}.ac.uk`,
    clientId: `client-${i}`,
    clientSecret: `s3cret-value-${i}-${"x".repeat(20)}`,
    publicClient: false,
    emailDomains: [`uni${i}.ac.uk`],
    ssoRequired: false,
    bookersMayJoin: false,
    trustsProviderSecondFactor: false,
    isEnabled: true,
    ...overrides,
  };
}

/** Links a person to a provider, as their first sign-in through it would; answers the identity's id. */
export async function linkIdentity(db: Kysely<Database>, userId: number, providerId: number, email = `linked-${unique()}@example.ac.uk`): Promise<number> {
  const at = nowIso();
  const { id } = await db
    .insertInto("user_identities")
    .values({ user_id: userId, provider_id: providerId, subject: `subject-${unique()}`, email, linked_at: at, last_signed_in_at: at })
    .returning("id")
    .executeTakeFirstOrThrow();
  return id;
}

/** A session for this person begun through the provider, or with a password given null; answers its id. */
export async function sessionThrough(db: Kysely<Database>, userId: number, providerId: number | null): Promise<string> {
  const id = (await createAuthSession(db, userId, null)).token.split(".")[0]!;
  await db.updateTable("auth_sessions").set({ sso_provider_id: providerId }).where("id", "=", id).execute();
  return id;
}

export async function sessionExists(db: Kysely<Database>, id: string): Promise<boolean> {
  return Boolean(await db.selectFrom("auth_sessions").select("id").where("id", "=", id).executeTakeFirst());
}
