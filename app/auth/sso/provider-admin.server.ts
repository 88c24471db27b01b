import type { Kysely } from "kysely";
import type { Database, Db } from "#db/schema.ts";
import { writeTransaction } from "#app/utils/transaction.server.ts";
import { recordAudit } from "#app/audit/audit.server.ts";
import { hasPermission } from "#app/auth/permissions.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { isUniqueViolation } from "#db/dialect.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { plural } from "#app/utils/plural.ts";
import { nowIso } from "#app/utils/time.ts";
import { clientSecretOf, getSignInProvider, listSignInProviders, sealClientSecret, type SignInProvider } from "./providers.server.ts";
import { discoverMetadata } from "./oidc.server.ts";
import { isDomainName, issuerProblem, SLUG_PATTERN, slugFromName, type SignInProviderInput } from "./schemas.ts";

/**
 * The coordinator's side of signing in through an identity provider: adding, changing and removing
 * providers, and checking that one answers. The client secret goes in sealed and never comes out here.
 */

/** A provider as its settings page shows it: with how many accounts sign in through it. */
export interface ProviderForAdmin extends SignInProvider {
  linkedAccounts: number;
  /** Linked accounts with no password of ours: they have no way in without this provider. */
  linkedWithoutPassword: number;
  /** A secret is saved but no longer opens (SESSION_SECRET changed): sign-in fails until it is entered again. */
  clientSecretUnreadable: boolean;
}

async function forAdmin(db: Db, provider: SignInProvider, count: { linked: number; withoutPassword: number } | undefined): Promise<ProviderForAdmin> {
  return {
    ...provider,
    linkedAccounts: count?.linked ?? 0,
    linkedWithoutPassword: count?.withoutPassword ?? 0,
    clientSecretUnreadable: provider.hasClientSecret && (await clientSecretOf(db, provider.id)) === null,
  };
}

async function linkCounts(db: Db, providerIds: number[]) {
  if (providerIds.length === 0) return new Map<number, { linked: number; withoutPassword: number }>();
  const rows = await db
    .selectFrom("user_identities")
    .innerJoin("users", "users.id", "user_identities.user_id")
    .select((eb) => [
      "user_identities.provider_id",
      eb.fn.countAll<number>().as("linked"),
      eb.fn.sum<number>(eb.case().when("users.password_hash", "is", null).then(1).else(0).end()).as("without_password"),
    ])
    .where("user_identities.provider_id", "in", providerIds)
    .groupBy("user_identities.provider_id")
    .execute();
  return new Map(rows.map((r) => [r.provider_id, { linked: Number(r.linked), withoutPassword: Number(r.without_password ?? 0) }]));
}

export async function listProvidersForAdmin(db: Db): Promise<ProviderForAdmin[]> {
  const providers = await listSignInProviders(db);
  const counts = await linkCounts(
    db,
    providers.map((p) => p.id),
  );
  return Promise.all(providers.map((p) => forAdmin(db, p, counts.get(p.id))));
}

export async function getProviderForAdmin(db: Db, id: number): Promise<ProviderForAdmin | null> {
  const provider = await getSignInProvider(db, id);
  if (!provider) return null;
  return forAdmin(db, provider, (await linkCounts(db, [id])).get(id));
}

function assertMayManage(actor: SessionUser) {
  if (!hasPermission(actor.roles, "manage:users")) throw new RuleViolation("forbidden", "Only the training coordinator can change how people sign in.");
}

const gone = () => new RuleViolation("form", "That sign-in provider is no longer set up. Another coordinator may have removed it.");

/** The rules the form's schema also checks, held here too so no caller can store an unusable provider. */
function checkFields(input: SignInProviderInput, slug: string | null) {
  const issuer = issuerProblem(input.issuerUrl);
  if (issuer) throw new RuleViolation("issuerUrl", issuer);
  if (slug !== null && !SLUG_PATTERN.test(slug))
    throw new RuleViolation("slug", "Use lower-case letters, digits and single hyphens only, like university-of-sussex");
  if (input.emailDomains.length === 0 || !input.emailDomains.every(isDomainName))
    throw new RuleViolation("emailDomains", "Enter the email domains as names like sussex.ac.uk");
  if (!input.name.trim() || !input.clientId.trim()) throw new RuleViolation("form", "Give the provider a name and a client id");
}

/** Refuses a domain that an enabled provider other than `exceptId` already signs people in for. */
async function checkDomainsFree(trx: Db, input: SignInProviderInput, exceptId: number | null) {
  if (!input.isEnabled) return;
  for (const other of await listSignInProviders(trx, { enabledOnly: true })) {
    if (other.id === exceptId) continue;
    const shared = input.emailDomains.filter((d) => other.emailDomains.includes(d));
    if (shared.length)
      throw new RuleViolation(
        "emailDomains",
        `${shared.join(", ")} already ${shared.length === 1 ? "belongs" : "belong"} to ${other.name}: people at a domain sign in through one provider only. Take it off ${other.name} first, or leave this provider switched off.`,
      );
  }
}

