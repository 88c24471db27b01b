import type { Kysely, Selectable } from "kysely";
import type { Database, SignInProvidersTable } from "#db/schema.ts";
import { open, seal } from "#app/auth/secret-box.server.ts";

/** An identity provider as the app uses it; the client secret stays sealed until a sign-in needs it. */
export interface SignInProvider {
  id: number;
  slug: string;
  name: string;
  issuerUrl: string;
  clientId: string;
  hasClientSecret: boolean;
  emailDomains: string[];
  ssoRequired: boolean;
  bookersMayJoin: boolean;
  trustsProviderSecondFactor: boolean;
  isEnabled: boolean;
}

type ProviderRow = Selectable<SignInProvidersTable>;

function toProvider(row: ProviderRow): SignInProvider {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    issuerUrl: row.issuer_url,
    clientId: row.client_id,
    hasClientSecret: row.client_secret_sealed !== null,
    emailDomains: splitDomains(row.email_domains),
    ssoRequired: row.sso_required === 1,
    bookersMayJoin: row.bookers_may_join === 1,
    trustsProviderSecondFactor: row.trusts_provider_second_factor === 1,
    isEnabled: row.is_enabled === 1,
  };
}

export function splitDomains(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[\s,;]+/)
    .map((d) => d.replace(/^@/, "").trim())
    .filter(Boolean);
}

/** The part of an address after the last @, lower-case; empty when there is none. */
export function emailDomain(email: string): string {
  const at = email.lastIndexOf("@");
  return at < 0 ? "" : email.slice(at + 1).toLowerCase();
}

export function coversEmail(provider: Pick<SignInProvider, "emailDomains">, email: string): boolean {
  const domain = emailDomain(email);
  return domain !== "" && provider.emailDomains.includes(domain);
}

/** What the sealed client secret is bound to: moved to another provider's row, it no longer opens. */
export function secretBinding(providerId: number): string {
  return `sign-in-provider:${providerId}`;
}

export function sealClientSecret(providerId: number, secret: string): string {
  return seal(secret, secretBinding(providerId));
}

export async function listSignInProviders(db: Kysely<Database>, opts: { enabledOnly?: boolean } = {}): Promise<SignInProvider[]> {
  let q = db.selectFrom("sign_in_providers").selectAll().orderBy("name").orderBy("id");
  if (opts.enabledOnly) q = q.where("is_enabled", "=", 1);
  return (await q.execute()).map(toProvider);
}

export async function getSignInProvider(db: Kysely<Database>, id: number): Promise<SignInProvider | null> {
  const row = await db.selectFrom("sign_in_providers").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? toProvider(row) : null;
}

export async function getSignInProviderBySlug(db: Kysely<Database>, slug: string): Promise<SignInProvider | null> {
  const row = await db.selectFrom("sign_in_providers").selectAll().where("slug", "=", slug).executeTakeFirst();
  return row ? toProvider(row) : null;
}

/**
 * The provider's client secret, for the token request only; null for a public client, or when it
 * was sealed under another key (SESSION_SECRET changed) and must be entered again.
 */
export async function clientSecretOf(db: Kysely<Database>, providerId: number): Promise<string | null> {
  const row = await db.selectFrom("sign_in_providers").select("client_secret_sealed").where("id", "=", providerId).executeTakeFirst();
  if (!row?.client_secret_sealed) return null;
  return open(row.client_secret_sealed, secretBinding(providerId));
}

/** The enabled provider that must sign in people at this address's domain, if one must. */
export async function providerRequiredFor(db: Kysely<Database>, email: string): Promise<SignInProvider | null> {
  const providers = await listSignInProviders(db, { enabledOnly: true });
  return providers.find((p) => p.ssoRequired && coversEmail(p, email)) ?? null;
}
