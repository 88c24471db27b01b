import AxeBuilder from "@axe-core/playwright";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { expect, inject } from "vitest";
import { DEMO_PASSWORD } from "#seed/demo.ts";
import { isUsuallyClosed } from "#tests/scheduling-fixtures.ts";

export const baseURL = () => inject("baseURL");

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

export async function newPage(browser: Browser, opts: { mobile?: boolean } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    baseURL: baseURL(),
    viewport: opts.mobile ? { width: 390, height: 844 } : { width: 1280, height: 900 },
    locale: "en-GB",
    timezoneId: "Europe/London",
  });
  const page = await context.newPage();
  return { context, page };
}

/** Signs in as a demo account (by email, with the demo password) or as an account of the journey's own. */
export async function signIn(page: Page, who: string | { email: string; password: string }, demoPassword = DEMO_PASSWORD) {
  const { email, password } = typeof who === "string" ? { email: who, password: demoPassword } : who;
  await page.goto("/login");
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(password);
  const form = await page
    .locator("form")
    .filter({ has: page.getByRole("button", { name: "Sign in" }) })
    .elementHandle();
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/login"));
  // The address changes as the next page starts to draw; wait until the sign-in form has gone from the page.
  // A full page load (JavaScript off) destroys the form's document, which is gone as well.
  await form?.waitForElementState("hidden").catch(() => undefined);
}

/** No serious or critical WCAG 2.2 AA violation on the page as it stands. */
export async function expectAccessible(page: Page, opts: { exclude?: string } = {}) {
  let builder = new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]);
  if (opts.exclude) builder = builder.exclude(opts.exclude);
  const results = await builder.analyze();
  const serious = results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
  expect(serious, `axe found problems on ${page.url()}`).toEqual([]);
}

/** "YYYY-MM-DD" of the first `weekday` (1 = Monday) at least `minDays` days from today that is not a closure day. */
export function weekdayAhead(weekday: number, minDays: number): string {
  const d = new Date();
  d.setUTCHours(12, 0, 0, 0);
  d.setUTCDate(d.getUTCDate() + minDays);
  while (((d.getUTCDay() + 6) % 7) + 1 !== weekday || isUsuallyClosed(d.toISOString().slice(0, 10))) d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** Follows a link in the main navigation, opening "More" first when the link lives there. */
export async function followNavLink(page: Page, name: string) {
  const nav = page.getByRole("navigation", { name: "Main" });
  const link = nav.getByRole("link", { name, exact: true });
  if (!(await link.isVisible())) await nav.locator("summary").click();
  await link.click();
}