async function checkSlugFree(trx: Db, slug: string, exceptId: number | null) {
  let q = trx.selectFrom("sign_in_providers").select("name").where("slug", "=", slug);
  if (exceptId !== null) q = q.where("id", "!=", exceptId);
  const taken = await q.executeTakeFirst();
  if (taken) throw slugTaken(slug, taken.name);
}

const slugTaken = (slug: string, by?: string) =>
  new RuleViolation("slug", `“${slug}” is already the short name of ${by ?? "another provider"}: choose another, like ${slug}-2`);

function columns(input: SignInProviderInput, slug: string) {
  return {
    name: input.name.trim(),
    slug,
    issuer_url: input.issuerUrl.trim(),
    client_id: input.clientId.trim(),
    email_domains: input.emailDomains.join(" "),
    sso_required: input.ssoRequired ? (1 as const) : (0 as const),
    bookers_may_join: input.bookersMayJoin ? (1 as const) : (0 as const),
    trusts_provider_second_factor: input.trustsProviderSecondFactor ? (1 as const) : (0 as const),
    is_enabled: input.isEnabled ? (1 as const) : (0 as const),
  };
}

/** What the audit log keeps of a provider: everything the page shows, never the secret. */
function described(values: ReturnType<typeof columns>, confidential: boolean) {
  return {
    name: values.name,
    slug: values.slug,
    issuerUrl: values.issuer_url,
    clientId: values.client_id,
    emailDomains: values.email_domains,
    ssoRequired: values.sso_required === 1,
    bookersMayJoin: values.bookers_may_join === 1,
    trustsProviderSecondFactor: values.trusts_provider_second_factor === 1,
    enabled: values.is_enabled === 1,
    clientKind: confidential ? "confidential" : "public",
  };
}

