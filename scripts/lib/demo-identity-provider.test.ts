import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { getDb } from "#app/db.server.ts";
import { beginSsoSignIn, forgetDiscovery } from "#app/auth/sso/oidc.server.ts";
import { clientSecretOf, getSignInProviderBySlug } from "#app/auth/sso/providers.server.ts";
import { completeSsoSignIn } from "#app/auth/sso/sso-sign-in.server.ts";
import { getEnv } from "#app/utils/env.server.ts";
import { DEMO_LOGINS } from "#seed/demo.ts";
import { createUser } from "#tests/factories.ts";
import { throughProvider } from "#tests/sso-fixtures.ts";
import {
  DEFAULT_SSO_PORT,
  DEMO_PROVIDER,
  demoClient,
  demoIdentityAccounts,
  devSsoRefusal,
  registerDemoProvider,
  ssoPort,
  switchOffDemoProvider,
} from "./demo-identity-provider.ts";
import { startLocalIdentityProvider, type LocalIdentityProvider } from "./local-identity-provider.ts";

const db = () => getDb();
const providerRows = () => db().selectFrom("sign_in_providers").selectAll().where("slug", "=", DEMO_PROVIDER.slug).execute();

beforeEach(async () => {
  await db().deleteFrom("sign_in_providers").where("slug", "=", DEMO_PROVIDER.slug).execute();
});

