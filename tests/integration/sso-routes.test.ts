import type { LoaderFunctionArgs } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SESSION_COOKIE, validateSessionToken } from "#app/auth/session.server.ts";
import { getDb } from "#app/db.server.ts";
import * as callbackRoute from "#app/routes/auth.sso.$provider.callback.tsx";
import * as startRoute from "#app/routes/auth.sso.$provider._index.tsx";
import * as signOutRoute from "#app/routes/auth.sso.$provider.sign-out.tsx";
import * as loginRoute from "#app/routes/login.tsx";
import { createUser, sameSiteRequest } from "#tests/factories.ts";
import { routeOutcome } from "#tests/route-outcome.ts";
import { addTestProvider, startTestProvider, throughProvider } from "#tests/sso-fixtures.ts";
import type { LocalIdentityProvider } from "../../scripts/lib/local-identity-provider.ts";

type Loader = (args: LoaderFunctionArgs) => Promise<unknown>;
const db = () => getDb();
const load = (mod: { loader: unknown }, url: string, params: Record<string, string>, cookie?: string) =>
  routeOutcome(() => (mod.loader as Loader)({ request: sameSiteRequest(url, { cookie }), params, context: { clientAddress: "192.0.2.77" } }));
const cookieValue = (headers: Headers, name: string) =>
  headers
    .getSetCookie()
    .map((c) => c.split(";")[0]!)
    .find((c) => c.startsWith(`${name}=`))
    ?.slice(name.length + 1);

let idp: LocalIdentityProvider;
beforeAll(async () => {
  idp = await startTestProvider([{ sub: "mo-1", email: "mo@campus.example.ac.uk", name: "Mo" }]);
  await addTestProvider(db(), { issuer: idp.issuer });
});
afterAll(() => idp.close());

describe("the sign-on pages", () => {
  it("the sign-in page offers each enabled provider", async () => {
    const page = await load(loginRoute, "/login", {});
    expect(page.body.providers).toEqual([{ slug: "campus", name: "Campus Account" }]);
  });

  it("starting sends the browser to the provider with a state cookie for the sign-on addresses only; the answer signs in and clears it", async () => {
    const mo = await createUser(db(), { email: "mo@campus.example.ac.uk", roles: ["booker"] });
    const started = await load(startRoute, "/auth/sso/campus?redirectTo=/booker/bookings", { provider: "campus" });
    expect(started.status).toBe(302);
    expect(started.location?.startsWith(`${idp.issuer}/`)).toBe(true);
    const setCookie = started.headers.getSetCookie().join("\n");
    expect(setCookie).toMatch(/neverok_sso_state=[\w-]+; Path=\/auth\/sso; HttpOnly; SameSite=Lax/);
    const state = cookieValue(started.headers, "neverok_sso_state")!;

    const answer = await throughProvider(started.location!, { login: "mo-1" });
    const back = await load(callbackRoute, answer.href, { provider: "campus" }, `neverok_sso_state=${state}`);
    expect(back.status).toBe(302);
    expect(back.location).toBe("/booker/bookings");
    expect(cookieValue(back.headers, "neverok_sso_state")).toBe("");
    const session = await validateSessionToken(db(), cookieValue(back.headers, SESSION_COOKIE)!);
    expect(session?.user.id).toBe(mo.id);
  });

  it("a refusal is a page with its reason and status, never a 500, and signs nobody in", async () => {
    const started = await load(startRoute, "/auth/sso/campus", { provider: "campus" });
    const answer = await throughProvider(started.location!, "cancel");
    const cancelled = await load(callbackRoute, answer.href, { provider: "campus" }, `neverok_sso_state=${cookieValue(started.headers, "neverok_sso_state")}`);
    expect(cancelled.status).toBe(400);
    expect(cancelled.body.message.title).toBe("You cancelled signing in");
    expect(cookieValue(cancelled.headers, SESSION_COOKIE)).toBeUndefined();

    const bare = await load(callbackRoute, "/auth/sso/campus/callback", { provider: "campus" });
    expect(bare.status).toBe(400);
    const unknown = await load(callbackRoute, "/auth/sso/nowhere/callback?code=x&state=y", { provider: "nowhere" });
    expect(unknown.status).toBe(404);
    const unknownStart = await load(startRoute, "/auth/sso/nowhere", { provider: "nowhere" });
    expect(unknownStart.status).toBe(404);
  });

  it("a return address off the site is dropped at the start", async () => {
    await load(startRoute, "/auth/sso/campus?redirectTo=//evil.example/", { provider: "campus" });
    const attempt = await db().selectFrom("sso_attempts").select("redirect_to").orderBy("created_at", "desc").executeTakeFirstOrThrow();
    expect(attempt.redirect_to).toBe("/");
  });

  it("the provider's sign-out is offered as a link that leads to it, back to the sign-in page", async () => {
    const out = await load(signOutRoute, "/auth/sso/campus/sign-out", { provider: "campus" });
    expect(out.status).toBe(302);
    const url = new URL(out.location!);
    expect(url.origin).toBe(idp.issuer);
    expect(url.searchParams.get("post_logout_redirect_uri")).toBe("http://localhost:3000/login");
    expect(url.searchParams.get("client_id")).toBe("neverok-training");
    const login = await load(loginRoute, "/login?signedOutOf=campus", {});
    expect(login.body.signedOutOf).toEqual({ slug: "campus", name: "Campus Account" });
  });
});
