import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "#db/schema.ts";
import { createOrganisation } from "#tests/factories.ts";
import { baseURL, launchBrowser, newPage, signIn, followNavLink } from "./browser.ts";
import { e2eDb, newAccount } from "./data.ts";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** Every Content-Security-Policy complaint the browser makes on this page, from the console or as an event. */
function watchViolations(page: Page): string[] {
  const seen: string[] = [];
  page.on("console", (msg) => {
    if (/Content Security Policy|Content-Security-Policy/i.test(msg.text())) seen.push(msg.text());
  });
  page.on("pageerror", (err) => {
    if (/Content Security Policy/i.test(err.message)) seen.push(err.message);
  });
  return seen;
}

async function recordCspEvents(page: Page) {
  await page.addInitScript(() => {
    (window as unknown as { __csp: string[] }).__csp = [];
    document.addEventListener("securitypolicyviolation", (e) => {
      (window as unknown as { __csp: string[] }).__csp.push(
        `${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}:${e.columnNumber} ${e.sample} ${location.pathname}`,
      );
    });
  });
}

const cspEvents = (page: Page) => page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []);

describe("security headers in the browser", () => {
  it("a public page carries the headers, a nonce on every inline script, and no violations", async () => {
    const { context, page } = await newPage(browser);
    const violations = watchViolations(page);
    await recordCspEvents(page);
    const response = await page.goto("/sessions/open");
    const headers = response!.headers();
    const csp = headers["content-security-policy"]!;
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(headers["x-frame-options"]).toBe("DENY");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    expect(headers["strict-transport-security"]).toContain("max-age=31536000");
    // Every script in the page is from the site or carries this response's nonce.
    const html = await (await page.request.get("/sessions/open")).text();
    const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)].map((m) => m[1]!);
    expect(inline.length).toBeGreaterThan(0);
    for (const attrs of inline) expect(attrs).toMatch(/nonce="[^"]+"/);
    await page.waitForLoadState("networkidle");
    expect(violations).toEqual([]);
    expect(await cspEvents(page)).toEqual([]);
    await context.close();
  });

  it("signing in, client-side navigation and a form with JavaScript still work, with no violations", async () => {
    const { context, page } = await newPage(browser);
    const violations = watchViolations(page);
    await recordCspEvents(page);
    await signIn(page, await newAccount(["coordinator"]));
    expect(new URL(page.url()).pathname).toBe("/coordinator");
    // A marker on window survives a client-side navigation and is lost on a full page load.
    await page.evaluate(() => ((window as unknown as { __stayed: boolean }).__stayed = true));
    await followNavLink(page, "Organisations");
    await page.waitForURL("**/coordinator/organisations");
    expect(await page.evaluate(() => (window as unknown as { __stayed?: boolean }).__stayed)).toBe(true);

    const response = await page.request.get("/coordinator");
    expect(response.headers()["cache-control"]).toBe("no-store");
    expect(await cspEvents(page)).toEqual([]);
    expect(violations).toEqual([]);
    await context.close();
  });

  const tour: { role: Role; paths: string[] }[] = [
    {
      role: "coordinator",
      paths: ["/coordinator", "/coordinator/calendar", "/coordinator/requests", "/coordinator/open-sessions", "/reports/impact", "/coordinator/feedback"],
    },
    { role: "trainer", paths: ["/trainer", "/trainer/availability", "/trainer/calendar-feed", "/trainer/feedback"] },
    { role: "officer", paths: ["/officer/leaders", "/officer/roles", "/officer/roster/import"] },
    { role: "booker", paths: ["/booker", "/booker/requests/new"] },
  ];
  for (const { role, paths } of tour) {
    it(`someone with the ${role} role: the pages they use raise no violations`, async () => {
      const { context, page } = await newPage(browser);
      const violations = watchViolations(page);
      await recordCspEvents(page);
      await signIn(page, await newAccount([role], role === "booker" ? { organisationIds: [await createOrganisation(e2eDb())] } : {}));
      for (const path of paths) {
        const response = await page.goto(path);
        expect(response!.status(), path).toBe(200);
        expect(response!.headers()["cache-control"], path).toBe("no-store");
        await page.waitForLoadState("networkidle");
        expect(await cspEvents(page), path).toEqual([]);
      }
      expect(violations).toEqual([]);
      await context.close();
    });
  }

  it("the outbox still shows an email's HTML in its sandboxed frame", async () => {
    const { context, page } = await newPage(browser);
    const violations = watchViolations(page);
    await signIn(page, await newAccount(["coordinator"]));
    // Make sure there is a message: a password reset request puts one in the outbox.
    const other = await newPage(browser);
    await other.page.goto("/forgot-password");
    await other.page.getByLabel("Email address").fill((await newAccount(["booker"])).email);
    await other.page
      .getByRole("button")
      .filter({ hasText: /send|reset|link/i })
      .first()
      .click();
    await other.page.waitForLoadState("networkidle");
    await other.context.close();

    await page.goto("/coordinator/outbox");
    const hrefs = await page.locator('a[href^="/coordinator/outbox/"]').evaluateAll((as) => as.map((a) => a.getAttribute("href")!));
    const messages = hrefs.filter((h) => /^\/coordinator\/outbox\/\d+$/.test(h));
    expect(messages.length).toBeGreaterThan(0);
    let shown = false;
    for (const href of messages.slice(0, 10)) {
      await page.goto(href);
      if ((await page.locator("iframe").count()) === 0) continue;
      const frame = page.frameLocator("iframe");
      await expect.poll(async () => ((await frame.locator("body").textContent()) ?? "").trim().length).toBeGreaterThan(0);
      shown = true;
      break;
    }
    expect(shown).toBe(true);
    expect(violations).toEqual([]);
    await context.close();
  });

  it("a token page sends no referrer and is not cached", async () => {
    const response = await fetch(`${baseURL()}/feedback/not-a-real-token`);
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
  });
});
