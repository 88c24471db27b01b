import type { ActionFunctionArgs, AppLoadContext, LoaderFunctionArgs } from "@remix-run/node";
import { Secret, TOTP } from "otpauth";
import { afterEach, describe, expect, it } from "vitest";
import { beginSecondFactorSetup, confirmSecondFactorSetup, STEP_UP_MS } from "#app/auth/second-factor.server.ts";
import { createAuthSession, SESSION_COOKIE, validateSessionToken } from "#app/auth/session.server.ts";
import { getDb } from "#app/db.server.ts";
import * as accountRoute from "#app/routes/account.tsx";
import * as setUpRoute from "#app/routes/account_.second-factor.tsx";
import * as exportRoute from "#app/routes/coordinator.privacy.export.ts";
import * as privacyRoute from "#app/routes/coordinator.privacy._index.tsx";
import * as loginRoute from "#app/routes/login.tsx";
import * as officerRoute from "#app/routes/officer.leaders._index.tsx";
import * as trainerRoute from "#app/routes/trainer._index.tsx";
import * as verifyRoute from "#app/routes/verify.tsx";
import { MINUTE, now } from "#app/utils/time.ts";
import { createUser, formBody, sameSiteRequest, setEnvForTest, TEST_PASSWORD } from "#tests/factories.ts";
import { routeOutcome } from "#tests/route-outcome.ts";

type Loader = (args: LoaderFunctionArgs) => Promise<unknown>;
type Action = (args: ActionFunctionArgs) => Promise<unknown>;

let clients = 0;
const context = (): AppLoadContext => ({ clientAddress: `198.51.100.${++clients}` });
const db = () => getDb();
const cookieOf = (token: string) => `${SESSION_COOKIE}=${token}`;
const get = (url: string, cookie?: string) => sameSiteRequest(url, { cookie });
const post = (url: string, values: Record<string, string>, cookie?: string, headers: Record<string, string> = {}) =>
  sameSiteRequest(url, { method: "POST", cookie, body: formBody(values), headers });
const load = (mod: { loader: unknown }, request: Request) => routeOutcome(() => (mod.loader as Loader)({ request, params: {}, context: context() }));
const act = (mod: { action: unknown }, request: Request) => routeOutcome(() => (mod.action as Action)({ request, params: {}, context: context() }));

const restores: (() => void)[] = [];
afterEach(() => {
  while (restores.length) restores.pop()!();
});
/** A deployment: APP_URL is not this machine. */
function onDeployment() {
  restores.push(setEnvForTest({ APP_URL: "https://training.example.ac.uk" }));
}

async function enrolledCoordinator() {
  const user = await createUser(db(), { roles: ["coordinator"] });
  const { token } = await createAuthSession(db(), user.id, null);
  const { secret } = await beginSecondFactorSetup(db(), user);
  const session = (await validateSessionToken(db(), token))!;
  const code = TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: now().getTime() });
  const done = await confirmSecondFactorSetup(db(), session, { code, currentPassword: TEST_PASSWORD, client: "192.0.2.9" });
  if (!done.ok) throw new Error(done.message);
  return { user, secret, recoveryCodes: done.recoveryCodes };
}

describe("sign-in's return address", () => {
  const hostile = [
    "//evil.example",
    "/\\evil.example",
    "/\t/evil.example",
    "/%2F%2Fevil.example",
    "/..//evil.example",
    "https://evil.example",
    "javascript:alert(1)",
    "/account\r\nSet-Cookie: x=1",
    "/account\n",
  ];
  it.each(hostile)("after signing in, %j goes home, never off the site and never a server error", async (redirectTo) => {
    const user = await createUser(db());
    const res = await act(loginRoute, post("/login", { email: user.email, password: TEST_PASSWORD, redirectTo }));
    expect(res.status).toBe(302);
    expect(res.location).toBe("/");
  });

  it("keeps a page on the site, percent-encoding what a header cannot carry", async () => {
    const user = await createUser(db());
    const res = await act(loginRoute, post("/login", { email: user.email, password: TEST_PASSWORD, redirectTo: "/coordinator/people?q=\u00e9" }));
    expect(res.location).toBe("/coordinator/people?q=%C3%A9");
  });

  it("the sign-in page never puts a hostile return address in its form", async () => {
    const res = await load(loginRoute, get(`/login?${new URLSearchParams({ redirectTo: "//evil.example" })}`));
    expect(res.body).toEqual({ redirectTo: "/", providers: [], signedOutOf: null });
  });

  it("an account with a second factor is sent on to give the code, keeping where it was going", async () => {
    const { user } = await enrolledCoordinator();
    const res = await act(loginRoute, post("/login", { email: user.email, password: TEST_PASSWORD, redirectTo: "/coordinator/people" }));
    expect(res.location).toBe("/verify?redirectTo=%2Fcoordinator%2Fpeople");
  });

  it("a refusal after repeated failures is a 429 that says when to try again", async () => {
    const user = await createUser(db());
    const ctx = context();
    const attempt = () =>
      routeOutcome(() =>
        (loginRoute.action as Action)({ request: post("/login", { email: user.email, password: "not it at all" }), params: {}, context: ctx }),
      );
    for (let i = 0; i < 5; i++) await attempt();
    const refused = await attempt();
    expect(refused.status).toBe(429);
    const seconds = /You can try again in (\d+) seconds/.exec(JSON.stringify(refused.body))?.[1];
    expect(seconds).toBeDefined();
    expect(refused.headers.get("Retry-After")).toBe(seconds);
  });
});

