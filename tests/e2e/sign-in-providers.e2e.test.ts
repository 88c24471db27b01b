import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSignInProvider } from "#app/auth/sso/provider-admin.server.ts";
import { baseURL, expectAccessible, followNavLink, launchBrowser, newPage, signIn } from "./browser.ts";
import { createUser } from "#tests/factories.ts";
import { linkIdentity } from "#tests/sso-fixtures.ts";
import { e2eDb, newAccount, type Account } from "./data.ts";

const run = String(Date.now());
const NAME = `University of Sussex ${run}`;
const RENAMED = `Sussex staff and students ${run}`;
const SLUG = `sussex-${run}`;
const DOMAIN = `sussex${run}.example.ac.uk`;
const SECRET = `e2e-client-secret-${run}`;
const BRIGHTON = `University of Brighton ${run}`;
const BRIGHTON_DOMAIN = `brighton${run}.example.ac.uk`;

let browser: Browser;
let coordinator: Account;
/** A provider's discovery document, served on this machine as the local test provider would serve it. */
let issuerServer: http.Server;
let issuer = "";

beforeAll(async () => {
  browser = await launchBrowser();
  coordinator = await newAccount(["coordinator"], { name: `Noor Coordinator ${run}` });
  await createSignInProvider(e2eDb(), coordinator, {
    name: BRIGHTON,
    slug: `brighton-${run}`,
    issuerUrl: "https://login.brighton.example.ac.uk",
    clientId: "neverok",
    clientSecret: null,
    publicClient: true,
    emailDomains: [BRIGHTON_DOMAIN],
    ssoRequired: false,
    bookersMayJoin: false,
    trustsProviderSecondFactor: false,
    isEnabled: true,
  });
  issuerServer = http.createServer((req, res) => {
    if (req.url !== "/oidc/.well-known/openid-configuration") {
      res.statusCode = 404;
      return res.end();
    }
    res.setHeader("Content-Type", "application/json");
    res.end(
      JSON.stringify({ issuer, authorization_endpoint: `${issuer}/auth`, token_endpoint: `${issuer}/token`, end_session_endpoint: `${issuer}/session/end` }),
    );
  });
  await new Promise<void>((resolve) => issuerServer.listen(0, "127.0.0.1", resolve));
  issuer = `http://127.0.0.1:${(issuerServer.address() as AddressInfo).port}/oidc`;
});
afterAll(async () => {
  await e2eDb()
    .deleteFrom("sign_in_providers")
    .where("slug", "in", [SLUG, `brighton-${run}`])
    .execute();
  issuerServer?.closeAllConnections();
  issuerServer?.close();
  await browser?.close();
});

const card = (page: Page, name: string) => page.getByRole("listitem").filter({ has: page.getByRole("heading", { name }) });

