import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAccessible, launchBrowser, newPage, signIn } from "./browser.ts";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe("the public front door", () => {
  for (const mobile of [false, true]) {
    it(`shows a visitor the next open sessions, how to book and where to get support (${mobile ? "phone" : "desktop"})`, async () => {
      const { page, context } = await newPage(browser, { mobile });
      const res = await page.goto("/");
      expect(res?.status()).toBe(200);
      expect(new URL(page.url()).pathname).toBe("/");
      expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Harassment, bullying, sexual misconduct and discrimination are never OK");
      // Nobody is signed in: no app navigation.
      expect(await page.getByRole("navigation", { name: "Main" }).count()).toBe(0);
      await expectAccessible(page);

      const join = page.getByRole("region", { name: "Join an open session" });
      const sessions = join.getByRole("listitem");
      await expect.poll(() => sessions.count()).toBeGreaterThan(0);
      expect(await sessions.count()).toBeLessThanOrEqual(3);
      const first = sessions.first().getByRole("link");
      expect(await first.getAttribute("href")).toMatch(/^\/sessions\/open\/\d+$/);
      const all = join.getByRole("link", { name: /open sessions/ });
      expect(await all.getAttribute("href")).toBe("/sessions/open");

      const book = page.getByRole("region", { name: "Book training for your group" });
      expect(await book.getByRole("listitem").filter({ hasText: "Get an account" }).count()).toBe(1);
      expect(await book.getByText(/^Active Bystander · \d+ minutes$/).count()).toBe(1);
      expect(await book.getByRole("link", { name: "Sign in to request a session" }).getAttribute("href")).toBe("/login");

      // One tap to the support on a phone: the button jumps there, and every service is a real link.
      await page.getByRole("link", { name: "Get support" }).click();
      await expect.poll(() => page.url()).toMatch(/#support$/);
      const support = page.getByRole("region", { name: "Get support" });
      expect(await support.isVisible()).toBe(true);
      expect(await support.getByRole("link", { name: /^Call 999/ }).getAttribute("href")).toBe("tel:999");
      expect(await support.getByRole("link", { name: /^Call 101/ }).getAttribute("href")).toBe("tel:101");
      const report = support.getByRole("link", { name: /Report \+ Support/ });
      expect(await report.getAttribute("href")).toBe("https://reportandsupport.example.ac.uk/");
      expect(await report.getAttribute("target")).toBe("_blank");
      // Urgent services first, and marked.
      const cards = await support.getByRole("listitem").allTextContents();
      expect(cards[0]).toMatch(/^Emergency services\s*Urgent/);
      expect(cards[1]).toMatch(/Urgent/);
      expect(cards.slice(2).every((c) => !/Urgent/.test(c))).toBe(true);
      // Shown in the page, so not repeated in the footer.
      expect(await page.getByRole("contentinfo").getByText("Report + Support").count()).toBe(0);

      await all.click();
      await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Sign up for a training session");
      await page.getByRole("link", { name: "NeverOK Training" }).click();
      await page.waitForURL((url) => url.pathname === "/");
      await context.close();
    });
  }

  it("sends someone signed in on to their home, and the sign-in page leads to the open sessions", async () => {
    const { page, context } = await newPage(browser);
    await page.goto("/login");
    await page.getByRole("link", { name: "See the open sessions and sign up" }).click();
    await page.waitForURL("**/sessions/open");
    await page.goto("/login");
    await page.getByRole("link", { name: "NeverOK Training" }).click();
    await page.waitForURL((url) => url.pathname === "/");

    await signIn(page, "booker@neverok.example");
    await page.goto("/");
    await page.waitForURL("**/booker");
    await context.close();
  });
});