/** Adds a provider; its secret is sealed to the id the row is given, in the same transaction. */
export async function createSignInProvider(db: Kysely<Database>, actor: SessionUser, input: SignInProviderInput): Promise<number> {
  assertMayManage(actor);
  const slug = input.slug ?? slugFromName(input.name);
  checkFields(input, slug);
  if (!input.publicClient && !input.clientSecret)
    throw new RuleViolation("clientSecret", "Enter the client secret the provider gave you, or tick “Public client” if it gave none");
  const values = columns(input, slug);
  const at = nowIso();
  try {
    return await writeTransaction(db, async (trx) => {
      await checkSlugFree(trx, slug, null);
      await checkDomainsFree(trx, input, null);
      const { id } = await trx
        .insertInto("sign_in_providers")
        .values({ ...values, client_secret_sealed: null, created_at: at, updated_at: at })
        .returning("id")
        .executeTakeFirstOrThrow();
      if (!input.publicClient && input.clientSecret)
        await trx
          .updateTable("sign_in_providers")
          .set({ client_secret_sealed: sealClientSecret(id, input.clientSecret) })
          .where("id", "=", id)
          .execute();
      await recordAudit(trx, {
        actorUserId: actor.id,
        action: "sso.provider_added",
        entityType: "sign_in_provider",
        entityId: id,
        summary: `${actor.name} added ${values.name} as a way to sign in`,
        detail: described(values, !input.publicClient),
      });
      return id;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw slugTaken(slug);
    throw err;
  }
}

/**
 * Changes a provider. A blank short name keeps the one registered at the provider; a blank secret
 * keeps the saved one, and `publicClient` removes it. A provider left with no secret must say it is a
 * public client, so a secret is never dropped by accident.
 */
export async function updateSignInProvider(db: Kysely<Database>, actor: SessionUser, id: number, input: SignInProviderInput): Promise<void> {
  assertMayManage(actor);
  checkFields(input, input.slug);
  if (input.publicClient && input.clientSecret)
    throw new RuleViolation("clientSecret", "A public client has no secret: clear this box, or untick “Public client”");
  try {
    await writeTransaction(db, async (trx) => {
      const before = await trx.selectFrom("sign_in_providers").selectAll().where("id", "=", id).executeTakeFirst();
      if (!before) throw gone();
      const slug = input.slug ?? before.slug;
      const values = columns(input, slug);
      const sealed = input.publicClient ? null : input.clientSecret ? sealClientSecret(id, input.clientSecret) : before.client_secret_sealed;
      if (!sealed && !input.publicClient)
        throw new RuleViolation("clientSecret", "Enter the client secret the provider gave you, or tick “Public client” if it gave none");
      await checkSlugFree(trx, slug, id);
      await checkDomainsFree(trx, input, id);
      await trx
        .updateTable("sign_in_providers")
        .set({ ...values, client_secret_sealed: sealed, updated_at: nowIso() })
        .where("id", "=", id)
        .execute();
      const was = described(before, before.client_secret_sealed !== null);
      const now = described(values, sealed !== null);
      const changed = Object.fromEntries(
        (Object.keys(now) as (keyof typeof now)[]).filter((k) => was[k] !== now[k]).map((k) => [k, { from: was[k], to: now[k] }]),
      );
      await recordAudit(trx, {
        actorUserId: actor.id,
        action: "sso.provider_changed",
        entityType: "sign_in_provider",
        entityId: id,
        summary: `${actor.name} changed the sign-in provider ${values.name}${input.clientSecret ? ", with a new client secret" : ""}`,
        detail: { changed, newClientSecretEntered: Boolean(input.clientSecret) },
      });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw slugTaken(input.slug ?? "");
    throw err;
  }
}

/**
 * Removes a provider with every identity linked through it, and ends the sessions begun through it:
 * the provider is no longer trusted to say who anyone is. Answers what went, for the page to say.
 */
export async function removeSignInProvider(db: Kysely<Database>, actor: SessionUser, id: number): Promise<{ name: string; linkedAccounts: number }> {
  assertMayManage(actor);
  return writeTransaction(db, async (trx) => {
    const provider = await getSignInProvider(trx, id);
    if (!provider) throw gone();
    const linked = (await linkCounts(trx, [id])).get(id)?.linked ?? 0;
    await trx.deleteFrom("auth_sessions").where("sso_provider_id", "=", id).execute();
    await trx.deleteFrom("sign_in_providers").where("id", "=", id).execute();
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: "sso.provider_removed",
      entityType: "sign_in_provider",
      entityId: id,
      summary: `${actor.name} removed the sign-in provider ${provider.name}; ${linked} linked ${linked === 1 ? "account" : "accounts"} lost it`,
      detail: {
        name: provider.name,
        slug: provider.slug,
        emailDomains: provider.emailDomains.join(" "),
        ssoRequired: provider.ssoRequired,
        linkedAccounts: linked,
      },
    });
    return { name: provider.name, linkedAccounts: linked };
  });
}

const CONNECTION_TIMEOUT_SECONDS = 10;

export interface ConnectionCheck {
  ok: boolean;
  message: string;
}

/**
 * Asks the provider for its OpenID configuration, as a sign-in would, and says in plain words what
 * came back. Never throws: every failure is an answer the coordinator can act on.
 */
export async function checkProviderConnection(
  provider: Pick<SignInProvider, "issuerUrl" | "clientId">,
  opts: { timeoutSeconds?: number } = {},
): Promise<ConnectionCheck> {
  const timeout = opts.timeoutSeconds ?? CONNECTION_TIMEOUT_SECONDS;
  const problem = issuerProblem(provider.issuerUrl);
  if (problem) return { ok: false, message: `The issuer address cannot be used: ${problem.charAt(0).toLowerCase()}${problem.slice(1)}.` };
  try {
    // The same discovery a sign-in makes, so a check also refreshes what the next sign-in uses.
    const meta = await discoverMetadata(provider.issuerUrl, timeout);
    const missing = [!meta.authorization_endpoint && "sign-in", !meta.token_endpoint && "token"].filter(Boolean);
    if (missing.length)
      return { ok: false, message: `Found ${meta.issuer}, but it offers no ${missing.join(" or ")} endpoint, so people could not sign in through it.` };
    return {
      ok: true,
      message: `Found ${meta.issuer}: sign-in and token endpoints present; sign-out ${meta.end_session_endpoint ? "offered" : "not offered (signing out here ends only our session)"}.`,
    };
  } catch (err) {
    return { ok: false, message: explainFailure(err, provider.issuerUrl, timeout) };
  }
}

/** A failed discovery in words: what happened, and what to check. */
function explainFailure(err: unknown, issuerUrl: string, timeoutSeconds: number): string {
  const host = new URL(issuerUrl).host;
  const e = err as { name?: string; code?: string; message?: string; cause?: unknown };
  const cause = e.cause as { code?: string; name?: string } | undefined;
  const causeCode = cause?.code ?? e.code;
  const configAddress = `${issuerUrl.replace(/\/$/, "")}/.well-known/openid-configuration`;
  if (e.code === "OAUTH_TIMEOUT" || e.name === "TimeoutError" || cause?.name === "TimeoutError" || causeCode === "UND_ERR_CONNECT_TIMEOUT")
    return `${host} did not answer within ${plural(timeoutSeconds, "second")}. The provider may be down, or this server may not reach it; try again later.`;
  if (causeCode === "ENOTFOUND" || causeCode === "EAI_AGAIN") return `There is no server called ${host}. Check the issuer address for a typing mistake.`;
  if (causeCode === "ECONNREFUSED") return `Nothing answered at ${host}: the provider's server refused the connection. Check the address and the port.`;
  if (typeof causeCode === "string" && (causeCode.startsWith("ERR_TLS") || causeCode.includes("CERT")))
    return `${host} answered, but its security certificate could not be trusted, so we stopped there.`;
  if (e.code === "OAUTH_RESPONSE_IS_NOT_CONFORM" || e.code === "OAUTH_RESPONSE_IS_NOT_JSON" || e.code === "OAUTH_PARSE_ERROR")
    return `${host} answered, but not with an OpenID configuration at ${configAddress}. Check that the issuer address is the one the provider gives.`;
  if (e.code === "OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED" || /issuer/i.test(e.message ?? ""))
    return `The provider answered, but names itself differently from ${issuerUrl}. Copy the issuer address exactly as the provider gives it (including any trailing /).`;
  return `We could not read the provider's OpenID configuration at ${configAddress}. Check the issuer address, then try again.`;
}
