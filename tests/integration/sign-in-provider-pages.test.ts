import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { beforeAll, describe, expect, it } from "vitest";
import { createAuthSession, SESSION_COOKIE, type SessionUser } from "#app/auth/session.server.ts";
import { createSignInProvider } from "#app/auth/sso/provider-admin.server.ts";
import { getSignInProvider, getSignInProviderBySlug } from "#app/auth/sso/providers.server.ts";
import type { SignInProviderInput } from "#app/auth/sso/schemas.ts";
import { getDb } from "#app/db.server.ts";
import * as personRoute from "#app/routes/coordinator.people.$userId.tsx";
import * as peopleRoute from "#app/routes/coordinator.people._index.tsx";
import * as providerRoute from "#app/routes/coordinator.sign-in.$providerId.tsx";
import * as listRoute from "#app/routes/coordinator.sign-in._index.tsx";
import { readFlash } from "#app/utils/flash.server.ts";
import { createUser, formBody, sameSiteRequest } from "#tests/factories.ts";
import { routeOutcome, type RouteOutcome } from "#tests/route-outcome.ts";
import { linkIdentity, providerInput } from "#tests/sso-fixtures.ts";

type Action = (args: ActionFunctionArgs) => Promise<unknown>;
type Loader = (args: LoaderFunctionArgs) => Promise<unknown>;

const db = () => getDb();
let n = 0;
let coordinator: SessionUser;
let cookie = "";

beforeAll(async () => {
  coordinator = await createUser(db(), { roles: ["coordinator"] });
  cookie = `${SESSION_COOKIE}=${(await createAuthSession(db(), coordinator.id, null)).token}`;
});

function post(route: { action: unknown }, params: Record<string, string>, values: Record<string, string>) {
  return routeOutcome(() =>
    (route.action as Action)({
      request: sameSiteRequest("http://localhost:3000/coordinator/x", { method: "POST", cookie, body: formBody(values) }),
      params,
      context: {},
    }),
  );
}

function get(route: { loader: unknown }, params: Record<string, string> = {}, query = "") {
  return routeOutcome(() =>
    (route.loader as Loader)({ request: sameSiteRequest(`http://localhost:3000/coordinator/x${query}`, { cookie }), params, context: {} }),
  );
}

async function flashOf(outcome: RouteOutcome) {
  const set = outcome.headers.get("Set-Cookie")?.split(";")[0] ?? "";
  return (await readFlash(new Request("http://localhost/", { headers: { Cookie: set } }))).flash;
}

/** A provider nothing answers for: port 1 is one a browser or fetch never connects to. */
const input = (overrides: Partial<SignInProviderInput> = {}) => providerInput({ issuerUrl: "http://127.0.0.1:1", ...overrides });

