import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "#app/db.server.ts";
import { validateSessionToken } from "#app/auth/session.server.ts";
import { MINUTE, setClockOffsetForTests } from "#app/utils/time.ts";
import { mustSetUpSecondFactor } from "#app/auth/guards.server.ts";
import { createUser, setEnvForTest } from "#tests/factories.ts";
import { enrolAuthenticator } from "#tests/second-factor-fixtures.ts";
import { addTestProvider, OTHER_CLIENT, startTestProvider, throughProvider } from "#tests/sso-fixtures.ts";
import type { LocalIdentityProvider } from "../../../scripts/lib/local-identity-provider.ts";
import { beginSsoSignIn, ProviderUnavailableError } from "./oidc.server.ts";
import { getSignInProviderBySlug, type SignInProvider } from "./providers.server.ts";
import { completeSsoSignIn } from "./sso-sign-in.server.ts";

const db = () => getDb();
const DOMAIN = "campus.example.ac.uk";

let idp: LocalIdentityProvider;
let campus: SignInProvider;

beforeAll(async () => {
  idp = await startTestProvider([
    { sub: "alex-7f3a", email: `alex@${DOMAIN}`, name: "Alex Rivers" },
    { sub: "sam-19c2", email: `sam@${DOMAIN}`, name: "Sam Okafor" },
    { sub: "stranger-4410", email: `stranger@${DOMAIN}`, name: "Not Invited" },
    { sub: "elsewhere-7781", email: "someone@elsewhere.example", name: "Other Domain" },
    { sub: "unverified-0001", email: `kim@${DOMAIN}`, name: "Kim Unverified", emailVerified: false },
  ]);
  campus = await addTestProvider(db(), { issuer: idp.issuer });
});
afterAll(() => idp.close());

let clients = 0;
/** Starts a sign-in as a browser would, returning the browser's state cookie and the provider address. */
async function start(provider: SignInProvider, redirectTo = "/") {
  const started = await beginSsoSignIn(db(), provider, redirectTo);
  return { ...started, cookieState: started.state };
}
async function finish(provider: SignInProvider, answer: URL, cookieState: string | null) {
  return completeSsoSignIn(db(), { slug: provider.slug, answer: answer.searchParams, cookieState, userAgent: "vitest", client: `192.0.2.${++clients}` });
}
async function signInAs(provider: SignInProvider, login: string, opts: { secondFactor?: boolean; redirectTo?: string } = {}) {
  const { authorizationUrl, cookieState } = await start(provider, opts.redirectTo);
  return finish(provider, await throughProvider(authorizationUrl, { login, secondFactor: opts.secondFactor }), cookieState);
}
const userCount = async () =>
  Number(
    (
      await db()
        .selectFrom("users")
        .select((eb) => eb.fn.countAll().as("n"))
        .executeTakeFirstOrThrow()
    ).n,
  );
const auditActions = async (since: number) =>
  (await db().selectFrom("audit_events").select(["action", "summary", "detail_json"]).where("id", ">", since).orderBy("id").execute()).map((a) => a.action);
const lastAuditId = async () =>
  (
    await db()
      .selectFrom("audit_events")
      .select((eb) => eb.fn.max("id").as("id"))
      .executeTakeFirst()
  )?.id ?? 0;

