import * as client from "openid-client";
import type { Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import { getEnv } from "#app/utils/env.server.ts";
import { addMs, MINUTE, now } from "#app/utils/time.ts";
import { sha256Hex } from "#app/utils/tokens.server.ts";
import { clientSecretOf, type SignInProvider } from "./providers.server.ts";
import { isLoopbackIssuer } from "./schemas.ts";

/**
 * The OpenID Connect side of a sign-in, through openid-client: discovery, the authorization request
 * (code flow with PKCE, state and nonce) and the callback (code exchange and ID token checks:
 * signature, issuer, audience, nonce, expiry). Nothing here decides who may come in.
 */

export const SSO_ATTEMPT_LIFETIME_MS = 10 * MINUTE;
/** Allowed difference between our clock and the provider's when checking a token's times. */
export const CLOCK_TOLERANCE_SECONDS = 120;
const DISCOVERY_TTL_MS = 10 * MINUTE;
const DISCOVERY_TIMEOUT_SECONDS = 10;
export const SSO_SCOPES = "openid email profile";

/** The provider could not be reached, or answered with something that is not a provider. */
export class ProviderUnavailableError extends Error {}

export function callbackUrl(provider: Pick<SignInProvider, "slug">): string {
  return `${getEnv().APP_URL}/auth/sso/${provider.slug}/callback`;
}

export function postSignOutUrl(): string {
  return `${getEnv().APP_URL}/login`;
}

const discovered = new Map<string, { at: number; metadata: client.ServerMetadata }>();

/**
 * Reads the provider's discovery document afresh and keeps what it says for the sign-ins that follow.
 * Failures are thrown as they came, for a caller that explains them.
 */
export async function discoverMetadata(issuerUrl: string, timeoutSeconds = DISCOVERY_TIMEOUT_SECONDS): Promise<client.ServerMetadata> {
  discovered.delete(issuerUrl);
  const config = await client.discovery(new URL(issuerUrl), "discovery", undefined, client.None(), {
    execute: isLoopbackIssuer(issuerUrl) ? [client.allowInsecureRequests] : [],
    timeout: timeoutSeconds,
  });
  const metadata = config.serverMetadata();
  discovered.set(issuerUrl, { at: Date.now(), metadata });
  return metadata;
}

/** The provider's metadata from its discovery document, kept for ten minutes. */
async function serverMetadata(issuerUrl: string): Promise<client.ServerMetadata> {
  const cached = discovered.get(issuerUrl);
  if (cached && Date.now() - cached.at < DISCOVERY_TTL_MS) return cached.metadata;
  try {
    return await discoverMetadata(issuerUrl);
  } catch (error) {
    throw new ProviderUnavailableError(error instanceof Error ? error.message : String(error));
  }
}

/** Forget what discovery found, so the next sign-in asks the provider again (after its settings change). */
export function forgetDiscovery(issuerUrl?: string) {
  if (issuerUrl) discovered.delete(issuerUrl);
  else discovered.clear();
}

/**
 * The client configuration for one provider. Token times are checked against the app's own clock
 * (the same one every other rule reads), with two minutes' tolerance either way.
 */
export async function providerConfiguration(db: Kysely<Database>, provider: SignInProvider): Promise<client.Configuration> {
  const metadata = await serverMetadata(provider.issuerUrl);
  const secret = provider.hasClientSecret ? await clientSecretOf(db, provider.id) : null;
  if (provider.hasClientSecret && secret === null) throw new ProviderUnavailableError("The client secret can no longer be read: enter it again.");
  const config = new client.Configuration(
    metadata,
    provider.clientId,
    {
      ...(secret ? { client_secret: secret } : {}),
      [client.clockSkew]: Math.round((now().getTime() - Date.now()) / 1000),
      [client.clockTolerance]: CLOCK_TOLERANCE_SECONDS,
    },
    secret ? client.ClientSecretPost(secret) : client.None(),
  );
  if (isLoopbackIssuer(provider.issuerUrl)) client.allowInsecureRequests(config);
  config.timeout = DISCOVERY_TIMEOUT_SECONDS;
  return config;
}

/**
 * Starts a sign-in: remembers the state (by its hash), nonce and PKCE verifier for ten minutes and
 * gives the address at the provider. The caller puts the state in a cookie too, so the answer is
 * taken only in the browser that asked.
 */
export async function beginSsoSignIn(
  db: Kysely<Database>,
  provider: SignInProvider,
  redirectTo: string,
  opts: { reauth?: boolean } = {},
): Promise<{ authorizationUrl: string; state: string; expiresAt: Date }> {
  const config = await providerConfiguration(db, provider);
  const state = client.randomState();
  const nonce = client.randomNonce();
  const codeVerifier = client.randomPKCECodeVerifier();
  const at = now();
  const expiresAt = addMs(at, SSO_ATTEMPT_LIFETIME_MS);
  await db
    .insertInto("sso_attempts")
    .values({
      state_hash: sha256Hex(state),
      provider_id: provider.id,
      nonce,
      code_verifier: codeVerifier,
      redirect_to: redirectTo,
      created_at: at.toISOString(),
      expires_at: expiresAt.toISOString(),
    })
    .execute();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: callbackUrl(provider),
    scope: SSO_SCOPES,
    state,
    nonce,
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: "S256",
    // Asked again before sensitive work: the provider must check the person now, not rely on its own session.
    ...(opts.reauth ? { prompt: "login" } : {}),
  });
  return { authorizationUrl: url.href, state, expiresAt };
}

