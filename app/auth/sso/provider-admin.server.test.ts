import http from "node:http";
import type { AddressInfo } from "node:net";
import { parseWithZod } from "@conform-to/zod/v4";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "#db/schema.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { getDb } from "#app/db.server.ts";
import { createUser } from "#tests/factories.ts";
import { expectViolation } from "#tests/rule-violations.ts";
import { linkIdentity, providerInput, sessionExists as sessionExistsIn, sessionThrough } from "#tests/sso-fixtures.ts";
import {
  checkProviderConnection,
  createSignInProvider,
  getProviderForAdmin,
  listProvidersForAdmin,
  removeSignInProvider,
  updateSignInProvider,
} from "./provider-admin.server.ts";
import { registrationAddresses } from "./addresses.ts";
import { forgetDiscovery, providerConfiguration } from "./oidc.server.ts";
import { clientSecretOf, getSignInProvider } from "./providers.server.ts";
import { SignInProviderSchema, slugFromName } from "./schemas.ts";

const db = () => getDb();
let n = 0;
const next = () => ++n;

let coordinator: SessionUser;
beforeAll(async () => {
  coordinator = await createUser(db(), { roles: ["coordinator"] });
});

const providerCount = async () =>
  Number(
    (
      await db()
        .selectFrom("sign_in_providers")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow()
    ).n,
  );
const auditOf = (id: number) =>
  db()
    .selectFrom("audit_events")
    .select(["action", "actor_user_id", "summary", "detail_json"])
    .where("entity_type", "=", "sign_in_provider")
    .where("entity_id", "=", String(id))
    .orderBy("id")
    .execute();

const sessionExists = (id: string) => sessionExistsIn(db(), id);

describe("only a coordinator changes sign-in providers", () => {
  for (const role of ["trainer", "booker", "officer"] as Role[]) {
    it(`${role === "officer" ? "an" : "a"} ${role} is refused adding, changing and removing one, and nothing changes`, async () => {
      const other = await createUser(db(), { roles: [role] });
      const id = await createSignInProvider(db(), coordinator, providerInput());
      const before = await providerCount();
      await expectViolation(createSignInProvider(db(), other, providerInput()), "forbidden", /coordinator/);
      await expectViolation(updateSignInProvider(db(), other, id, providerInput({ name: "Taken over" })), "forbidden", /coordinator/);
      await expectViolation(removeSignInProvider(db(), other, id), "forbidden", /coordinator/);
      expect(await providerCount()).toBe(before);
      expect((await getSignInProvider(db(), id))?.name).not.toBe("Taken over");
    });
  }
});