describe("signing in through the institution's provider", () => {
  it("asks the provider with PKCE, state and nonce, and remembers them only by the state's hash", async () => {
    const { authorizationUrl, state } = await start(campus);
    const url = new URL(authorizationUrl);
    expect(url.origin).toBe(idp.issuer);
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(url.searchParams.get("state")).toBe(state);
    expect(url.searchParams.get("nonce")).toBeTruthy();
    expect(url.searchParams.get("redirect_uri")).toBe("http://localhost:3000/auth/sso/campus/callback");
    expect(url.searchParams.get("scope")).toBe("openid email profile");
    const stored = await db().selectFrom("sso_attempts").selectAll().execute();
    expect(stored.some((a) => a.state_hash === state)).toBe(false);
  });

  it("signs in an invited person, ties the provider's subject to their account, and records it", async () => {
    const alex = await createUser(db(), { email: `alex@${DOMAIN}`, roles: ["trainer"], password: null });
    const before = await lastAuditId();
    const result = await signInAs(campus, "alex-7f3a", { redirectTo: "/trainer" });
    expect(result).toMatchObject({ ok: true, userId: alex.id, awaitsSecondFactor: false, redirectTo: "/trainer" });
    if (!result.ok) return;
    const session = await validateSessionToken(db(), result.token);
    expect(session?.user.id).toBe(alex.id);
    expect(session?.ssoProviderId).toBe(campus.id);
    const identity = await db().selectFrom("user_identities").selectAll().where("user_id", "=", alex.id).executeTakeFirstOrThrow();
    expect(identity).toMatchObject({ provider_id: campus.id, subject: "alex-7f3a", email: `alex@${DOMAIN}` });
    expect(await auditActions(before)).toEqual(["sso.identity_linked", "auth.signed_in"]);
  });

  it("finds the same person by the subject after their address changes at the provider: no second account", async () => {
    const sam = await createUser(db(), { email: `sam@${DOMAIN}`, roles: ["booker"] });
    expect((await signInAs(campus, "sam-19c2")).ok).toBe(true);
    idp.accounts.set("sam-19c2", { sub: "sam-19c2", email: `s.okafor@${DOMAIN}`, name: "Sam Okafor" });
    const people = await userCount();
    const before = await lastAuditId();
    const again = await signInAs(campus, "sam-19c2");
    expect(again).toMatchObject({ ok: true, userId: sam.id });
    expect(await userCount()).toBe(people);
    expect(await auditActions(before)).toEqual(["sso.provider_email_changed", "auth.signed_in"]);
    const identity = await db().selectFrom("user_identities").select("email").where("user_id", "=", sam.id).executeTakeFirstOrThrow();
    expect(identity.email).toBe(`s.okafor@${DOMAIN}`);
  });

  it("refuses someone with no account, makes none, and says why in the audit log", async () => {
    const people = await userCount();
    const before = await lastAuditId();
    const result = await signInAs(campus, "stranger-4410");
    expect(result).toMatchObject({ ok: false, reason: "not_invited", email: `stranger@${DOMAIN}` });
    expect(await userCount()).toBe(people);
    expect(await auditActions(before)).toEqual(["sso.sign_in_refused"]);
    expect(await db().selectFrom("user_identities").select("id").where("subject", "=", "stranger-4410").execute()).toHaveLength(0);
  });

  it("refuses an address outside the provider's domains and one the provider has not verified, even when an account has it", async () => {
    await createUser(db(), { email: "someone@elsewhere.example", roles: ["booker"] });
    await createUser(db(), { email: `kim@${DOMAIN}`, roles: ["booker"] });
    expect(await signInAs(campus, "elsewhere-7781")).toMatchObject({ ok: false, reason: "domain_not_allowed" });
    expect(await signInAs(campus, "unverified-0001")).toMatchObject({ ok: false, reason: "email_unverified" });
  });

  it("refuses a switched-off account", async () => {
    const off = await createUser(db(), { email: `off@${DOMAIN}` });
    await db().updateTable("users").set({ is_active: 0 }).where("id", "=", off.id).execute();
    idp.accounts.set("off-1", { sub: "off-1", email: `off@${DOMAIN}`, name: "Switched Off" });
    expect(await signInAs(campus, "off-1")).toMatchObject({ ok: false, reason: "inactive" });
  });

  it("refuses a second identity at the same provider for an account that already has one", async () => {
    const pat = await createUser(db(), { email: `pat@${DOMAIN}` });
    idp.accounts.set("pat-1", { sub: "pat-1", email: `pat@${DOMAIN}`, name: "Pat" });
    expect(await signInAs(campus, "pat-1")).toMatchObject({ ok: true, userId: pat.id });
    idp.accounts.set("pat-1", { sub: "pat-1", email: `pat.old@${DOMAIN}`, name: "Pat" });
    idp.accounts.set("pat-2", { sub: "pat-2", email: `pat@${DOMAIN}`, name: "Pat's double" });
    expect(await signInAs(campus, "pat-2")).toMatchObject({ ok: false, reason: "linked_elsewhere" });
  });

  it("lets people at the domains in as bookers, without an invitation, only where the coordinator allows it", async () => {
    const open = await addTestProvider(db(), {
      issuer: idp.issuer,
      slug: "campus-bookers",
      name: "Campus (bookers)",
      domains: ["bookers.example.ac.uk"],
      bookersMayJoin: true,
    });
    idp.accounts.set("new-booker", { sub: "new-booker", email: "jo@bookers.example.ac.uk", name: "Jo Bloggs" });
    const result = await signInAs(open, "new-booker");
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const user = await db().selectFrom("users").select(["name", "email", "password_hash"]).where("id", "=", result.userId).executeTakeFirstOrThrow();
    expect(user).toEqual({ name: "Jo Bloggs", email: "jo@bookers.example.ac.uk", password_hash: null });
    const roles = await db().selectFrom("user_roles").select("role").where("user_id", "=", result.userId).execute();
    expect(roles.map((r) => r.role)).toEqual(["booker"]);
  });
});