describe("the demo's identity provider", () => {
  it("knows every demo login by its address, each with a subject of its own that is the same on every start", () => {
    const accounts = demoIdentityAccounts();
    expect(accounts.map((a) => a.email)).toEqual(expect.arrayContaining(DEMO_LOGINS.map((l) => l.email)));
    expect(new Set(accounts.map((a) => a.sub)).size).toBe(accounts.length);
    expect(demoIdentityAccounts()).toEqual(accounts);
    expect(accounts.find((a) => a.email === "coordinator@neverok.example")).toEqual({
      sub: "coordinator",
      email: "coordinator@neverok.example",
      name: "Alex Morgan",
    });
  });

  it("is added for the demo's domains, neither required nor letting bookers join, with its client secret sealed", async () => {
    const added = await registerDemoProvider(db(), { issuer: "http://127.0.0.1:3400", clientSecret: "first run's secret" });
    expect(added).toMatchObject({ added: true, name: "Local identity provider (demo)" });
    const provider = await getSignInProviderBySlug(db(), "local");
    expect(provider).toMatchObject({
      id: added.id,
      name: "Local identity provider (demo)",
      issuerUrl: "http://127.0.0.1:3400",
      clientId: DEMO_PROVIDER.clientId,
      emailDomains: ["moles.example", "neverok.example"],
      ssoRequired: false,
      bookersMayJoin: false,
      trustsProviderSecondFactor: false,
      isEnabled: true,
    });
    expect((await providerRows())[0]!.client_secret_sealed).not.toContain("first run's secret");
    expect(await clientSecretOf(db(), added.id)).toBe("first run's secret");
  });

  it("on a later start takes the new address and secret and is switched on again, keeping the coordinator's own settings", async () => {
    const first = await registerDemoProvider(db(), { issuer: "http://127.0.0.1:3400", clientSecret: "first run's secret" });
    await db()
      .updateTable("sign_in_providers")
      .set({ name: "Demo university", email_domains: "neverok.example", sso_required: 1, is_enabled: 0 })
      .where("id", "=", first.id)
      .execute();

    const again = await registerDemoProvider(db(), { issuer: "http://127.0.0.1:3401", clientSecret: "second run's secret" });
    expect(again).toEqual({ id: first.id, name: "Demo university", added: false });
    expect(await providerRows()).toHaveLength(1);
    expect(await getSignInProviderBySlug(db(), "local")).toMatchObject({
      issuerUrl: "http://127.0.0.1:3401",
      emailDomains: ["neverok.example"],
      ssoRequired: true,
      isEnabled: true,
    });
    expect(await clientSecretOf(db(), first.id)).toBe("second run's secret");
    const audit = await db()
      .selectFrom("audit_events")
      .select(["action", "summary"])
      .where("entity_type", "=", "sign_in_provider")
      .where("entity_id", "=", String(first.id))
      .orderBy("id")
      .execute();
    expect(audit.map((a) => a.action)).toEqual(["sso.provider_added", "sso.provider_updated"]);
    expect(audit[1]!.summary).toContain("http://127.0.0.1:3401");
  });

  it("is switched off when its run stops, so the sign-in page offers no provider that is not there, and on again by the next run", async () => {
    await switchOffDemoProvider(db()); // none yet: nothing to do
    const { id } = await registerDemoProvider(db(), { issuer: "http://127.0.0.1:3400", clientSecret: "a secret" });
    await switchOffDemoProvider(db());
    expect(await getSignInProviderBySlug(db(), "local")).toMatchObject({ id, isEnabled: false });
    await registerDemoProvider(db(), { issuer: "http://127.0.0.1:3400", clientSecret: "a secret" });
    expect(await getSignInProviderBySlug(db(), "local")).toMatchObject({ id, isEnabled: true });
    const audit = await db()
      .selectFrom("audit_events")
      .select("summary")
      .where("entity_type", "=", "sign_in_provider")
      .where("entity_id", "=", String(id))
      .orderBy("id")
      .execute();
    expect(audit.map((a) => a.summary)).toEqual([
      expect.stringContaining("added"),
      "Local identity provider (demo) switched off: npm run dev:sso, which runs it, has stopped",
      expect.stringContaining("now answers"),
    ]);
  });

  describe("running", () => {
    let idp: LocalIdentityProvider | undefined;
    afterAll(() => idp?.close());

    it("signs a demo person in to their own account with any password, through the client it was registered with", async () => {
      const client = demoClient(getEnv().APP_URL);
      idp = await startLocalIdentityProvider({ accounts: demoIdentityAccounts(), clients: [client] });
      await registerDemoProvider(db(), { issuer: idp.issuer, clientSecret: client.clientSecret });
      forgetDiscovery();
      const coordinator = await createUser(db(), { email: "coordinator@neverok.example", roles: ["coordinator"] });

      const provider = (await getSignInProviderBySlug(db(), "local"))!;
      const started = await beginSsoSignIn(db(), provider, "/");
      const answer = await throughProvider(started.authorizationUrl, { login: "coordinator@neverok.example" });
      const result = await completeSsoSignIn(db(), {
        slug: "local",
        answer: answer.searchParams,
        cookieState: started.state,
        userAgent: "vitest",
        client: "192.0.2.1",
      });
      expect(result).toMatchObject({ ok: true, userId: coordinator.id });
    });
  });
});

describe("starting it", () => {
  it("is refused anywhere but this machine, saying why and what to do instead", () => {
    expect(devSsoRefusal({ APP_URL: "http://localhost:3000" })).toBeNull();
    expect(devSsoRefusal({ APP_URL: "http://127.0.0.1:8080" })).toBeNull();
    const refusal = devSsoRefusal({ APP_URL: "https://training.example.ac.uk" });
    expect(refusal).toContain("for the local demo only");
    expect(refusal).toContain("https://training.example.ac.uk");
    expect(refusal).toContain("Leave APP_URL unset");
  });

  it("takes its port from SSO_PORT, 3400 when unset, and says what is wrong with a bad one", () => {
    expect(ssoPort(undefined)).toEqual({ ok: true, port: DEFAULT_SSO_PORT });
    expect(ssoPort("")).toEqual({ ok: true, port: 3400 });
    expect(ssoPort("3401")).toEqual({ ok: true, port: 3401 });
    for (const bad of ["0", "65536", "34.5", "port"])
      expect(ssoPort(bad)).toEqual({ ok: false, message: expect.stringContaining("SSO_PORT must be a whole number") });
  });
});