describe("sign-in providers, set up by the coordinator", () => {
  it("adds a provider, refusing a plain-http issuer and a domain another provider has beside their fields with the rest kept, shows the callback address, changes it and checks the connection", async () => {
    const { page, context } = await newPage(browser);
    await signIn(page, coordinator);
    await followNavLink(page, "Sign-in providers");
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Sign-in providers");
    await expectAccessible(page);

    await page.getByRole("link", { name: "Add a provider" }).click();
    await page.getByLabel("Name on the button").fill(NAME);
    await page.getByLabel("Short name").fill(SLUG);
    await page.getByLabel("Issuer address").fill("http://login.sussex.example.ac.uk");
    await page.getByLabel("Client id").fill("neverok-training");
    await page.getByLabel("Client secret").fill(SECRET);
    await page.getByLabel("Email domains").fill(`${DOMAIN.toUpperCase()}, @${DOMAIN}`);
    await page.getByLabel("People at these domains must sign in through this provider").check();
    await page.getByRole("button", { name: "Add provider" }).click();
    await expect.poll(() => page.getByText("Enter the full issuer address, starting with https://").count()).toBe(1);
    expect(await page.getByLabel("Issuer address").getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByLabel("Name on the button").inputValue()).toBe(NAME);
    expect(await page.getByLabel("Short name").inputValue()).toBe(SLUG);
    expect(await page.getByLabel("Email domains").inputValue()).toBe(`${DOMAIN.toUpperCase()}, @${DOMAIN}`);
    expect(await page.getByLabel("People at these domains must sign in through this provider").isChecked()).toBe(true);
    expect(await page.getByLabel("Show it on the sign-in page").isChecked()).toBe(true);
    await expectAccessible(page);

    // A domain another provider has is refused by the server, beside the field, naming that provider.
    await page.getByLabel("Issuer address").fill("https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0");
    await page.getByLabel("Email domains").fill(`${DOMAIN}, ${BRIGHTON_DOMAIN}`);
    await page.getByRole("button", { name: "Add provider" }).click();
    await expect.poll(() => page.getByText(`${BRIGHTON_DOMAIN} already belongs to ${BRIGHTON}`, { exact: false }).count()).toBe(1);
    expect(await page.getByLabel("Email domains").getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByLabel("Name on the button").inputValue()).toBe(NAME);
    expect(await page.getByLabel("Client id").inputValue()).toBe("neverok-training");
    expect(await page.content()).not.toContain(SECRET);
    await page.screenshot({ path: "/tmp/sign-in-provider-form-refused.png", fullPage: true });

    await page.getByLabel("Email domains").fill(DOMAIN);
    await page.getByLabel("Client secret").fill(SECRET);
    await page.getByRole("button", { name: "Add provider" }).click();
    await page.waitForURL("**/coordinator/sign-in");
    await expect.poll(() => page.getByRole("status").first().textContent()).toContain(`Added ${NAME}`);
    const added = card(page, NAME);
    expect(await added.getByText(`${baseURL()}/auth/sso/${SLUG}/callback`, { exact: true }).count()).toBe(1);
    expect(await added.getByText(`${baseURL()}/login`, { exact: true }).count()).toBe(1);
    expect(await added.getByText(`People at ${DOMAIN} must sign in through ${NAME}`).count()).toBe(1);
    expect(await page.content()).not.toContain(SECRET);
    await page.screenshot({ path: "/tmp/sign-in-providers-desktop.png", fullPage: true });

    // Changed to the provider on this machine, then checked: it answers.
    await added.getByRole("link", { name: `Change ${NAME}` }).click();
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe(NAME);
    expect(await page.getByLabel("Client secret").inputValue()).toBe("");
    expect(await page.getByText("changing it breaks sign-in", { exact: false }).count()).toBe(1);
    await page.getByLabel("Name on the button").fill(RENAMED);
    await page.getByLabel("Issuer address").fill(issuer);
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.waitForURL("**/coordinator/sign-in");
    const changed = card(page, RENAMED);
    await changed.getByRole("button", { name: `Check the connection to ${RENAMED}` }).click();
    await expect
      .poll(() => changed.getByRole("status").last().textContent())
      .toBe(`Connected. Found ${issuer}: sign-in and token endpoints present; sign-out offered.`);
    await changed.screenshot({ path: "/tmp/sign-in-provider-checked.png" });
    const row = await e2eDb().selectFrom("sign_in_providers").selectAll().where("slug", "=", SLUG).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ name: RENAMED, issuer_url: issuer, email_domains: DOMAIN, sso_required: 1 });
    expect(row.client_secret_sealed).not.toContain(SECRET);
    await expectAccessible(page);
    await context.close();
  });

  it("reads well on a phone, and removal asks for a confirmation that names what goes", async () => {
    const { page, context } = await newPage(browser, { mobile: true });
    await signIn(page, coordinator);
    await page.goto("/coordinator/sign-in");
    await expectAccessible(page);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width, "nothing wider than the phone's screen").toBeLessThanOrEqual(390);
    await page.screenshot({ path: "/tmp/sign-in-providers-phone.png", fullPage: true });

    await card(page, RENAMED)
      .getByRole("link", { name: `Change ${RENAMED}` })
      .click();
    await expect.poll(() => page.getByRole("heading", { name: "Remove this provider" }).count()).toBe(1);
    expect(await page.getByText(`People at ${DOMAIN} must sign in through this provider`).count()).toBe(1);
    await expectAccessible(page);
    await page.getByRole("button", { name: `Remove ${RENAMED}` }).click();
    await expect.poll(() => page.getByText("Tick the box to confirm the removal").count()).toBe(1);
    await page.screenshot({ path: "/tmp/sign-in-provider-remove-phone.png", fullPage: true });
    await page.getByLabel(`Yes, remove ${RENAMED}`).check();
    await page.getByRole("button", { name: `Remove ${RENAMED}` }).click();
    await page.waitForURL("**/coordinator/sign-in");
    await expect.poll(() => page.getByRole("status").first().textContent()).toContain(`Removed ${RENAMED}`);
    expect(await e2eDb().selectFrom("sign_in_providers").select("id").where("slug", "=", SLUG).executeTakeFirst()).toBeUndefined();
    await context.close();
  });

  it("shows on a person's page the provider they sign in through, and unlinks it", async () => {
    const person = await createUser(e2eDb(), { name: `Ada Lovelace ${run}`, roles: ["booker"], password: null });
    const brighton = await e2eDb().selectFrom("sign_in_providers").select("id").where("slug", "=", `brighton-${run}`).executeTakeFirstOrThrow();
    await linkIdentity(e2eDb(), person.id, brighton.id, `ada@${BRIGHTON_DOMAIN}`);
    const { page, context } = await newPage(browser, { mobile: true });
    await signIn(page, coordinator);
    await page.goto(`/coordinator/people?q=${encodeURIComponent(person.name)}`);
    expect(await page.getByText(`Signs in through ${BRIGHTON}`).count()).toBe(1);
    await page.getByRole("link", { name: person.name }).click();
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe(person.name);
    expect(await page.getByText(`Signs in through ${BRIGHTON}`, { exact: true }).count()).toBe(1);
    expect(await page.getByText(new RegExp(`^Signs in through ${BRIGHTON} as ada@${BRIGHTON_DOMAIN}, linked \\d{1,2} [A-Z][a-z]+ \\d{4}, last`)).count()).toBe(
      1,
    );
    await expectAccessible(page);
    await page.screenshot({ path: "/tmp/person-sign-ins-phone.png", fullPage: true });
    await page.getByRole("button", { name: `Unlink ${BRIGHTON}` }).click();
    await expect.poll(() => page.getByRole("status").first().textContent()).toContain(`${person.name} no longer signs in through ${BRIGHTON}.`);
    expect(await page.getByText("Invited, no password yet").count()).toBe(1);
    await context.close();
  });
});