describe("answers that must not sign anyone in", () => {
  it("a state changed in the address, or a browser without the cookie, is refused and spends nothing", async () => {
    await createUser(db(), { email: `lee@${DOMAIN}` });
    idp.accounts.set("lee", { sub: "lee", email: `lee@${DOMAIN}`, name: "Lee" });
    const { authorizationUrl, cookieState } = await start(campus);
    const answer = await throughProvider(authorizationUrl, { login: "lee" });
    const tampered = new URL(answer);
    tampered.searchParams.set("state", `${cookieState}x`);
    expect(await finish(campus, tampered, cookieState)).toMatchObject({ ok: false, reason: "expired" });
    expect(await finish(campus, answer, null)).toMatchObject({ ok: false, reason: "expired" });
    expect(await finish(campus, answer, "another-browsers-state")).toMatchObject({ ok: false, reason: "expired" });
    // The real browser's answer still works: nothing above used it up.
    expect(await finish(campus, answer, cookieState)).toMatchObject({ ok: true });
  });

  it("a code used a second time is refused", async () => {
    const { authorizationUrl, cookieState } = await start(campus);
    const answer = await throughProvider(authorizationUrl, { login: "lee" });
    expect((await finish(campus, answer, cookieState)).ok).toBe(true);
    const sessions = await db().selectFrom("auth_sessions").select("id").execute();
    expect(await finish(campus, answer, cookieState)).toMatchObject({ ok: false, reason: "expired" });
    // Even with a fresh sign-in of the attacker's own to carry it, the provider refuses the code again.
    const fresh = await start(campus);
    const replayed = new URL(answer);
    replayed.searchParams.set("state", fresh.state);
    expect(await finish(campus, replayed, fresh.cookieState)).toMatchObject({ ok: false, reason: "rejected" });
    expect(await db().selectFrom("auth_sessions").select("id").execute()).toHaveLength(sessions.length);
  });

  it("an ID token carrying another sign-in's nonce is refused", async () => {
    const { authorizationUrl, cookieState } = await start(campus);
    const swapped = new URL(authorizationUrl);
    swapped.searchParams.set("nonce", "a-nonce-the-app-never-issued");
    const answer = await throughProvider(swapped.href, { login: "lee" });
    const result = await finish(campus, answer, cookieState);
    expect(result).toMatchObject({ ok: false, reason: "rejected" });
    const entry = await db()
      .selectFrom("audit_events")
      .select("detail_json")
      .where("action", "=", "sso.sign_in_refused")
      .orderBy("id", "desc")
      .executeTakeFirstOrThrow();
    expect(entry.detail_json).toMatch(/nonce/);
  });

  it("a code issued to another client (a token meant for another audience) is refused", async () => {
    const { authorizationUrl, cookieState } = await start(campus);
    const other = new URL(authorizationUrl);
    other.searchParams.set("client_id", OTHER_CLIENT.clientId);
    const answer = await throughProvider(other.href, { login: "lee" });
    expect(await finish(campus, answer, cookieState)).toMatchObject({ ok: false, reason: "rejected" });
  });

  it("an ID token past its expiry is refused, beyond two minutes' tolerance for clocks", async () => {
    const shortLived = await startTestProvider([{ sub: "lee", email: `lee@${DOMAIN}`, name: "Lee" }], { idTokenSeconds: 60 });
    try {
      const provider = await addTestProvider(db(), { issuer: shortLived.issuer, slug: "campus-down", name: "Short-lived tokens" });
      const late = await start(provider);
      const lateAnswer = await throughProvider(late.authorizationUrl, { login: "lee" });
      // Our clock says four minutes have passed: the token expired a minute after it was issued.
      setClockOffsetForTests(4 * MINUTE);
      expect(await finish(provider, lateAnswer, late.cookieState)).toMatchObject({ ok: false, reason: "rejected" });
      setClockOffsetForTests(0);
      // Ninety seconds is within the tolerance: the same kind of token is taken.
      const onTime = await start(provider);
      const onTimeAnswer = await throughProvider(onTime.authorizationUrl, { login: "lee" });
      setClockOffsetForTests(90_000);
      expect(await finish(provider, onTimeAnswer, onTime.cookieState)).toMatchObject({ ok: true });
    } finally {
      setClockOffsetForTests(0);
      await shortLived.close();
    }
  });

  it("a sign-in more than ten minutes old is refused", async () => {
    const { authorizationUrl, cookieState } = await start(campus);
    const answer = await throughProvider(authorizationUrl, { login: "lee" });
    setClockOffsetForTests(11 * MINUTE);
    expect(await finish(campus, answer, cookieState)).toMatchObject({ ok: false, reason: "expired" });
  });

  it("cancelling at the provider comes back as cancelled", async () => {
    const { authorizationUrl, cookieState } = await start(campus);
    const answer = await throughProvider(authorizationUrl, "cancel");
    expect(answer.searchParams.get("error")).toBe("access_denied");
    expect(await finish(campus, answer, cookieState)).toMatchObject({ ok: false, reason: "cancelled" });
  });

  it("a provider that cannot be reached is said to be so, at the start and at the end", async () => {
    const gone = await startTestProvider([{ sub: "lee", email: `lee@${DOMAIN}`, name: "Lee" }]);
    const provider = await addTestProvider(db(), { issuer: gone.issuer, slug: "campus-required", name: "Gone away" });
    const { authorizationUrl, cookieState } = await start(provider);
    const answer = await throughProvider(authorizationUrl, { login: "lee" });
    await gone.close();
    const { forgetDiscovery } = await import("./oidc.server.ts");
    forgetDiscovery();
    expect(await finish(provider, answer, cookieState)).toMatchObject({ ok: false, reason: "unavailable" });
    await expect(start(provider)).rejects.toBeInstanceOf(ProviderUnavailableError);
  });
});

