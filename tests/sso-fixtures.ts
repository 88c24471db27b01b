import type { Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import { createAuthSession } from "#app/auth/session.server.ts";
import { sealClientSecret, type SignInProvider, getSignInProvider } from "#app/auth/sso/providers.server.ts";
import type { SignInProviderInput } from "#app/auth/sso/schemas.ts";
import { forgetDiscovery } from "#app/auth/sso/oidc.server.ts";
import { getEnv } from "#app/utils/env.server.ts";
import { nowIso } from "#app/utils/time.ts";
import { unique } from "./compliance-fixtures.ts";
import { startLocalIdentityProvider, type LocalAccount, type LocalIdentityProvider } from "../scripts/lib/local-identity-provider.ts";

/** The two clients the test provider knows; both may return to every test slug, so one can stand in for the other. */
export const CLIENT = { clientId: "neverok-training", clientSecret: "a client secret for the tests" };
export const OTHER_CLIENT = { clientId: "another-service", clientSecret: "another client's secret" };
export const TEST_SLUGS = ["campus", "campus-required", "campus-bookers", "campus-trusted", "campus-down"];

export async function startTestProvider(accounts: LocalAccount[], opts: { idTokenSeconds?: number } = {}): Promise<LocalIdentityProvider> {
  const appUrl = getEnv().APP_URL;
  return startLocalIdentityProvider({
    accounts,
    clients: [CLIENT, OTHER_CLIENT].map((c) => ({ ...c, appUrl, slugs: TEST_SLUGS })),
    idTokenSeconds: opts.idTokenSeconds,
  });
}

export async function addTestProvider(
  db: Kysely<Database>,
  opts: {
    issuer: string;
    slug?: string;
    name?: string;
    domains?: string[];
    ssoRequired?: boolean;
    bookersMayJoin?: boolean;
    trusts?: boolean;
    client?: { clientId: string; clientSecret: string };
  },
): Promise<SignInProvider> {
  const at = nowIso();
  const client = opts.client ?? CLIENT;
  const row = await db
    .insertInto("sign_in_providers")
    .values({
      slug: opts.slug ?? "campus",
      name: opts.name ?? "Campus Account",
      issuer_url: opts.issuer,
      client_id: client.clientId,
      email_domains: (opts.domains ?? ["campus.example.ac.uk"]).join(" "),
      sso_required: opts.ssoRequired ? 1 : 0,
      bookers_may_join: opts.bookersMayJoin ? 1 : 0,
      trusts_provider_second_factor: opts.trusts ? 1 : 0,
      is_enabled: 1,
      created_at: at,
      updated_at: at,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db
    .updateTable("sign_in_providers")
    .set({ client_secret_sealed: sealClientSecret(row.id, client.clientSecret) })
    .where("id", "=", row.id)
    .execute();
  forgetDiscovery();
  return (await getSignInProvider(db, row.id))!;
}

/**
 * A browser at the provider: follows its redirects with its cookies, signs in as `login` (or
 * cancels), and stops at the address the provider sends back to the app.
 */
export async function throughProvider(authorizationUrl: string, as: { login: string; secondFactor?: boolean } | "cancel"): Promise<URL> {
  const appOrigin = new URL(getEnv().APP_URL).origin;
  const cookies = new Map<string, string>();
  const send = async (url: URL, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (cookies.size) headers.set("Cookie", [...cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const response = await fetch(url, { ...init, headers, redirect: "manual" });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const [name, ...value] = pair!.split("=");
      cookies.set(name!.trim(), value.join("="));
    }
    return response;
  };
  let url = new URL(authorizationUrl);
  let response = await send(url);
  for (let hops = 0; hops < 20; hops++) {
    const location = response.headers.get("Location");
    if (location) {
      url = new URL(location, url);
      if (url.origin === appOrigin) return url;
      response = await send(url);
      continue;
    }
    const html = await response.text();
    const interaction = /action="(\/interaction\/[\w-]+)"/.exec(html)?.[1];
    if (!interaction) throw new Error(`The provider showed no sign-in form (${response.status}): ${html.slice(0, 300)}`);
    if (as === "cancel") {
      response = await send(new URL(`${interaction}/abort`, url), { method: "POST" });
    } else {
      const body = new URLSearchParams({ login: as.login, password: "anything" });
      if (as.secondFactor) body.set("second_factor", "yes");
      response = await send(new URL(interaction, url), { method: "POST", body, headers: { "Content-Type": "application/x-www-form-urlencoded" } });
    }
  }
  throw new Error("The provider never sent the browser back");
}

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
  return (await createAuthSession(db, userId, null, { ssoProviderId: providerId })).token.split(".")[0]!;
}

export async function sessionExists(db: Kysely<Database>, id: string): Promise<boolean> {
  return Boolean(await db.selectFrom("auth_sessions").select("id").where("id", "=", id).executeTakeFirst());
}