describe("adding a provider", () => {
  it("keeps the client secret sealed: not in the row, not in what the app reads back, not in the audit log", async () => {
    const input = providerInput();
    const id = await createSignInProvider(db(), coordinator, input);
    const row = await db().selectFrom("sign_in_providers").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(row.client_secret_sealed).toBeTruthy();
    expect(JSON.stringify(row)).not.toContain(input.clientSecret!);
    expect(await clientSecretOf(db(), id)).toBe(input.clientSecret);
    const read = await getProviderForAdmin(db(), id);
    expect(read).toMatchObject({ hasClientSecret: true, slug: input.slug, emailDomains: input.emailDomains, linkedAccounts: 0 });
    expect(JSON.stringify(read)).not.toContain(input.clientSecret!);
    const audit = await auditOf(id);
    expect(audit.map((a) => a.action)).toEqual(["sso.provider_added"]);
    expect(audit[0]!.actor_user_id).toBe(coordinator.id);
    expect(JSON.stringify(audit)).not.toContain(input.clientSecret!);
    expect(JSON.parse(audit[0]!.detail_json!)).toMatchObject({ issuerUrl: input.issuerUrl, clientKind: "confidential" });
  });

  it("seals the secret to the provider's own row: copied onto another, it no longer opens", async () => {
    const first = await createSignInProvider(db(), coordinator, providerInput());
    const second = await createSignInProvider(db(), coordinator, providerInput());
    const sealed = (await db().selectFrom("sign_in_providers").select("client_secret_sealed").where("id", "=", first).executeTakeFirstOrThrow())
      .client_secret_sealed;
    await db().updateTable("sign_in_providers").set({ client_secret_sealed: sealed }).where("id", "=", second).execute();
    expect(await clientSecretOf(db(), second)).toBeNull();
  });

  it("says when the saved secret no longer opens, so the coordinator enters it again", async () => {
    const id = await createSignInProvider(db(), coordinator, providerInput());
    expect(await getProviderForAdmin(db(), id)).toMatchObject({ clientSecretUnreadable: false });
    await db().updateTable("sign_in_providers").set({ client_secret_sealed: "v1.sealed.under.another-key" }).where("id", "=", id).execute();
    expect(await getProviderForAdmin(db(), id)).toMatchObject({ hasClientSecret: true, clientSecretUnreadable: true });
    const publicClient = await createSignInProvider(db(), coordinator, providerInput({ clientSecret: null, publicClient: true }));
    expect((await listProvidersForAdmin(db())).find((p) => p.id === publicClient)).toMatchObject({ clientSecretUnreadable: false });
  });

  it("makes the short name from the name when none is given", async () => {
    const id = await createSignInProvider(db(), coordinator, providerInput({ name: `Université de Genève ${next()}`, slug: null }));
    expect((await getSignInProvider(db(), id))?.slug).toMatch(/^universite-de-geneve-\d+$/);
    expect(slugFromName("  ***  ")).toBe("provider");
  });

  it("refuses a short name already in use, beside its field, naming the provider that has it", async () => {
    const taken = providerInput();
    await createSignInProvider(db(), coordinator, taken);
    const before = await providerCount();
    await expectViolation(createSignInProvider(db(), coordinator, providerInput({ slug: taken.slug })), "slug", new RegExp(`short name of ${taken.name}`));
    expect(await providerCount()).toBe(before);
    const other = await createSignInProvider(db(), coordinator, providerInput());
    await expectViolation(updateSignInProvider(db(), coordinator, other, providerInput({ slug: taken.slug })), "slug", /already the short name/);
  });

  it("refuses a domain another enabled provider has, beside the domains, naming that provider; a switched-off one may share it", async () => {
    const sussex = providerInput({ name: `Sussex ${next()}` });
    await createSignInProvider(db(), coordinator, sussex);
    const before = await providerCount();
    const clash = providerInput({ emailDomains: [`other${next()}.ac.uk`, sussex.emailDomains[0]!] });
    await expectViolation(
      createSignInProvider(db(), coordinator, clash),
      "emailDomains",
      new RegExp(`${sussex.emailDomains[0]} already belongs to ${sussex.name}`),
    );
    expect(await providerCount()).toBe(before);
    const switchedOff = await createSignInProvider(db(), coordinator, { ...clash, isEnabled: false });
    await expectViolation(updateSignInProvider(db(), coordinator, switchedOff, { ...clash, isEnabled: true }), "emailDomains", new RegExp(sussex.name));
    expect((await getSignInProvider(db(), switchedOff))?.isEnabled).toBe(false);
  });

  it("refuses a confidential client with no secret, and checks the issuer and domains whoever calls it", async () => {
    const before = await providerCount();
    await expectViolation(createSignInProvider(db(), coordinator, providerInput({ clientSecret: null })), "clientSecret", /client secret/);
    await expectViolation(createSignInProvider(db(), coordinator, providerInput({ issuerUrl: "http://login.example.ac.uk" })), "issuerUrl", /https:\/\//);
    await expectViolation(
      createSignInProvider(db(), coordinator, providerInput({ issuerUrl: "https://login.example.ac.uk/?tenant=1" })),
      "issuerUrl",
      /after \?/,
    );
    await expectViolation(createSignInProvider(db(), coordinator, providerInput({ emailDomains: ["not a domain"] })), "emailDomains", /domains/);
    await expectViolation(createSignInProvider(db(), coordinator, providerInput({ slug: "Has Spaces" })), "slug", /lower-case/);
    expect(await providerCount()).toBe(before);
    const local = await createSignInProvider(
      db(),
      coordinator,
      providerInput({ issuerUrl: "http://127.0.0.1:4400/oidc", clientSecret: null, publicClient: true }),
    );
    expect(await getSignInProvider(db(), local)).toMatchObject({ issuerUrl: "http://127.0.0.1:4400/oidc", hasClientSecret: false });
  });
});

describe("changing a provider", () => {
  it("keeps the saved secret when the secret is left blank, replaces it when one is typed, and removes it for a public client", async () => {
    const input = providerInput();
    const id = await createSignInProvider(db(), coordinator, input);
    await updateSignInProvider(db(), coordinator, id, { ...input, name: "Renamed", clientSecret: null });
    expect(await clientSecretOf(db(), id)).toBe(input.clientSecret);
    expect((await getSignInProvider(db(), id))?.name).toBe("Renamed");

    await updateSignInProvider(db(), coordinator, id, { ...input, clientSecret: "a-brand-new-secret-value" });
    expect(await clientSecretOf(db(), id)).toBe("a-brand-new-secret-value");

    await expectViolation(
      updateSignInProvider(db(), coordinator, id, { ...input, clientSecret: "typed", publicClient: true }),
      "clientSecret",
      /public client/,
    );
    await updateSignInProvider(db(), coordinator, id, { ...input, clientSecret: null, publicClient: true });
    expect(await getSignInProvider(db(), id)).toMatchObject({ hasClientSecret: false });
    expect(await clientSecretOf(db(), id)).toBeNull();

    // Left public, a blank secret without the box ticked is a secret forgotten, not a choice.
    await expectViolation(updateSignInProvider(db(), coordinator, id, { ...input, clientSecret: null }), "clientSecret", /client secret/);

    const audit = await auditOf(id);
    expect(audit.map((a) => a.action)).toEqual(["sso.provider_added", "sso.provider_changed", "sso.provider_changed", "sso.provider_changed"]);
    expect(JSON.stringify(audit)).not.toContain("a-brand-new-secret-value");
    expect(JSON.stringify(audit)).not.toContain(input.clientSecret!);
    expect(JSON.parse(audit[1]!.detail_json!).changed).toEqual({ name: { from: input.name, to: "Renamed" } });
  });

  it("keeps the short name registered at the provider when it is left blank", async () => {
    const input = providerInput();
    const id = await createSignInProvider(db(), coordinator, input);
    await updateSignInProvider(db(), coordinator, id, { ...input, name: "A new name altogether", slug: null, clientSecret: null });
    expect((await getSignInProvider(db(), id))?.slug).toBe(input.slug);
    await updateSignInProvider(db(), coordinator, id, { ...input, slug: `${input.slug}-moved`, clientSecret: null });
    expect((await getSignInProvider(db(), id))?.slug).toBe(`${input.slug}-moved`);
  });

  it("refuses a provider that has been removed meanwhile", async () => {
    const id = await createSignInProvider(db(), coordinator, providerInput());
    await removeSignInProvider(db(), coordinator, id);
    await expectViolation(updateSignInProvider(db(), coordinator, id, providerInput()), "form", /no longer set up/);
    await expectViolation(removeSignInProvider(db(), coordinator, id), "form", /no longer set up/);
  });
});

describe("removing a provider", () => {
  it("takes its linked identities with it, ends the sessions begun through it, and says how many accounts it unlinked", async () => {
    const id = await createSignInProvider(db(), coordinator, providerInput({ ssoRequired: true }));
    const keeps = await createSignInProvider(db(), coordinator, providerInput());
    const withoutPassword = await createUser(db(), { roles: ["booker"], password: null });
    const withPassword = await createUser(db(), { roles: ["trainer"] });
    await linkIdentity(db(), withoutPassword.id, id);
    await linkIdentity(db(), withPassword.id, id);
    await linkIdentity(db(), withPassword.id, keeps);
    expect(await getProviderForAdmin(db(), id)).toMatchObject({ linkedAccounts: 2, linkedWithoutPassword: 1 });
    const through = await sessionThrough(db(), withoutPassword.id, id);
    const byPassword = await sessionThrough(db(), withPassword.id, null);
    const throughOther = await sessionThrough(db(), withPassword.id, keeps);

    expect(await removeSignInProvider(db(), coordinator, id)).toEqual({ name: expect.any(String), linkedAccounts: 2 });
    expect(await getSignInProvider(db(), id)).toBeNull();
    expect(await db().selectFrom("user_identities").select("user_id").where("provider_id", "=", id).execute()).toEqual([]);
    expect(await db().selectFrom("user_identities").select("user_id").where("provider_id", "=", keeps).execute()).toEqual([{ user_id: withPassword.id }]);
    expect(await sessionExists(through)).toBe(false);
    expect(await sessionExists(byPassword)).toBe(true);
    expect(await sessionExists(throughOther)).toBe(true);
    const removal = (await auditOf(id)).at(-1)!;
    expect(removal.action).toBe("sso.provider_removed");
    expect(JSON.parse(removal.detail_json!)).toMatchObject({ linkedAccounts: 2, ssoRequired: true });
  });
});

describe("the form's schema", () => {
  const posted = (fields: Record<string, string>) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    return parseWithZod(form, { schema: SignInProviderSchema });
  };
  const base = { name: "University of Sussex", issuerUrl: "https://login.microsoftonline.com/abc/v2.0", clientId: "id", emailDomains: "sussex.ac.uk" };
  const errorsOf = (fields: Record<string, string>) => {
    const result = posted({ ...base, ...fields });
    return result.status === "success" ? {} : (result.error ?? {});
  };

  it("reads the domains lower-case, without an @, each once, and refuses what is not a domain name beside the field", () => {
    const result = posted({ ...base, emailDomains: "Sussex.AC.uk, @sussex.ac.uk\nsussexstudent.com;" });
    expect(result.status === "success" && result.value.emailDomains).toEqual(["sussex.ac.uk", "sussexstudent.com"]);
    expect(errorsOf({ emailDomains: "sussex.ac.uk, localhost, exa_mple.com" }).emailDomains?.[0]).toMatch(/Not a domain name: localhost, exa_mple\.com/);
    expect(errorsOf({ emailDomains: " , " }).emailDomains?.[0]).toMatch(/at least one/);
    expect(errorsOf({ emailDomains: "someone@sussex.ac.uk" }).emailDomains?.[0]).toMatch(/Not a domain name/);
  });

  it("takes an https issuer, or plain http only on this machine, and never one with a query, fragment or password", () => {
    for (const ok of ["https://accounts.google.com", "http://localhost:4400", "http://127.0.0.1:4400/oidc", "http://[::1]:4400/"])
      expect(errorsOf({ issuerUrl: ok }).issuerUrl, ok).toBeUndefined();
    const refusals: [string, RegExp][] = [
      ["http://accounts.google.com", /starting with https/],
      ["http://localhost.evil.example", /starting with https/],
      ["accounts.google.com", /starting with https/],
      ["javascript:alert(1)", /starting with https/],
      ["https://accounts.google.com/?x=1", /after \? or #/],
      ["https://accounts.google.com/#top", /after \? or #/],
      ["https://user:pw@accounts.google.com", /user name or password/],
      ["https://intranet", /whole host name/],
    ];
    for (const [value, message] of refusals) expect(errorsOf({ issuerUrl: value }).issuerUrl?.[0], value).toMatch(message);
  });

  it("takes a short name of lower-case words joined by hyphens, and refuses a secret alongside “public client”", () => {
    expect(errorsOf({ slug: "Sussex-Uni" }).slug).toBeUndefined();
    expect(errorsOf({ slug: "sussex uni" }).slug?.[0]).toMatch(/lower-case/);
    expect(errorsOf({ slug: "../admin" }).slug?.[0]).toMatch(/lower-case/);
    expect(errorsOf({ clientSecret: "x", publicClient: "on" }).clientSecret?.[0]).toMatch(/public client/);
  });
});

describe("checking the connection", () => {
  let server: http.Server;
  let base = "";
  let movingEndpoint = "first";
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const issuer = `${base}${req.url!.replace("/.well-known/openid-configuration", "")}`;
      const json = (body: unknown) => {
        res.setHeader("Content-Type", "application/json");
        res.end(JSON.stringify(body));
      };
      if (req.url === "/full/.well-known/openid-configuration")
        return json({ issuer, authorization_endpoint: `${issuer}/auth`, token_endpoint: `${issuer}/token`, end_session_endpoint: `${issuer}/logout` });
      if (req.url === "/no-logout/.well-known/openid-configuration")
        return json({ issuer, authorization_endpoint: `${issuer}/auth`, token_endpoint: `${issuer}/token` });
      if (req.url === "/no-token/.well-known/openid-configuration") return json({ issuer, authorization_endpoint: `${issuer}/auth` });
      if (req.url === "/renamed/.well-known/openid-configuration") return json({ issuer: "https://someone-else.example", authorization_endpoint: "x" });
      if (req.url === "/silent/.well-known/openid-configuration") return; // never answers
      if (req.url === "/moving/.well-known/openid-configuration")
        return json({ issuer, authorization_endpoint: `${issuer}/${movingEndpoint}`, token_endpoint: `${issuer}/token` });
      res.statusCode = 404;
      res.end("Not found");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  const check = (path: string, opts?: { timeoutSeconds?: number }) => checkProviderConnection({ issuerUrl: `${base}${path}`, clientId: "neverok" }, opts);

  it("reports the endpoints found, and whether the provider offers sign-out", async () => {
    expect(await check("/full")).toEqual({ ok: true, message: `Found ${base}/full: sign-in and token endpoints present; sign-out offered.` });
    expect(await check("/no-logout")).toEqual({
      ok: true,
      message: `Found ${base}/no-logout: sign-in and token endpoints present; sign-out not offered (signing out here ends only our session).`,
    });
  });

  it("says in plain words what went wrong, and never throws", async () => {
    expect(await check("/no-token")).toEqual({ ok: false, message: expect.stringMatching(/offers no token endpoint/) });
    expect(await check("/renamed")).toEqual({ ok: false, message: expect.stringMatching(/names itself differently/) });
    expect(await check("/missing")).toEqual({
      ok: false,
      message: expect.stringMatching(/not with an OpenID configuration at .*\/missing\/\.well-known\/openid-configuration/),
    });
    expect(await check("/silent", { timeoutSeconds: 1 })).toEqual({ ok: false, message: expect.stringMatching(/did not answer within 1 second\./) });
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    expect(await checkProviderConnection({ issuerUrl: `http://127.0.0.1:${port}`, clientId: "x" })).toEqual({
      ok: false,
      message: expect.stringMatching(/Nothing answered at 127\.0\.0\.1/),
    });
  });

  it("refreshes what the next sign-in through that provider uses", async () => {
    const id = await createSignInProvider(db(), coordinator, providerInput({ publicClient: true, clientSecret: "" }));
    const provider = { ...(await getSignInProvider(db(), id))!, issuerUrl: `${base}/moving` };
    const signInEndpoint = async () => (await providerConfiguration(db(), provider)).serverMetadata().authorization_endpoint;
    movingEndpoint = "first";
    forgetDiscovery();
    expect(await signInEndpoint()).toBe(`${base}/moving/first`);
    movingEndpoint = "second";
    // Sign-ins keep what discovery found for a while...
    expect(await signInEndpoint()).toBe(`${base}/moving/first`);
    // ...and a check reads it again for them.
    expect((await check("/moving")).ok).toBe(true);
    expect(await signInEndpoint()).toBe(`${base}/moving/second`);
  });

  it("asks nothing of a plain-http issuer that is not on this machine", async () => {
    expect(await checkProviderConnection({ issuerUrl: "http://login.example.ac.uk", clientId: "x" })).toEqual({
      ok: false,
      message: expect.stringMatching(/cannot be used: enter the full issuer address, starting with https/),
    });
  });
});

describe("the addresses to register at the provider", () => {
  it("are the callback under the short name, and the sign-in page after signing out", () => {
    expect(registrationAddresses("https://training.example.ac.uk/", "sussex")).toEqual({
      redirectUri: "https://training.example.ac.uk/auth/sso/sussex/callback",
      postLogoutRedirectUri: "https://training.example.ac.uk/login",
    });
  });
});