describe("the second factor", () => {
  async function enrolled(email: string) {
    const user = await createUser(db(), { email, roles: ["coordinator"] });
    await enrolAuthenticator(db(), user);
    return user;
  }

  it("is asked after a provider sign-in, unless the coordinator trusts the provider's own and the provider says it checked one", async () => {
    await enrolled(`robin@${DOMAIN}`);
    idp.accounts.set("robin", { sub: "robin", email: `robin@${DOMAIN}`, name: "Robin" });
    const trusted = await addTestProvider(db(), { issuer: idp.issuer, slug: "campus-trusted", name: "Campus (trusted)", domains: [DOMAIN], trusts: true });
    expect(await signInAs(campus, "robin", { secondFactor: true })).toMatchObject({ ok: true, awaitsSecondFactor: true });
    expect(await signInAs(trusted, "robin", { secondFactor: false })).toMatchObject({ ok: true, awaitsSecondFactor: true });
    const vouched = await signInAs(trusted, "robin", { secondFactor: true });
    expect(vouched).toMatchObject({ ok: true, awaitsSecondFactor: false });
    if (!vouched.ok) return;
    const session = await validateSessionToken(db(), vouched.token);
    expect(session?.secondFactor.provedAt).not.toBeNull();
  });

  it("a coordinator without ours, vouched for by a trusted provider, is not sent to set one up; one not vouched for is", async () => {
    const trusted = (await getSignInProviderBySlug(db(), "campus-trusted"))!;
    await createUser(db(), { email: `jan@${DOMAIN}`, roles: ["coordinator"], password: null });
    idp.accounts.set("jan", { sub: "jan", email: `jan@${DOMAIN}`, name: "Jan" });
    const sessions = [];
    for (const secondFactor of [true, false]) {
      const result = await signInAs(trusted, "jan", { secondFactor });
      if (!result.ok) throw new Error(result.reason);
      sessions.push((await validateSessionToken(db(), result.token))!);
    }
    // On a deployment, where the second factor is required of coordinators (a local demo only offers it).
    const restore = setEnvForTest({ APP_URL: "https://training.example.ac.uk" });
    try {
      expect(sessions.map(mustSetUpSecondFactor)).toEqual([false, true]);
    } finally {
      restore();
    }
  });
});
