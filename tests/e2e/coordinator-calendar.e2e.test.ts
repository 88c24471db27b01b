import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatDay } from "#app/utils/dates.ts";
import { createOrganisation } from "#tests/factories.ts";
import { expectAccessible, launchBrowser, newPage, signIn, weekdayAhead } from "./browser.ts";
import { e2eDb, newAccount, type Account } from "./data.ts";

let browser: Browser;
let coordinator: Account;
beforeAll(async () => {
  browser = await launchBrowser();
  coordinator = await newAccount(["coordinator"]);
});
afterAll(async () => {
  await browser?.close();
});

const rangeHeading = (page: Page) => page.getByRole("heading", { level: 2 }).first().textContent();
const param = (page: Page, name: string) => new URL(page.url()).searchParams.get(name);

describe("the coordinator's calendar", () => {
  it("shows a week, moves to the next and previous weeks, and counts days in London across the clock change", async () => {
    const { page, context } = await newPage(browser);
    await signIn(page, coordinator);
    await page.goto("/coordinator/calendar");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Calendar");
    expect(await page.getByRole("link", { name: "Week", exact: true }).getAttribute("aria-current")).toBe("page");
    expect(await page.getByRole("heading", { level: 3 }).count()).toBe(7);
    await expectAccessible(page);

    const thisWeek = await rangeHeading(page);
    await page.getByRole("link", { name: "Next week" }).click();
    await expect.poll(() => rangeHeading(page)).not.toBe(thisWeek);
    const nextWeek = await rangeHeading(page);
    await page.getByRole("link", { name: "Previous week" }).click();
    await expect.poll(() => rangeHeading(page)).toBe(thisWeek);
    await page.getByRole("link", { name: "Next week" }).click();
    await expect.poll(() => rangeHeading(page)).toBe(nextWeek);
    await page.getByRole("link", { name: "Today" }).click();
    await expect.poll(() => rangeHeading(page)).toBe(thisWeek);

    // The week after the clocks go back starts on Monday 27 October, and has seven whole days.
    await page.goto("/coordinator/calendar?view=week&date=2025-10-29");
    expect(await rangeHeading(page)).toBe("Mon 27 Oct 2025 – Sun 2 Nov 2025");
    const days = await page.getByRole("heading", { level: 3 }).allTextContents();
    expect(days.map((d) => d.replace("Today", "").trim())).toEqual([
      "Mon 27 Oct 2025",
      "Tue 28 Oct 2025",
      "Wed 29 Oct 2025",
      "Thu 30 Oct 2025",
      "Fri 31 Oct 2025",
      "Sat 1 Nov 2025",
      "Sun 2 Nov 2025",
    ]);
    await page.getByRole("link", { name: "Previous week" }).click();
    await expect.poll(() => rangeHeading(page)).toBe("Mon 20 Oct 2025 – Sun 26 Oct 2025");

    // Nonsense in the address falls back to this week.
    await page.goto("/coordinator/calendar?view=year&date=2025-02-30&course=abc");
    expect(await rangeHeading(page)).toBe(thisWeek);
    await context.close();
  });

  it("shows a month, moves between months, and keeps the filters in the address", async () => {
    const { page, context } = await newPage(browser);
    await signIn(page, coordinator);
    await page.goto("/coordinator/calendar");
    await page.getByRole("link", { name: "Month", exact: true }).click();
    await expect.poll(() => rangeHeading(page)).toMatch(/^[A-Z][a-z]+ \d{4}$/);
    expect(param(page, "view")).toBe("month");
    await expectAccessible(page);

    const thisMonth = await rangeHeading(page);
    await page.getByRole("link", { name: "Next month" }).click();
    await expect.poll(() => rangeHeading(page)).not.toBe(thisMonth);
    await page.getByRole("link", { name: "Previous month" }).click();
    await expect.poll(() => rangeHeading(page)).toBe(thisMonth);

    // Every session shown opens its own page.
    for (const href of await page.locator('a[href^="/coordinator/sessions/"]').evaluateAll((as) => as.map((a) => a.getAttribute("href")))) {
      expect(href).toMatch(/^\/coordinator\/sessions\/\d+$/);
    }

    await page.goto("/coordinator/calendar?view=month&date=2026-03-29");
    expect(await rangeHeading(page)).toBe("March 2026");

    const trainer = page.getByRole("combobox", { name: "Trainer" });
    await trainer.selectOption({ label: "Sam Okafor" });
    await page.getByRole("checkbox", { name: "Show cancelled sessions" }).check();
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.waitForURL((url) => url.searchParams.get("cancelled") === "1");
    const trainerId = param(page, "trainer");
    expect(trainerId).toMatch(/^\d+$/);
    expect(param(page, "view")).toBe("month");
    expect(param(page, "date")).toBe("2026-03-29");
    await expect.poll(() => trainer.inputValue()).toBe(trainerId);

    // Moving on, and switching to the week, keep the filters.
    await page.getByRole("link", { name: "Next month" }).click();
    await expect.poll(() => rangeHeading(page)).toBe("April 2026");
    expect(param(page, "trainer")).toBe(trainerId);
    expect(param(page, "cancelled")).toBe("1");
    await page.getByRole("link", { name: "Week", exact: true }).click();
    await expect.poll(() => page.getByRole("heading", { level: 3 }).count()).toBe(7);
    expect(param(page, "view")).toBe("week");
    expect(param(page, "trainer")).toBe(trainerId);
    expect(await page.getByRole("checkbox", { name: "Show cancelled sessions" }).isChecked()).toBe(true);
    expect(await trainer.inputValue()).toBe(trainerId);

    await page.getByRole("link", { name: "Clear filters" }).click();
    await expect.poll(() => trainer.inputValue()).toBe("");
    expect(param(page, "trainer")).toBeNull();
    expect(await page.getByRole("checkbox", { name: "Show cancelled sessions" }).isChecked()).toBe(false);
    await context.close();
  });

  it("on a phone, the week is a list of days one under another, with the filters folded away", async () => {
    const { page, context } = await newPage(browser, { mobile: true });
    await signIn(page, coordinator);
    await page.goto("/coordinator/calendar?view=week&date=2026-03-25");
    expect(await rangeHeading(page)).toBe("Mon 23 Mar 2026 – Sun 29 Mar 2026");
    const boxes = await Promise.all((await page.getByRole("heading", { level: 3 }).all()).map((h) => h.boundingBox()));
    expect(boxes).toHaveLength(7);
    for (let i = 1; i < boxes.length; i++) {
      expect(boxes[i]!.x).toBe(boxes[0]!.x);
      expect(boxes[i]!.y).toBeGreaterThan(boxes[i - 1]!.y + boxes[i - 1]!.height);
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    expect(await page.getByRole("combobox", { name: "Course" }).isVisible()).toBe(false);
    await page.getByText("Filters", { exact: true }).click();
    expect(await page.getByRole("combobox", { name: "Course" }).isVisible()).toBe(true);
    await expectAccessible(page);

    await page.getByRole("link", { name: "Next week" }).click();
    await expect.poll(() => rangeHeading(page)).toBe("Mon 30 Mar 2026 – Sun 5 Apr 2026");
    await page.getByRole("link", { name: "Month", exact: true }).click();
    await expect.poll(() => rangeHeading(page)).toBe("March 2026");
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await expectAccessible(page);
    await context.close();
  });
});

describe("a session on the calendar", () => {
  it("appears on its London day in its course colour, says it needs trainers, follows the filters and opens its page", async () => {
    // Far enough ahead to stay clear of the other journeys' sessions.
    const day = weekdayAhead(3, 112);
    const organisationId = await createOrganisation(e2eDb(), { name: `Department of Psychology ${Date.now()}` });
    const booker = await newPage(browser);
    await signIn(booker.page, await newAccount(["booker"], { organisationIds: [organisationId] }));
    await booker.page.goto("/booker/requests/new");
    const courseValue = await booker.page.locator("select[name=courseId] option", { hasText: "Handling Disclosures" }).getAttribute("value");
    await booker.page.getByLabel("Course").selectOption(courseValue!);
    await booker.page.getByLabel("Expected group size").fill("15");
    await booker.page.getByLabel("Students", { exact: true }).check();
    const first = booker.page.getByRole("group", { name: "First choice" });
    await first.getByLabel("Date").fill(day);
    await first.getByLabel("Start time").fill("11:00");
    const second = booker.page.getByRole("group", { name: "Second choice" });
    await second.getByLabel("Date").fill(day);
    await second.getByLabel("Start time").fill("15:00");
    await booker.page.getByRole("button", { name: "Send request" }).click();
    await booker.page.waitForURL(/\/booker\/requests\/\d+$/);
    const requestId = new URL(booker.page.url()).pathname.split("/").pop();
    await booker.context.close();

    const { page, context } = await newPage(browser);
    await signIn(page, coordinator);
    await page.goto(`/coordinator/requests/${requestId}`);
    await page.getByLabel(/^Choice 1:/).check();
    await page.getByRole("button", { name: "Show rooms for this time" }).click();
    await page.waitForURL(/slot=1/);
    await page.locator("input[name=roomId]:not([disabled])").first().check();
    await page.getByRole("button", { name: "Schedule and send the invitation" }).click();
    await page.waitForURL(/\/coordinator\/sessions\/\d+$/);
    const sessionPath = new URL(page.url()).pathname;

    await page.goto(`/coordinator/calendar?view=week&date=${day}`);
    const block = page.locator(`a[href="${sessionPath}"]`);
    expect(await block.count()).toBe(1);
    const text = await block.textContent();
    for (const part of ["11:00–13:00", "Handling Disclosures", "Department of Psychology", "Needs 2 more trainers"]) expect(text).toContain(part);
    // In the column of its own day.
    const column = page.getByRole("listitem").filter({ has: page.getByRole("heading", { level: 3, name: formatDay(new Date(`${day}T12:00:00Z`)) }) });
    expect(await column.locator(`a[href="${sessionPath}"]`).count()).toBe(1);
    expect(await block.evaluate((a) => getComputedStyle(a).borderLeftColor)).toBe("rgb(15, 118, 110)");
    await expectAccessible(page);

    // Filters narrow the calendar.
    await page.goto(`/coordinator/calendar?view=month&date=${day}`);
    expect(await page.locator(`a[href="${sessionPath}"]`).count()).toBe(1);
    await page.getByRole("combobox", { name: "Course" }).selectOption({ label: "Consent" });
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.waitForURL((url) => url.searchParams.has("course"));
    await expect.poll(() => page.locator(`a[href="${sessionPath}"]`).count()).toBe(0);
    await page.getByRole("combobox", { name: "Course" }).selectOption({ label: "Handling Disclosures" });
    await page.getByRole("searchbox", { name: "Organisation" }).fill("psychology");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.waitForURL((url) => url.searchParams.get("org") === "psychology");
    await expect.poll(() => page.locator(`a[href="${sessionPath}"]`).count()).toBe(1);

    // The month's links are plain anchors that still navigate within the app: the page is not loaded afresh.
    await page.evaluate(() => Object.assign(window, { stillThisPage: true }));
    await page.locator(`a[href="${sessionPath}"]`).click();
    await page.waitForURL((url) => url.pathname === sessionPath);
    await expect.poll(() => page.getByRole("button", { name: "Cancel the session" }).count()).toBeGreaterThan(0);
    expect(await page.evaluate(() => (window as unknown as { stillThisPage?: boolean }).stillThisPage)).toBe(true);

    await page.getByRole("textbox", { name: "Reason (sent to everyone on the session)" }).last().fill("Booked only to check the calendar.");
    await page.getByRole("button", { name: "Cancel the session" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toContain("Cancelled.");
    // Cancelled sessions are hidden unless asked for.
    await page.goto(`/coordinator/calendar?view=week&date=${day}`);
    expect(await page.locator(`a[href="${sessionPath}"]`).count()).toBe(0);
    await page.getByRole("checkbox", { name: "Show cancelled sessions" }).check();
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect.poll(() => page.locator(`a[href="${sessionPath}"]`).count()).toBe(1);
    const cancelled = await page.locator(`a[href="${sessionPath}"]`).textContent();
    expect(cancelled).toContain("Cancelled");
    expect(cancelled).not.toContain("Needs");
    await context.close();
  });
});

describe("the scheduling settings", () => {
  it("refuses a day that ends before it starts beside the field, keeps what was typed, then saves a change", async () => {
    const { page, context } = await newPage(browser);
    await signIn(page, coordinator);
    await page.goto("/coordinator/settings");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Scheduling settings");
    await expectAccessible(page);

    const travel = page.getByLabel("Travel time between sessions (minutes)");
    const start = page.getByLabel("Working day starts");
    const end = page.getByLabel("Working day ends");
    // The reminder lead time: no browser journey sends session reminders, so changing it disturbs none.
    const reminders = page.getByLabel("Send reminders (hours before)");
    const [travelBefore, startBefore, endBefore] = [await travel.inputValue(), await start.inputValue(), await end.inputValue()];
    await start.fill("10:00");
    await end.fill("08:30");
    await reminders.fill("36");
    await page.getByRole("button", { name: "Save settings" }).click();
    await expect.poll(() => end.getAttribute("aria-invalid")).toBe("true");
    const errorId = (await end.getAttribute("aria-describedby"))!.split(" ").at(-1)!;
    expect(await page.locator(`[id="${errorId}"]`).textContent()).toContain("The day must end after it starts");
    expect(await end.inputValue()).toBe("08:30");
    expect(await reminders.inputValue()).toBe("36");
    expect(await start.inputValue()).toBe("10:00");
    await expectAccessible(page);

    await start.fill(startBefore);
    await end.fill(endBefore);
    await page.getByRole("button", { name: "Save settings" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toContain("Saved the scheduling settings");
    await page.reload();
    expect(await reminders.inputValue()).toBe("36");
    expect([await travel.inputValue(), await start.inputValue(), await end.inputValue()]).toEqual([travelBefore, startBefore, endBefore]);
    await context.close();
  });
});
