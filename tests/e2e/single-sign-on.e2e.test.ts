import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SignInProvider } from "#app/auth/sso/providers.server.ts";
import { inviteUser } from "#app/users/users.server.ts";
import { createUser, TEST_PASSWORD } from "#tests/factories.ts";
import { addTestProvider, startTestProvider } from "#tests/sso-fixtures.ts";
import type { LocalIdentityProvider } from "../../scripts/lib/local-identity-provider.ts";
import { expectAccessible, launchBrowser, newPage } from "./browser.ts";
import { e2eDb, newAccount } from "./data.ts";

/**
 * Signing in through an identity provider, in a browser: a real OpenID Connect provider on this
 * machine (the local one `npm run dev:sso` uses), registered for the server's own address.
 */
const DOMAIN = "campus.example.ac.uk";
const STAFF_DOMAIN = "staff.example.ac.uk";

let browser: Browser;
let idp: LocalIdentityProvider;
let campus: SignInProvider;
let staff: SignInProvider;

beforeAll(async () => {
  browser = await launchBrowser();
  e2eDb(); // points this process's settings at the server's address and database before the provider reads them
  idp = await startTestProvider([
    { sub: "robin-51c0", email: `robin@${DOMAIN}`, name: "Robin Ashby" },
    { sub: "dale-8e21", email: `dale@${DOMAIN}`, name: "Dale Sutton" },
    { sub: "stranger-4410", email: `stranger@${DOMAIN}`, name: "Not Invited" },
    { sub: "casey-2203", email: `casey@${DOMAIN}`, name: "Casey Lane" },
  ]);
  campus = await addTestProvider(e2eDb(), { issuer: idp.issuer, slug: "campus", name: "Campus Account", domains: [DOMAIN] });
  staff = await addTestProvider(e2eDb(), { issuer: idp.issuer, slug: "campus-required", name: "Staff Account", domains: [STAFF_DOMAIN], ssoRequired: true });
});
afterAll(async () => {
  // The sign-in page of the journeys after this one shows no provider of this one's.
  if (campus && staff) await e2eDb().deleteFrom("sign_in_providers").where("id", "in", [campus.id, staff.id]).execute();
  await idp?.close();
  await browser?.close();
});

async function invite(name: string, email: string) {
  const coordinator = await newAccount(["coordinator"]);
  return inviteUser(e2eDb(), coordinator, { name, email, roles: ["trainer"], organisationIds: [] });
}

/** From the app's sign-in page to the provider's, by the provider's button. */
async function toProvider(page: Page, providerName: string) {
  await page.getByRole("link", { name: `Sign in through ${providerName}` }).click();
  await page.waitForURL((url) => url.origin === idp.issuer);
}

/** A new browser at the provider's sign-in page, come from the app's by the Campus Account button. */
async function atCampusProvider() {
  const opened = await newPage(browser);
  await opened.page.goto("/login");
  await toProvider(opened.page, "Campus Account");
  return opened;
}

/** Signs in at the provider's own page, waiting for the app's answer to come back. */
async function signInAtProvider(page: Page, login: string) {
  const answer = page.waitForResponse((r) => new URL(r.url()).pathname.endsWith("/callback") && r.request().isNavigationRequest());
  await page.getByLabel("Username or email address").fill(login);
  await page.getByLabel("Password").fill("anything at all");
  await page.getByRole("button", { name: "Sign in" }).click();
  return answer;
}

const usersWithEmail = async (email: string) => (await e2eDb().selectFrom("users").select("id").where("email", "=", email).execute()).length;