describe("the sign-in provider pages", () => {
  it("refuse a bad issuer beside its field, keep everything typed but the secret, and add a good one", async () => {
    const slug = `sussex-${++n}`;
    const form = {
      name: "University of Sussex",
      slug,
      issuerUrl: "ftp://login.sussex.ac.uk",
      clientId: "abc-123",
      clientSecret: "typed-secret-never-echoed",
      emailDomains: `sussex${n}.ac.uk`,
      ssoRequired: "on",
    };
    const refused = await post(providerRoute, { providerId: "new" }, form);
    expect(refused.status).toBe(400);
    expect(refused.body.result.error).toEqual({ issuerUrl: ["Enter the full issuer address, starting with https://"] });
    expect(refused.body.result.initialValue).toMatchObject({ name: "University of Sussex", slug, clientId: "abc-123", ssoRequired: "on" });
    expect(JSON.stringify(refused.body)).not.toContain("typed-secret-never-echoed");
    expect(await getSignInProviderBySlug(db(), slug)).toBeNull();

    const added = await post(providerRoute, { providerId: "new" }, { ...form, issuerUrl: "https://login.microsoftonline.com/tenant/v2.0", isEnabled: "on" });
    expect(added.location).toBe("/coordinator/sign-in");
    expect(await getSignInProviderBySlug(db(), slug)).toMatchObject({ ssoRequired: true, isEnabled: true, hasClientSecret: true });
  });

  it("put a rule's refusal (a domain another provider has) beside its field, without the secret", async () => {
    const first = input();
    await createSignInProvider(db(), coordinator, first);
    const refused = await post(
      providerRoute,
      { providerId: "new" },
      {
        name: "Clash",
        issuerUrl: "https://login.clash.ac.uk",
        clientId: "c",
        clientSecret: "clash-secret",
        emailDomains: first.emailDomains[0]!,
        isEnabled: "on",
      },
    );
    expect(refused.status).toBe(400);
    expect(refused.body.result.error.emailDomains[0]).toContain(`already belongs to ${first.name}`);
    expect(JSON.stringify(refused.body)).not.toContain("clash-secret");
  });

  it("list each provider with the addresses to register and how many accounts are linked, and never the secret", async () => {
    const values = input();
    const id = await createSignInProvider(db(), coordinator, values);
    const person = await createUser(db(), { roles: ["booker"], password: null });
    await linkIdentity(db(), person.id, id);
    const list = await get(listRoute);
    const row = list.body.providers.find((p: { id: number }) => p.id === id);
    expect(row).toMatchObject({
      redirectUri: `http://localhost:3000/auth/sso/${values.slug}/callback`,
      postLogoutRedirectUri: "http://localhost:3000/login",
      linkedAccounts: 1,
    });
    const page = await get(providerRoute, { providerId: String(id) });
    for (const answer of [list, page]) expect(JSON.stringify(answer.body)).not.toContain(values.clientSecret!);
  });

  it("check a provider's connection and say what came back, without a server error", async () => {
    const id = await createSignInProvider(db(), coordinator, input());
    const checked = await post(listRoute, {}, { intent: "check", providerId: String(id) });
    expect(checked.status).toBe(200);
    expect(checked.body.check).toMatchObject({ providerId: id, ok: false });
    expect(checked.body.check.message).toMatch(/127\.0\.0\.1:1/);
    expect((await post(listRoute, {}, { intent: "check", providerId: "999999" })).status).toBe(404);
  });

  it("remove a provider only once the removal is confirmed", async () => {
    const id = await createSignInProvider(db(), coordinator, input());
    const unconfirmed = await post(providerRoute, { providerId: String(id) }, { intent: "remove" });
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.body).toMatchObject({ form: "remove", result: { error: { confirm: ["Tick the box to confirm the removal"] } } });
    expect(await getSignInProvider(db(), id)).not.toBeNull();
    const removed = await post(providerRoute, { providerId: String(id) }, { intent: "remove", confirm: "on" });
    expect(removed.location).toBe("/coordinator/sign-in");
    expect((await flashOf(removed))?.message).toMatch(/^Removed University \d+\.$/);
    expect(await getSignInProvider(db(), id)).toBeNull();
  });
});

describe("the person's page and the people list", () => {
  it("show the providers a person signs in through, and unlink only that person's own", async () => {
    const id = await createSignInProvider(db(), coordinator, input({ name: "University of Sussex" }));
    const person = await createUser(db(), { name: `Sso Person ${++n}`, roles: ["booker"], password: null });
    const other = await createUser(db(), { roles: ["booker"], password: null });
    const mine = await linkIdentity(db(), person.id, id);
    const theirs = await linkIdentity(db(), other.id, id);

    const page = await get(personRoute, { userId: String(person.id) });
    expect(page.body.identities).toEqual([expect.objectContaining({ id: mine, providerName: "University of Sussex" })]);
    expect(page.body.person.signsInThrough).toEqual(["University of Sussex"]);
    const list = await get(peopleRoute, {}, `?q=${encodeURIComponent(person.name)}`);
    expect(list.body.people[0].signsInThrough).toEqual(["University of Sussex"]);

    const refused = await post(personRoute, { userId: String(person.id) }, { intent: "unlink", identityId: String(theirs) });
    expect((await flashOf(refused))?.kind).toBe("error");
    expect(await db().selectFrom("user_identities").select("id").where("id", "=", theirs).executeTakeFirst()).toBeDefined();

    const unlinked = await post(personRoute, { userId: String(person.id) }, { intent: "unlink", identityId: String(mine) });
    expect(await flashOf(unlinked)).toMatchObject({ kind: "success", message: `${person.name} no longer signs in through University of Sussex.` });
    expect(await db().selectFrom("user_identities").select("id").where("id", "=", mine).executeTakeFirst()).toBeUndefined();
  });
});