describe("a session waiting for its code", () => {
  it("is sent to give the code from any page, and the page it wanted is kept", async () => {
    const { user } = await enrolledCoordinator();
    const { token } = await createAuthSession(db(), user.id, null);
    const res = await load(officerRoute, get("/officer/leaders?year=2026", cookieOf(token)));
    expect(res.location).toBe("/verify?redirectTo=%2Fofficer%2Fleaders%3Fyear%3D2026");
  });

  it("a wrong code is a message beside the field; a right one signs in with a new cookie", async () => {
    const { user, secret } = await enrolledCoordinator();
    const { token } = await createAuthSession(db(), user.id, null);
    const wrong = await act(verifyRoute, post("/verify", { code: "123456", redirectTo: "/coordinator" }, cookieOf(token)));
    expect(wrong.status).toBe(400);
    expect(JSON.stringify(wrong.body)).toContain("That code is not right");
    const code = TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: now().getTime() + 30_000 });
    const right = await act(verifyRoute, post("/verify", { code, redirectTo: "/coordinator" }, cookieOf(token)));
    expect(right.location).toBe("/coordinator");
    expect(right.response!.headers.get("Set-Cookie")).toMatch(new RegExp(`^${SESSION_COOKIE}=`));
    expect(await validateSessionToken(db(), token)).toBeNull();
  });
});

describe("on a deployment, coordinators and union officers must set up a second factor first", () => {
  it.each([["coordinator"], ["officer"]] as const)("a %s without one is sent to set it up", async (role) => {
    onDeployment();
    const user = await createUser(db(), { roles: [role] });
    const { token } = await createAuthSession(db(), user.id, null);
    const res = await load(accountRoute, get("/account", cookieOf(token)));
    expect(res.location).toBe("/account/second-factor?redirectTo=%2Faccount");
    const setUp = await load(setUpRoute, get("/account/second-factor", cookieOf(token)));
    expect(setUp.status).toBe(200);
    expect((setUp.body as { mustSetUp: boolean; mayPutOff: boolean }).mustSetUp).toBe(true);
    expect((setUp.body as { mayPutOff: boolean }).mayPutOff).toBe(false);
    // "Not now" is not on offer.
    const later = await act(setUpRoute, post("/account/second-factor", { intent: "later" }, cookieOf(token)));
    expect(later.location).toBe("/account/second-factor");
  });

  it("a trainer is not asked", async () => {
    onDeployment();
    const user = await createUser(db(), { roles: ["trainer"] });
    const { token } = await createAuthSession(db(), user.id, null);
    expect((await load(trainerRoute, get("/trainer", cookieOf(token)))).status).toBe(200);
  });

  it("on the local demo it is offered, and may be put off", async () => {
    const user = await createUser(db(), { roles: ["coordinator"] });
    const { token } = await createAuthSession(db(), user.id, null);
    expect((await load(accountRoute, get("/account", cookieOf(token)))).status).toBe(200);
    const setUp = await load(setUpRoute, get("/account/second-factor", cookieOf(token)));
    expect((setUp.body as { mayPutOff: boolean }).mayPutOff).toBe(true);
    const later = await act(setUpRoute, post("/account/second-factor", { intent: "later", redirectTo: "/coordinator" }, cookieOf(token)));
    expect(later.location).toBe("/coordinator");
    expect(later.response!.headers.get("Set-Cookie")).toMatch(/^neverok_second_factor_later=1;/);
  });
});

