import type { Kysely } from "kysely";
import type { Database, Db } from "#db/schema.ts";
import { writeTransaction } from "#app/utils/transaction.server.ts";
import { recordAudit } from "#app/audit/audit.server.ts";
import { hasSecondFactor } from "#app/auth/second-factor.server.ts";
import { createAuthSession } from "#app/auth/session.server.ts";
import { isUniqueViolation } from "#db/dialect.ts";
import { nowIso } from "#app/utils/time.ts";
import { constantTimeEqualHex, sha256Hex } from "#app/utils/tokens.server.ts";
import { exchangeCode, takeSsoAttempt, type ProviderClaims } from "./oidc.server.ts";
import { coversEmail, emailDomain, getSignInProviderBySlug, type SignInProvider } from "./providers.server.ts";

/**
 * Who a provider's answer signs in. Accounts stay the app's: the provider proves who someone is,
 * and only an invited account (or, where the coordinator allows it, a booker at the provider's
 * domains) comes in. The first sign-in ties the provider's subject to the account; after that the
 * subject finds them, whatever their email address has become at the provider.
 */

export type SsoRefusal =
  | "unknown_provider"
  | "expired"
  | "cancelled"
  | "provider_error"
  | "unavailable"
  | "rejected"
  | "no_email"
  | "email_unverified"
  | "domain_not_allowed"
  | "not_invited"
  | "inactive"
  | "linked_elsewhere";

export type SsoSignInResult =
  | { ok: true; userId: number; token: string; expiresAt: Date; awaitsSecondFactor: boolean; redirectTo: string }
  | { ok: false; reason: SsoRefusal; provider: { name: string; slug: string; emailDomains: string[] } | null; email: string | null };

export async function completeSsoSignIn(
  db: Kysely<Database>,
  input: { slug: string; answer: URLSearchParams; cookieState: string | null; userAgent: string | null; client: string },
): Promise<SsoSignInResult> {
  const provider = await getSignInProviderBySlug(db, input.slug);
  if (!provider?.isEnabled) return { ok: false, reason: "unknown_provider", provider: null, email: null };
  const refuse = async (reason: SsoRefusal, detail: Record<string, unknown> = {}, email: string | null = null): Promise<SsoSignInResult> => {
    await recordAudit(db, {
      actorUserId: null,
      action: "sso.sign_in_refused",
      entityType: "sign_in_provider",
      entityId: provider.id,
      summary: `Sign-in through ${provider.name} refused${email ? ` for ${email}` : ""}: ${REFUSAL_SUMMARIES[reason]}`,
      detail: { reason, email, client: input.client, ...detail },
    });
    return { ok: false, reason, provider: { name: provider.name, slug: provider.slug, emailDomains: provider.emailDomains }, email };
  };

  // The answer must come back to the browser that asked: the state in the address and in its cookie agree.
  const state = input.answer.get("state");
  if (!state || !input.cookieState || !constantTimeEqualHex(sha256Hex(state), sha256Hex(input.cookieState))) {
    return refuse("expired", { why: state ? "the state does not match this browser's" : "no state" });
  }
  const attempt = await takeSsoAttempt(db, provider.id, state);
  if (!attempt) return refuse("expired", { why: "no sign-in waiting for that state: used already, or more than ten minutes old" });

  const error = input.answer.get("error");
  if (error) {
    const description = input.answer.get("error_description")?.slice(0, 300) ?? null;
    return refuse(error === "access_denied" ? "cancelled" : "provider_error", { error: error.slice(0, 100), description });
  }

  const exchanged = await exchangeCode(db, provider, input.answer, attempt, state);
  if (!exchanged.ok) return refuse(exchanged.reason, { why: exchanged.detail.slice(0, 300) });
  const { email, ...rest } = exchanged.claims;
  if (!email) return refuse("no_email", { subject: rest.subject });
  const claims = { ...rest, email };

  const found = await writeTransaction(db, (trx) => findOrLinkAccount(trx, provider, claims));
  if (!found.ok) return refuse(found.reason, { subject: claims.subject }, claims.email);

  const enrolled = await hasSecondFactor(db, found.userId);
  // A second factor the provider vouches for counts as ours, when the coordinator trusts it to.
  const provedByProvider = provider.trustsProviderSecondFactor && claims.secondFactor;
  const session = await createAuthSession(db, found.userId, input.userAgent, {
    secondFactorAt: provedByProvider ? nowIso() : null,
    ssoProviderId: provider.id,
  });
  const awaits = enrolled && !provedByProvider;
  if (!awaits) {
    await recordAudit(db, {
      actorUserId: found.userId,
      action: "auth.signed_in",
      entityType: "user",
      entityId: found.userId,
      summary: `${found.email} signed in through ${provider.name}${provedByProvider ? " (with the provider's second factor)" : ""}`,
      detail: { provider: provider.slug, userAgent: input.userAgent?.slice(0, 300) ?? null, client: input.client },
    });
  }
  return { ok: true, userId: found.userId, ...session, awaitsSecondFactor: awaits, redirectTo: attempt.redirect_to };
}