describe("signing in through an identity provider", () => {
  it("an invited person signs in at the provider and lands on their home, signed in, their identity tied to the invited account", async () => {
    const userId = await invite("Robin Ashby", `robin@${DOMAIN}`);
    const { page, context } = await atCampusProvider();
    const answer = await signInAtProvider(page, `robin@${DOMAIN}`);
    expect(answer.status()).toBe(302);
    await page.waitForURL((url) => url.origin !== idp.issuer && url.pathname === "/trainer");
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Hello, Robin");

    const identity = await e2eDb().selectFrom("user_identities").select(["user_id", "subject"]).where("provider_id", "=", campus.id).execute();
    expect(identity).toEqual([{ user_id: userId, subject: "robin-51c0" }]);
    expect(await usersWithEmail(`robin@${DOMAIN}`)).toBe(1);
    await context.close();
  });

  it("someone with no account is told so, on a page with the way back, and no account is made", async () => {
    const { page, context } = await atCampusProvider();
    const answer = await signInAtProvider(page, `stranger@${DOMAIN}`);
    expect(answer.status()).toBe(403);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("No account for that address");
    expect(await page.title()).toBe("No account for that address · NeverOK Training");
    const alert = await page.getByRole("alert").textContent();
    expect(alert).toContain(`There is no NeverOK Training account for stranger@${DOMAIN}`);
    expect(alert).toContain("Accounts are by invitation");
    expect(await page.getByRole("link", { name: "Back to signing in" }).getAttribute("href")).toBe("/login");
    expect(await usersWithEmail(`stranger@${DOMAIN}`)).toBe(0);
    // Not signed in: a page for signed-in people sends the browser to sign in.
    await page.goto("/account");
    expect(new URL(page.url()).pathname).toBe("/login");
    await context.close();
  });

  it("someone refused for who they are at the provider is offered its sign-out, to come back as someone else, not the same answer again", async () => {
    const { page, context } = await atCampusProvider();
    await signInAtProvider(page, `casey@${DOMAIN}`);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("No account for that address");
    expect(await page.getByRole("link", { name: "Sign in through Campus Account again" }).count()).toBe(0);

    await page.getByRole("link", { name: "Sign out of Campus Account, to sign in there with another account" }).click();
    await page.waitForURL((url) => url.origin === idp.issuer);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL((url) => url.origin !== idp.issuer && url.pathname === "/login");
    // Invited since: signing in through the provider again asks who, and lets them in.
    await invite("Casey Lane", `casey@${DOMAIN}`);
    await toProvider(page, "Campus Account");
    await signInAtProvider(page, `casey@${DOMAIN}`);
    await page.waitForURL((url) => url.origin !== idp.issuer && url.pathname === "/trainer");
    await context.close();
  });

  it("at a domain whose provider must sign people in, a password is refused beside the email field, which keeps what was typed", async () => {
    // Someone who had a password before their domain moved to the provider.
    const email = `lee@${STAFF_DOMAIN}`;
    await createUser(e2eDb(), { name: "Lee Carter", email, roles: ["trainer"] });
    const { page, context } = await newPage(browser);
    await page.goto("/login");
    await page.getByLabel("Email address").fill(email);
    await page.getByLabel("Password").fill(TEST_PASSWORD);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();

    const field = page.getByLabel("Email address");
    await expect.poll(() => field.getAttribute("aria-invalid")).toBe("true");
    const described = (await field.getAttribute("aria-describedby"))!.split(" ");
    const beside = (await Promise.all(described.map((id) => page.locator(`[id="${id}"]`).textContent()))).join(" ");
    expect(beside).toContain(`People at ${STAFF_DOMAIN} sign in through Staff Account, not with a password here.`);
    expect(await field.inputValue()).toBe(email);
    expect(new URL(page.url()).pathname).toBe("/login");
    await context.close();
  });

  it("cancelling at the provider comes back to a page that says so and offers to start again", async () => {
    const { page, context } = await atCampusProvider();
    const answer = page.waitForResponse((r) => new URL(r.url()).pathname === "/auth/sso/campus/callback");
    await page.getByRole("button", { name: "Cancel" }).click();
    expect((await answer).status()).toBe(400);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("You cancelled signing in");
    expect(await page.getByRole("alert").textContent()).toContain("You cancelled at Campus Account, so you are not signed in.");
    await page.getByRole("link", { name: "Sign in through Campus Account again" }).click();
    await page.waitForURL((url) => url.origin === idp.issuer);
    expect(await page.getByLabel("Username or email address").isVisible()).toBe(true);
    await context.close();
  });

  it("signing out of a session that came through the provider offers the provider's own sign-out, which comes back to sign in", async () => {
    await invite("Dale Sutton", `dale@${DOMAIN}`);
    const { page, context } = await atCampusProvider();
    await signInAtProvider(page, `dale@${DOMAIN}`);
    await page.waitForURL((url) => url.origin !== idp.issuer && url.pathname === "/trainer");

    await page.getByRole("button", { name: "Sign out" }).first().click();
    await page.waitForURL((url) => url.pathname === "/login" && url.searchParams.get("signedOutOf") === "campus");
    await expect.poll(() => page.getByText("You have signed out.").isVisible()).toBe(true);
    expect(await page.getByText("You may still be signed in to Campus Account on this device").isVisible()).toBe(true);
    await expectAccessible(page);

    await page.getByRole("link", { name: "Sign out of Campus Account too" }).click();
    await page.waitForURL((url) => url.origin === idp.issuer);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Sign out of the local identity provider?");
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL((url) => url.origin !== idp.issuer && url.pathname === "/login");
    expect(new URL(page.url()).searchParams.get("signedOutOf")).toBeNull();

    // Signed out at the provider too: signing in through it asks who you are again.
    await toProvider(page, "Campus Account");
    expect(await page.getByLabel("Username or email address").isVisible()).toBe(true);
    await context.close();
  });
});

describe("the pages a person sees", () => {
  for (const mobile of [false, true]) {
    it(`the sign-in page with the providers' buttons and a refusal are accessible ${mobile ? "on a phone" : "on a desktop"}`, async () => {
      const { page, context } = await newPage(browser, { mobile });
      await page.goto("/login");
      const buttons = page.getByRole("link", { name: /^Sign in through / });
      expect(await buttons.allTextContents()).toEqual(["Sign in through Campus Account", "Sign in through Staff Account"]);
      await expectAccessible(page);
      // Reached from the keyboard, with a focus ring that shows.
      const first = buttons.first();
      for (let tab = 0; tab < 30 && !(await first.evaluate((el) => el === document.activeElement)); tab++) await page.keyboard.press("Tab");
      expect(await first.evaluate((el) => el === document.activeElement)).toBe(true);
      expect(await first.evaluate((el) => getComputedStyle(el).outlineStyle)).not.toBe("none");

      await toProvider(page, "Campus Account");
      await signInAtProvider(page, `stranger@${DOMAIN}`);
      await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("No account for that address");
      await expectAccessible(page);
      await context.close();
    });
  }
});
