import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMs, DAY } from "#app/utils/time.ts";
import { TEST_PASSWORD } from "#tests/factories.ts";
import { createTrainer, insertSession } from "#tests/scheduling-fixtures.ts";
import { expectAccessible, launchBrowser, newPage, signIn } from "./browser.ts";
import { demoCourse, e2eDb, type Account } from "./data.ts";

let browser: Browser;
/** A trainer of this file's own, so these journeys may change their week. */
let trainer: Account;
beforeAll(async () => {
  browser = await launchBrowser();
  const course = await demoCourse("Consent");
  trainer = { ...(await createTrainer(e2eDb(), { name: `Marcus Trainer ${Date.now()}`, qualifiedFor: [course.id] })), password: TEST_PASSWORD };
});
afterAll(async () => {
  await browser?.close();
});

/** A London calendar date `days` from today, as a date input wants it. */
function dateFromToday(days: number): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London" }).format(new Date(Date.now() + days * 86_400_000));
}

async function noSidewaysScroll(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
}

describe("a trainer's own pages", () => {
  it("My sessions shows hours and links, on a desktop and on a phone", async () => {
    for (const mobile of [false, true]) {
      const { page, context } = await newPage(browser, { mobile });
      await signIn(page, trainer);
      await page.goto("/trainer");
      expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Hello, Marcus");
      expect(await page.getByText("Hours delivered this term").count()).toBe(1);
      expect(await page.getByRole("heading", { name: "You deliver" }).count()).toBe(1);
      expect(await page.getByRole("main").getByRole("link", { name: "Availability and time off" }).count()).toBe(1);
      expect(await page.getByRole("main").getByRole("link", { name: "Calendar feed" }).count()).toBe(1);
      await expectAccessible(page);
      if (mobile) await noSidewaysScroll(page);
      await context.close();
    }
  });

  it("opens one of their own sessions, and gets a 404 for a session they are not on", async () => {
    const { page, context } = await newPage(browser);
    await signIn(page, trainer);
    const course = await demoCourse("Consent");
    const startsAt = addMs(new Date(), 50 * DAY);
    const mine = await insertSession(e2eDb(), { courseId: course.id, startsAt, trainerIds: [trainer.id] });
    const notMine = await insertSession(e2eDb(), { courseId: course.id, startsAt });

    const ok = await page.goto(`/trainer/sessions/${mine}`);
    expect(ok?.status()).toBe(200);
    expect(await page.getByRole("heading", { name: "Your answer" }).count()).toBe(1);
    expect(await page.getByRole("link", { name: /Add to my calendar/ }).getAttribute("href")).toBe(`/sessions/${mine}.ics`);
    await expectAccessible(page);

    const refused = await page.goto(`/trainer/sessions/${notMine}`);
    expect(refused?.status()).toBe(404);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Page not found");
    await context.close();
  });

  it("sets weekly availability and adds and removes time off", async () => {
    const { page, context } = await newPage(browser);
    await signIn(page, trainer);
    await page.goto("/trainer/availability");
    expect(await page.getByText("set by the coordinator").count()).toBe(1);
    await expectAccessible(page);

    // Saturday mornings, as well as whatever is there already.
    const saturday = page.getByRole("button", { name: /^Add (more )?hours on Saturday$/ });
    await saturday.click();
    await page.getByLabel("From (Saturday", { exact: false }).last().fill("10:00");
    await page.getByLabel("Until (Saturday", { exact: false }).last().fill("09:00");
    await page.getByRole("button", { name: "Save my week" }).click();
    await expect.poll(() => page.getByText("End after the start time").count()).toBe(1);
    await page.getByLabel("Until (Saturday", { exact: false }).last().fill("13:00");
    await page.getByRole("button", { name: "Save my week" }).click();
    await expect.poll(() => page.getByRole("status").first().textContent()).toContain("Saved your weekly availability");
    await page.reload();
    expect(await page.getByLabel("Until (Saturday", { exact: false }).last().inputValue()).toBe("13:00");

    // A week of time off well ahead.
    const first = dateFromToday(400);
    const last = dateFromToday(404);
    await page.getByLabel("First day").fill(last);
    await page.getByLabel("Last day").fill(first);
    await page.getByRole("button", { name: "Add time off" }).click();
    await expect.poll(() => page.getByText("The last day cannot be before the first day").count()).toBe(1);
    await page.getByLabel("First day").fill(first);
    await page.getByLabel("Last day").fill(last);
    await page.getByLabel("Reason").fill("Walking holiday");
    await page.getByRole("button", { name: "Add time off" }).click();
    await expect.poll(() => page.getByRole("status").first().textContent()).toContain("Added time off");
    const item = page.getByRole("listitem").filter({ hasText: "Walking holiday" });
    expect(await item.count()).toBe(1);
    expect(await item.textContent()).toMatch(/\w{3} \d{1,2} \w{3} \d{4} – \w{3} \d{1,2} \w{3} \d{4}/);
    expect(await page.getByLabel("Reason").inputValue()).toBe("");
    await expectAccessible(page);

    await item.getByRole("button", { name: /^Remove/ }).click();
    await expect.poll(() => page.getByText("Walking holiday").count()).toBe(0);
    await context.close();
  });

  it("creates a private feed link that calendar apps can fetch, and replacing it stops the old one", async () => {
    const { page, context } = await newPage(browser);
    await signIn(page, trainer);
    const response = await page.goto("/trainer/calendar-feed");
    expect(response?.headers()["cache-control"]).toBe("no-store");
    expect(response?.headers()["referrer-policy"]).toBe("no-referrer");
    await expectAccessible(page);

    await page.getByRole("button", { name: /(Create|Replace) my feed link/ }).click();
    await expect.poll(() => page.getByText("it is shown only this once").count()).toBe(1);
    const oldUrl = await page.getByLabel("Web address").inputValue();
    expect(oldUrl).toMatch(/^http:\/\/localhost:\d+\/feeds\/trainers\/[\w-]+\.ics$/);
    expect(await page.getByLabel("Subscription link (webcal)").inputValue()).toBe(oldUrl.replace(/^http:/, "webcal:"));
    await expectAccessible(page);

    const feed = await fetch(oldUrl);
    expect(feed.status).toBe(200);
    expect(feed.headers.get("content-type")).toContain("text/calendar");
    const body = await feed.text();
    expect(body.startsWith("BEGIN:VCALENDAR")).toBe(true);
    expect(body).not.toContain("ATTENDEE");
    // Through the real server: sent as it was made (no compression to change the bytes its strong ETag
    // names), and a calendar that holds the current feed is told so.
    const etag = feed.headers.get("etag");
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(feed.headers.get("content-encoding")).toBeNull();
    const again = await fetch(oldUrl, { headers: { "If-None-Match": etag!, "Accept-Encoding": "gzip" } });
    expect(again.status).toBe(304);
    expect(again.headers.get("etag")).toBe(etag);

    // Reloading does not show the link again.
    await page.goto("/trainer/calendar-feed");
    expect(await page.getByLabel("Web address").count()).toBe(0);

    await page.getByRole("button", { name: "Replace my feed link" }).click();
    await expect.poll(() => page.getByText("it is shown only this once").count()).toBe(1);
    const newUrl = await page.getByLabel("Web address").inputValue();
    expect(newUrl).not.toBe(oldUrl);
    expect((await fetch(oldUrl)).status).toBe(404);
    expect((await fetch(newUrl)).status).toBe(200);

    await page.getByRole("button", { name: "Turn off my feed" }).click();
    await expect.poll(() => page.getByRole("status").first().textContent()).toContain("Your calendar feed is off");
    expect((await fetch(newUrl)).status).toBe(404);
    await context.close();
  });
});