describe("exporting or erasing a person's data asks for the second factor again", () => {
  async function coordinatorSession(provedMinutesAgo: number) {
    const { user, secret } = await enrolledCoordinator();
    const { token } = await createAuthSession(db(), user.id, null, { secondFactorAt: new Date(now().getTime() - provedMinutesAgo * MINUTE).toISOString() });
    return { cookie: cookieOf(token), secret };
  }

  it("the download, when the code was given more than a few minutes ago, coming back to the page it was asked from", async () => {
    const stale = await coordinatorSession(STEP_UP_MS / MINUTE + 1);
    const ask = (cookie: string) =>
      act(
        exportRoute,
        post("/coordinator/privacy/export", { email: "someone@example.ac.uk" }, cookie, { Referer: "http://localhost:3000/coordinator/privacy" }),
      );
    expect((await ask(stale.cookie)).location).toBe("/verify?redirectTo=%2Fcoordinator%2Fprivacy");
    const fresh = await coordinatorSession(1);
    expect((await ask(fresh.cookie)).status).toBe(200);
  });

  it("the erasure (and the page that offers it), coming back to the page it was posted from", async () => {
    const stale = await coordinatorSession(STEP_UP_MS / MINUTE + 1);
    const asked = await act(
      privacyRoute,
      post("/coordinator/privacy", { email: "someone@example.ac.uk", confirmEmail: "someone@example.ac.uk" }, stale.cookie, {
        Referer: "http://localhost:3000/coordinator/privacy",
      }),
    );
    expect(asked.location).toBe("/verify?redirectTo=%2Fcoordinator%2Fprivacy");
    expect((await load(privacyRoute, get("/coordinator/privacy", stale.cookie))).location).toBe("/verify?redirectTo=%2Fcoordinator%2Fprivacy");
  });

  it("on the local demo, a coordinator without a second factor is not stopped", async () => {
    const user = await createUser(db(), { roles: ["coordinator"] });
    const { token } = await createAuthSession(db(), user.id, null);
    expect((await act(exportRoute, post("/coordinator/privacy/export", { email: "someone@example.ac.uk" }, cookieOf(token)))).status).toBe(200);
  });
});

describe("changing one's password on the account page", () => {
  const change = (cookie: string, values: Record<string, string>) => act(accountRoute, post("/account", values, cookie));

  it("refuses a guessable new password beside the field, with advice, and changes nothing", async () => {
    const user = await createUser(db(), { name: "Robin Fairweather" });
    const { token } = await createAuthSession(db(), user.id, null);
    const hashOf = async () => (await db().selectFrom("users").select("password_hash").where("id", "=", user.id).executeTakeFirstOrThrow()).password_hash;
    const before = await hashOf();
    for (const weak of ["password123", "robin fairweather 1", "neverok-training"]) {
      const res = await change(cookieOf(token), { currentPassword: TEST_PASSWORD, newPassword: weak, confirmNewPassword: weak });
      expect(res.status).toBe(400);
      const errors = (res.body as { error: Record<string, string[]> }).error;
      expect(errors.newPassword?.[0]).toContain("passphrase");
    }
    expect(await hashOf()).toBe(before);
    const mail = await db().selectFrom("email_messages").select("id").where("to_address", "=", user.email).execute();
    expect(mail).toHaveLength(0);
  });

  it("needs the current password", async () => {
    const user = await createUser(db());
    const { token } = await createAuthSession(db(), user.id, null);
    const res = await change(cookieOf(token), {
      currentPassword: "not my password",
      newPassword: "velvet thunder in the pantry",
      confirmNewPassword: "velvet thunder in the pantry",
    });
    expect(res.status).toBe(400);
    expect((res.body as { error: Record<string, string[]> }).error.currentPassword?.[0]).toContain("not your current password");
  });

  it("changes it, signs out every other session, emails the person and records it", async () => {
    const user = await createUser(db());
    const here = await createAuthSession(db(), user.id, "here");
    const elsewhere = await createAuthSession(db(), user.id, "elsewhere");
    const res = await change(cookieOf(here.token), {
      currentPassword: TEST_PASSWORD,
      newPassword: "velvet thunder in the pantry",
      confirmNewPassword: "velvet thunder in the pantry",
    });
    expect(res.location).toBe("/account");
    expect(await validateSessionToken(db(), here.token)).not.toBeNull();
    expect(await validateSessionToken(db(), elsewhere.token)).toBeNull();
    const mail = await db().selectFrom("email_messages").select(["subject", "text"]).where("to_address", "=", user.email).execute();
    expect(mail.map((m) => m.subject)).toEqual(["Your NeverOK Training password was changed"]);
    expect(mail[0]!.text).not.toContain("velvet");
    const audit = await db()
      .selectFrom("audit_events")
      .select(["action", "detail_json"])
      .where("entity_id", "=", String(user.id))
      .where("action", "=", "user.password_changed")
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.detail_json).not.toContain("velvet");
  });
});