/** Takes the remembered attempt for this state, once: a second answer with the same state finds nothing. */
export async function takeSsoAttempt(db: Kysely<Database>, providerId: number, state: string) {
  const row = await db.deleteFrom("sso_attempts").where("state_hash", "=", sha256Hex(state)).returningAll().executeTakeFirst();
  if (!row || row.provider_id !== providerId || row.expires_at <= now().toISOString()) return null;
  return row;
}

export interface ProviderClaims {
  subject: string;
  email: string | null;
  emailVerified: boolean | null;
  name: string | null;
  /** The provider says the person used more than a password (RFC 8176 methods). */
  secondFactor: boolean;
}

const SECOND_FACTOR_METHODS = new Set(["mfa", "otp", "hwk", "sms", "sc", "swk", "tel"]);

export type CodeExchangeResult = { ok: true; claims: ProviderClaims } | { ok: false; reason: "rejected" | "unavailable"; detail: string };

/**
 * Exchanges the code and checks the ID token. A refusal by the provider (a code used twice, or
 * issued to another client) and a token that fails a check (wrong nonce, audience or issuer,
 * expired, bad signature) are both "rejected"; only a provider that cannot be reached is "unavailable".
 */
export async function exchangeCode(
  db: Kysely<Database>,
  provider: SignInProvider,
  answer: URLSearchParams,
  attempt: { nonce: string; code_verifier: string },
  expectedState: string,
): Promise<CodeExchangeResult> {
  let config: client.Configuration;
  try {
    config = await providerConfiguration(db, provider);
  } catch (error) {
    return { ok: false, reason: "unavailable", detail: error instanceof Error ? error.message : String(error) };
  }
  const currentUrl = new URL(callbackUrl(provider));
  currentUrl.search = answer.toString();
  try {
    const tokens = await client.authorizationCodeGrant(config, currentUrl, {
      pkceCodeVerifier: attempt.code_verifier,
      expectedNonce: attempt.nonce,
      expectedState,
      idTokenExpected: true,
    });
    const idClaims = tokens.claims();
    if (!idClaims || !tokens.id_token) return { ok: false, reason: "rejected", detail: "no ID token" };
    let email = typeof idClaims.email === "string" ? idClaims.email : null;
    let emailVerified = typeof idClaims.email_verified === "boolean" ? idClaims.email_verified : null;
    let name = typeof idClaims.name === "string" ? idClaims.name : null;
    if (email === null && tokens.access_token) {
      // Some providers give the address only from their userinfo endpoint.
      const info = await client.fetchUserInfo(config, tokens.access_token, idClaims.sub);
      email = typeof info.email === "string" ? info.email : null;
      emailVerified = typeof info.email_verified === "boolean" ? info.email_verified : emailVerified;
      name ??= typeof info.name === "string" ? info.name : null;
    }
    const amr = Array.isArray(idClaims.amr) ? idClaims.amr.map(String) : [];
    return {
      ok: true,
      claims: {
        subject: idClaims.sub,
        email: email?.trim().toLowerCase() ?? null,
        emailVerified,
        name: name?.trim() || null,
        secondFactor: amr.some((m) => SECOND_FACTOR_METHODS.has(m)),
      },
    };
  } catch (error) {
    const detail = describe(error);
    const unreachable = error instanceof TypeError || (error instanceof Error && /fetch failed|ECONNREFUSED|timeout|aborted/i.test(detail));
    return { ok: false, reason: unreachable ? "unavailable" : "rejected", detail };
  }
}

function describe(error: unknown): string {
  if (error instanceof client.ResponseBodyError) return `${error.error}: ${error.error_description ?? error.message}`;
  if (error instanceof Error) return error.cause instanceof Error ? `${error.message} (${error.cause.message})` : error.message;
  return String(error);
}

/**
 * The provider's own sign-out, when it offers one. It is a link the person follows after signing out
 * here (a form may only lead back to this site), so it carries the client id and no token.
 */
export async function providerSignOutUrl(db: Kysely<Database>, provider: SignInProvider): Promise<string | null> {
  try {
    const config = await providerConfiguration(db, provider);
    if (!config.serverMetadata().end_session_endpoint) return null;
    return client.buildEndSessionUrl(config, { post_logout_redirect_uri: postSignOutUrl(), client_id: provider.clientId }).href;
  } catch {
    // The provider cannot be reached: signing out here is done all the same.
    return null;
  }
}
