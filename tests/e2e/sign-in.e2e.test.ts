import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOrganisation } from "#tests/factories.ts";
import { baseURL, expectAccessible, launchBrowser, newPage, signIn } from "./browser.ts";
import { e2eDb, newAccount } from "./data.ts";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe("signing in", () => {
  it("the sign-in page is accessible", async () => {
    const { page, context } = await newPage(browser);
    // The front door leads to it.
    await page.goto("/");
    await page.getByRole("link", { name: "Staff and trainers: sign in" }).click();
    await page.waitForURL("**/login");
    await expect.poll(() => page.getByRole("heading", { name: "Sign in" }).isVisible()).toBe(true);
    await expectAccessible(page);
    await context.close();
  });

  // The demo logins printed in the README, each landing where its role starts.
  const roles = [
    { email: "coordinator@neverok.example", home: "/coordinator", nav: "Queue", heading: "Hello, Alex" },
    { email: "trainer@neverok.example", home: "/trainer", nav: "My sessions", heading: "Hello, Sam" },
    { email: "booker@neverok.example", home: "/booker", nav: "My bookings", heading: "Hello, Priya" },
    { email: "officer@neverok.example", home: "/officer/leaders", nav: "Leaders", heading: "Leader training" },
  ];
  for (const role of roles) {
    it(`${role.email} lands on a home shaped for their role`, async () => {
      const { page, context } = await newPage(browser);
      await signIn(page, role.email);
      expect(new URL(page.url()).pathname).toBe(role.home);
      await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe(role.heading);
      expect(await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: role.nav, exact: true }).count()).toBe(1);
      // Nobody but the coordinator is offered coordinator pages.
      const offersCoordinatorPages = await page.getByRole("link", { name: "Outbox", exact: true, includeHidden: true }).count();
      expect(offersCoordinatorPages > 0).toBe(role.home === "/coordinator");
      await expectAccessible(page);
      await context.close();
    });
  }

  it("the session cookie is HttpOnly and SameSite=Lax", async () => {
    const { page, context } = await newPage(browser);
    await signIn(page, await newAccount(["officer"]));
    const cookie = (await context.cookies()).find((c) => c.name === "neverok_session");
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe("Lax");
    expect(cookie?.value).toMatch(/^[\w-]+\.[\w-]+$/);
    await context.close();
  });

  it("signing out ends the session, and pages need signing in again", async () => {
    const coordinator = await newAccount(["coordinator"]);
    const { page, context } = await newPage(browser);
    await signIn(page, coordinator);
    await page.getByRole("button", { name: "Sign out" }).first().click();
    await page.waitForURL("**/login");
    await expect.poll(() => page.getByRole("status").textContent()).toContain("You have signed out");
    await page.goto("/coordinator/people");
    expect(new URL(page.url()).pathname).toBe("/login");
    expect(new URL(page.url()).searchParams.get("redirectTo")).toBe("/coordinator/people");
    // Signing in from there goes back to the page that was asked for.
    await page.getByLabel("Email address").fill(coordinator.email);
    await page.getByLabel("Password").fill(coordinator.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL("**/coordinator/people");
    await context.close();
  });

  it("signing out everywhere ends sessions on other devices", async () => {
    const officer = await newAccount(["officer"]);
    const laptop = await newPage(browser);
    const phone = await newPage(browser, { mobile: true });
    await signIn(laptop.page, officer);
    await signIn(phone.page, officer);
    await laptop.page.goto("/account");
    await laptop.page.getByRole("button", { name: "Sign out everywhere" }).click();
    await laptop.page.waitForURL("**/login");
    await phone.page.goto("/officer");
    expect(new URL(phone.page.url()).pathname).toBe("/login");
    await laptop.context.close();
    await phone.context.close();
  });

  it("a booker opening a coordinator page is refused with a friendly 403", async () => {
    const booker = await newAccount(["booker"], { name: `Priya Booker ${Date.now()}`, organisationIds: [await createOrganisation(e2eDb())] });
    const { page, context } = await newPage(browser);
    await signIn(page, booker);
    const response = await page.goto("/coordinator/people");
    expect(response?.status()).toBe(403);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("You do not have access to this page");
    expect(await page.getByText(booker.name).count()).toBeGreaterThan(0); // still signed in, with her own navigation
    const outbox = await page.goto("/coordinator/outbox/1");
    expect(outbox?.status()).toBe(403);
    await context.close();
  });

  it("an unknown address gets a friendly 404", async () => {
    const { page, context } = await newPage(browser);
    const response = await page.goto("/no-such-page");
    expect(response?.status()).toBe(404);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Page not found");
    await context.close();
  });

  it("a form error appears beside the field and keeps what was typed", async () => {
    const { page, context } = await newPage(browser);
    await page.goto("/login");
    await page.getByLabel("Email address").fill("priya@");
    await page.getByLabel("Password").fill("whatever");
    await page.getByRole("button", { name: "Sign in" }).click();
    const email = page.getByLabel("Email address");
    await expect.poll(() => email.getAttribute("aria-invalid")).toBe("true");
    const describedBy = await email.getAttribute("aria-describedby");
    expect(await page.locator(`#${describedBy}`).textContent()).toContain("Enter an email address like name@example.ac.uk");
    expect(await email.inputValue()).toBe("priya@");
    await context.close();
  });

  it("a wrong password keeps the email, and repeated failures pause signing in for a while, saying until when", async () => {
    const { page, context } = await newPage(browser);
    await page.goto("/login");
    const attempt = async (password: string) => {
      await page.getByLabel("Password").fill(password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForLoadState("networkidle");
    };
    await page.getByLabel("Email address").fill("locked.out.demo@neverok.example");
    await attempt("not-the-password");
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("do not match an account");
    expect(await page.getByLabel("Email address").inputValue()).toBe("locked.out.demo@neverok.example");
    for (let i = 0; i < 4; i++) await attempt("still-not-the-password");
    // The fifth failure starts a short pause, and the answer says how long.
    await expect.poll(() => page.getByRole("alert").textContent()).toMatch(/do not match an account.*You can try again in \d+ seconds/);
    // Any password is refused while the pause lasts, without being checked.
    await attempt("neverok-demo-2026");
    expect(new URL(page.url()).pathname).toBe("/login");
    await expect.poll(() => page.getByRole("alert").textContent()).toMatch(/Too many failed attempts.*You can try again in \d+ seconds/);
    await context.close();
  });

  it("a return address that would leave the site, or break the answer, goes to the person's home instead", async () => {
    const booker = await newAccount(["booker"], { organisationIds: [await createOrganisation(e2eDb())] });
    for (const redirectTo of ["//evil.example/", "/\\evil.example", "/%2F%2Fevil.example", "/account\r\nSet-Cookie: x=1", "https://evil.example"]) {
      const { page, context } = await newPage(browser);
      const response = await page.goto(`/login?${new URLSearchParams({ redirectTo })}`);
      expect(response?.status()).toBe(200);
      await page.getByLabel("Email address").fill(booker.email);
      await page.getByLabel("Password").fill(booker.password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL((url) => !url.pathname.startsWith("/login"));
      const landed = new URL(page.url());
      expect(landed.origin, redirectTo).toBe(new URL(baseURL()).origin);
      expect(landed.pathname, redirectTo).toBe("/booker");
      await context.close();
    }
  });

  it("the coordinator's navigation is one row on a 1280-pixel screen, and More opens and closes from the keyboard", async () => {
    const { page, context } = await newPage(browser);
    await signIn(page, await newAccount(["coordinator"]));
    const nav = page.getByRole("navigation", { name: "Main" });
    // The bar is drawn once the coordinator's home has loaded; measure only then.
    await nav.locator("summary").waitFor({ state: "visible" });
    const tops = await nav.locator("a:visible, summary:visible").evaluateAll((els) => els.map((el) => Math.round(el.getBoundingClientRect().top)));
    expect(tops.length).toBeGreaterThan(5);
    // One row: every item starts within a few pixels of the first (a second row would be a whole line lower).
    expect(Math.max(...tops) - Math.min(...tops)).toBeLessThan(8);
    expect(await nav.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);

    const more = nav.locator("summary");
    await more.focus();
    await page.keyboard.press("Enter");
    const rooms = nav.getByRole("link", { name: "Rooms", exact: true });
    expect(await rooms.isVisible()).toBe(true);
    await expectAccessible(page);
    await page.keyboard.press("Escape");
    expect(await rooms.isVisible()).toBe(false);
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe("SUMMARY");

    await page.keyboard.press("Enter");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    await page.waitForURL("**/coordinator/people");
    // The page is one of those under More, and More says so.
    await expect.poll(() => nav.locator("summary").textContent()).toContain("now on People");
    expect(await rooms.isVisible()).toBe(false);
    await context.close();
  });

  it("the navigation works on a phone", async () => {
    const { page, context } = await newPage(browser, { mobile: true });
    await signIn(page, await newAccount(["coordinator"]));
    const nav = page.getByRole("navigation", { name: "Main" });
    expect(await nav.isVisible()).toBe(false);
    await page.getByRole("button", { name: "Menu" }).click();
    await nav.getByRole("link", { name: "Rooms" }).click();
    await page.waitForURL("**/coordinator/rooms");
    await expectAccessible(page);
    await context.close();
  });
});
