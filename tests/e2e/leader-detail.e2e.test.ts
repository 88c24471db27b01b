import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attend, createLeader, createLeaderRole, leaderSession, type TestLeader } from "#tests/compliance-fixtures.ts";
import { expectAccessible, launchBrowser, newPage, signIn } from "./browser.ts";
import { demoCourse, e2eDb, ensureLeaderYear, newAccount, thisAcademicYear, type Account } from "./data.ts";

const run = String(Date.now());

let browser: Browser;
let officer: Account;
/** A Freshers' Week captain of this file's own who did Active Bystander at an induction but not Consent. */
let captain: TestLeader;
/** A leader who attended under a personal email: a near-miss for the officer to confirm. */
let nearMiss: TestLeader;
beforeAll(async () => {
  browser = await launchBrowser();
  officer = await newAccount(["officer"]);
  const db = e2eDb();
  const year = thisAcademicYear();
  await ensureLeaderYear(year);
  const bystander = await demoCourse("Active Bystander");
  const consent = await demoCourse("Consent");
  const roleId = await createLeaderRole(db, [{ courseId: bystander.id }, { courseId: consent.id }], `Freshers' Week captain ${run}`);
  captain = await createLeader(db, { roleId, startYear: year, groupName: "Freshers' Week Captains", name: `Captain ${run}` });
  nearMiss = await createLeader(db, { roleId, startYear: year, groupName: "Freshers' Week Captains", name: `Dara Near ${run}` });
  // Yesterday's induction, or the first day of the year if that was before it.
  const induction = await leaderSession(db, bystander.id, [londonDay(-1), `${year}-08-01`].sort().at(-1)!);
  await attend(db, induction, captain);
  await attend(db, induction, { name: nearMiss.name, email: `dara.${run}@gmail.example` });
});
afterAll(async () => {
  await browser?.close();
});

/** Today in London, moved by whole days: "2026-11-20". */
function londonDay(offsetDays: number): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London" }).format(new Date(Date.now() + offsetDays * 86_400_000));
}

const requirement = (page: Page, course: string) =>
  page
    .getByRole("listitem")
    .filter({ has: page.getByText(course, { exact: true }) })
    .first();

describe("an officer on a leader's page", () => {
  it("records training done elsewhere: a future date is refused beside the field, nothing typed is lost, then it counts", async () => {
    const { page, context } = await newPage(browser);
    await signIn(page, officer);
    const response = await page.goto(`/officer/leaders/${captain.personId}`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()["cache-control"]).toBe("no-store");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe(captain.name);
    expect(await requirement(page, "Active Bystander").innerText()).toContain("Done");
    expect(await requirement(page, "Consent").innerText()).toMatch(/Not done|Overdue/);
    expect(await page.getByRole("link", { name: new RegExp(`^Edit ${captain.name}`) }).getAttribute("href")).toMatch(
      new RegExp(`^/officer/leaders/${captain.personId}/edit`),
    );
    await expectAccessible(page);

    const form = page.locator("#record-external");
    await form.getByLabel("Course").selectOption({ label: "Consent" });
    await form.getByLabel("Date done").fill(londonDay(2));
    await form.getByLabel("Who delivered it").fill("Bath Spa University Students' Union");
    await form.getByLabel("Evidence").fill("Certificate seen by the union office");
    await form.getByRole("button", { name: "Record training" }).click();
    await expect.poll(() => form.getByText("The date cannot be in the future").count()).toBe(1);
    expect(await form.getByLabel("Date done").getAttribute("aria-invalid")).toBe("true");
    expect(await form.getByLabel("Who delivered it").inputValue()).toBe("Bath Spa University Students' Union");
    expect(await form.getByLabel("Evidence").inputValue()).toBe("Certificate seen by the union office");
    expect(await form.getByLabel("Course").inputValue()).not.toBe("");
    await expectAccessible(page);

    const doneOn = londonDay(-1);
    await form.getByLabel("Date done").fill(doneOn);
    await form.getByRole("button", { name: "Record training" }).click();
    await expect.poll(() => page.getByText("Recorded: training done on").count()).toBe(1);
    await expect.poll(() => requirement(page, "Consent").innerText()).toContain("Done elsewhere: Bath Spa University Students' Union");
    expect(await requirement(page, "Consent").innerText()).toContain("Evidence: Certificate seen by the union office");
    // The form is empty again for the next record.
    expect(await form.getByLabel("Who delivered it").inputValue()).toBe("");
    const recorded = await e2eDb()
      .selectFrom("leader_completions")
      .select(["completed_on", "provider", "source"])
      .where("person_id", "=", captain.personId)
      .execute();
    expect(recorded).toEqual([{ completed_on: doneOn, provider: "Bath Spa University Students' Union", source: "external" }]);
    await context.close();
  });

  it("confirms a near-miss on the possible matches page, and the leader's requirement is met", async () => {
    const leader = nearMiss;
    const { page, context } = await newPage(browser);
    await signIn(page, officer);
    await page.goto("/officer/matches");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Possible matches");
    const card = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: new RegExp(`^${leader.name}`) }) });
    expect(await card.count()).toBe(1);
    expect(await card.innerText()).toContain("Same name, different email");
    expect(await card.innerText()).toContain("@gmail.example");
    await expectAccessible(page);

    await card.getByRole("button", { name: `Confirm: it was ${leader.name}` }).click();
    await expect.poll(() => page.getByText(`Confirmed. The attendance now counts as ${leader.name}'s training.`).count()).toBe(1);
    expect(await page.getByRole("heading", { name: new RegExp(`^${leader.name}`) }).count()).toBe(0);

    await page.goto(`/officer/leaders/${leader.personId}`);
    expect(await requirement(page, "Active Bystander").innerText()).toContain("Attendance confirmed as theirs");
    expect(await page.getByText("Possible matches to check").count()).toBe(0);
    await context.close();
  });

  it("works on a phone", async () => {
    const { page, context } = await newPage(browser, { mobile: true });
    await signIn(page, officer);
    for (const path of [`/officer/leaders/${captain.personId}`, "/officer/matches"]) {
      await page.goto(path);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), path).toBe(true);
      await expectAccessible(page);
    }
    // The forms are far down on a phone; a link at the top takes the officer there.
    await page.goto(`/officer/leaders/${captain.personId}`);
    await page.getByRole("link", { name: "Record training" }).click();
    await expect.poll(() => page.evaluate(() => location.hash)).toBe("#record-external");
    await context.close();
  });
});