type FoundAccount =
  | { ok: true; userId: number; email: string }
  | { ok: false; reason: "email_unverified" | "domain_not_allowed" | "not_invited" | "inactive" | "linked_elsewhere" };

async function findOrLinkAccount(trx: Db, provider: SignInProvider, claims: ProviderClaims & { email: string }): Promise<FoundAccount> {
  const at = nowIso();
  const linked = await trx
    .selectFrom("user_identities as i")
    .innerJoin("users as u", "u.id", "i.user_id")
    .select(["i.id", "i.email as linked_email", "u.id as user_id", "u.email", "u.is_active"])
    .where("i.provider_id", "=", provider.id)
    .where("i.subject", "=", claims.subject)
    .executeTakeFirst();
  if (linked) {
    if (linked.is_active !== 1) return { ok: false, reason: "inactive" };
    await trx.updateTable("user_identities").set({ email: claims.email, last_signed_in_at: at }).where("id", "=", linked.id).execute();
    if (linked.linked_email !== claims.email) {
      await recordAudit(trx, {
        actorUserId: linked.user_id,
        action: "sso.provider_email_changed",
        entityType: "user",
        entityId: linked.user_id,
        summary: `${provider.name} now gives ${linked.email} the address ${claims.email}; still the same account`,
        detail: { provider: provider.slug, from: linked.linked_email, to: claims.email },
      });
    }
    return { ok: true, userId: linked.user_id, email: linked.email };
  }

  // Not linked yet: the address decides, so it must be one the provider vouches for, at its domains.
  if (claims.emailVerified === false) return { ok: false, reason: "email_unverified" };
  if (!coversEmail(provider, claims.email)) return { ok: false, reason: "domain_not_allowed" };
  let user = await trx.selectFrom("users").select(["id", "email", "is_active"]).where("email", "=", claims.email).executeTakeFirst();
  if (user && user.is_active !== 1) return { ok: false, reason: "inactive" };
  if (user) {
    const other = await trx.selectFrom("user_identities").select("id").where("user_id", "=", user.id).where("provider_id", "=", provider.id).executeTakeFirst();
    if (other) return { ok: false, reason: "linked_elsewhere" };
  } else {
    if (!provider.bookersMayJoin) return { ok: false, reason: "not_invited" };
    const name = claims.name?.slice(0, 120) || claims.email.slice(0, claims.email.indexOf("@"));
    const created = await trx
      .insertInto("users")
      .values({ email: claims.email, name, password_hash: null, created_at: at, updated_at: at })
      .returning(["id", "email", "is_active"])
      .executeTakeFirstOrThrow();
    await trx.insertInto("user_roles").values({ user_id: created.id, role: "booker", granted_at: at }).execute();
    await recordAudit(trx, {
      actorUserId: null,
      action: "sso.account_created",
      entityType: "user",
      entityId: created.id,
      summary: `${claims.email} joined as a booker through ${provider.name} (people at ${emailDomain(claims.email)} may)`,
      detail: { provider: provider.slug },
    });
    user = created;
  }
  try {
    await trx
      .insertInto("user_identities")
      .values({ user_id: user.id, provider_id: provider.id, subject: claims.subject, email: claims.email, linked_at: at, last_signed_in_at: at })
      .execute();
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, reason: "linked_elsewhere" };
    throw error;
  }
  await recordAudit(trx, {
    actorUserId: user.id,
    action: "sso.identity_linked",
    entityType: "user",
    entityId: user.id,
    summary: `${user.email} now signs in through ${provider.name}`,
    detail: { provider: provider.slug },
  });
  return { ok: true, userId: user.id, email: user.email };
}

const REFUSAL_SUMMARIES: Record<SsoRefusal, string> = {
  unknown_provider: "no such provider",
  expired: "the sign-in was not started in this browser, was used already or took too long",
  cancelled: "cancelled at the provider",
  provider_error: "the provider answered with an error",
  unavailable: "the provider could not be reached",
  rejected: "the provider's answer did not pass the checks",
  no_email: "the provider gave no email address",
  email_unverified: "the provider has not verified the email address",
  domain_not_allowed: "the address is not at one of the provider's domains",
  not_invited: "no account has that address",
  inactive: "the account is switched off",
  linked_elsewhere: "the account is tied to another identity at this provider",
};
