import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAccessible, launchBrowser, newPage, signIn } from "./browser.ts";
import { newAccount } from "./data.ts";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** The next Christmas Day still to come. */
function nextChristmas(): number {
  const today = new Date();
  const year = today.getUTCFullYear();
  return today.getTime() < Date.UTC(year, 11, 24) ? year : year + 1;
}

describe("closure days, as the coordinator keeps and meets them", () => {
  it("lists the closure periods on the settings page, refuses a backwards one beside the field, adds and removes one", async () => {
    const { page, context } = await newPage(browser);
    await signIn(page, await newAccount(["coordinator"]));
    await page.goto("/coordinator/settings");
    const closures = page.getByRole("region", { name: "Closure days" });
    // The demo keeps the university's Christmas closure.
    expect(await closures.textContent()).toMatch(/Christmas closure\s*24 December \d{4} – 1 January \d{4}/);
    expect(await closures.textContent()).toContain("Christmas Day");
    await expectAccessible(page);

    const name = `Reading week ${Date.now()}`;
    const year = nextChristmas() + 1;
    await closures.getByLabel("Name", { exact: true }).fill(name);
    await page.getByLabel("First closed day").fill(`${year}-02-20`);
    await page.getByLabel("Last closed day").fill(`${year}-02-16`);
    await page.getByRole("button", { name: "Add the closure" }).click();
    const lastError = page.locator("#add-closure-last-error");
    await expect.poll(() => lastError.textContent()).toContain("The last day must be on or after the first day");
    expect(await page.getByLabel("Last closed day").getAttribute("aria-invalid")).toBe("true");
    expect(await closures.getByLabel("Name", { exact: true }).inputValue()).toBe(name);
    await expectAccessible(page);

    await page.getByLabel("Last closed day").fill(`${year}-02-24`);
    await page.getByRole("button", { name: "Add the closure" }).click();
    await expect.poll(async () => (await page.getByRole("status").textContent()) ?? "").toContain(`Added ${name}`);
    expect(await closures.textContent()).toContain(`20 February ${year} – 24 February ${year}`);
    await page.getByRole("button", { name: new RegExp(`^Remove ${name}`) }).click();
    await expect.poll(async () => (await page.getByRole("status").textContent()) ?? "").toContain("Removed the closure");
    expect(await closures.textContent()).not.toContain(name);
    await context.close();
  });

  it("refuses too many places and Christmas Day on the open-session form, each beside its field, and marks the day in the calendar", async () => {
    const { page, context } = await newPage(browser);
    await signIn(page, await newAccount(["coordinator"]));
    const year = nextChristmas();
    await page.goto("/coordinator/open-sessions/new");
    await page
      .getByLabel("Course")
      .selectOption((await page.locator("select[name=courseId] option", { hasText: "Handling Disclosures" }).getAttribute("value"))!);
    await page.getByLabel("Date", { exact: true }).first().fill(`${year}-12-25`);
    await page.getByLabel("Start time").fill("10:00");
    await page.getByLabel("Where").selectOption("address");
    await page.getByLabel("Address", { exact: true }).fill("Students' Union Forum");
    const places = page.getByLabel("Number of places");
    await places.fill("100");
    // The closure days ahead are listed beside the date.
    await page.getByText("The university is closed on bank holidays and these days").click();
    expect(await page.locator("details").filter({ hasText: "Christmas closure" }).textContent()).toContain(`25 December ${year}`);
    await page.getByRole("button", { name: "Open for sign-up" }).click();
    await expect
      .poll(() => page.locator("#open-session-new-capacity-error").textContent())
      .toContain("Handling Disclosures takes at most 20 people: offer 20 places or fewer");
    expect(await places.getAttribute("aria-invalid")).toBe("true");
    expect(await places.inputValue()).toBe("100");
    await expectAccessible(page);

    await places.fill("20");
    await page.getByRole("button", { name: "Open for sign-up" }).click();
    await expect
      .poll(() => page.locator("#open-session-new-date-error").textContent())
      .toContain(`25 December ${year} is Christmas Day, a bank holiday: the university is closed`);
    expect(await page.getByLabel("Date", { exact: true }).first().inputValue()).toBe(`${year}-12-25`);
    expect(await page.getByLabel("Address", { exact: true }).inputValue()).toBe("Students' Union Forum");
    await expectAccessible(page);

    await page.goto(`/coordinator/calendar?view=month&date=${year}-12-01`);
    const christmas = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: new RegExp(`25 December ${year}`) }) });
    expect(await christmas.textContent()).toContain("Closed: Christmas Day");
    await expectAccessible(page);
    await context.close();
  });

  it("on a phone, the settings list and the calendar's closed days fit the screen", async () => {
    const { page, context } = await newPage(browser, { mobile: true });
    await signIn(page, await newAccount(["coordinator"]));
    await page.goto("/coordinator/settings");
    expect(await page.getByRole("region", { name: "Closure days" }).textContent()).toContain("Christmas closure");
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await expectAccessible(page);
    const year = nextChristmas();
    await page.goto(`/coordinator/calendar?view=month&date=${year}-12-01`);
    // A phone lists only the busy days of a month, and the closed ones.
    expect(await page.getByText("Closed: Christmas Day").isVisible()).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await expectAccessible(page);
    await context.close();
  });
});
