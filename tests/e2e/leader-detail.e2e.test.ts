import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAccessible, launchBrowser, newPage, signIn, withDb } from "./browser.ts";

const OFFICER = "officer@neverok.example";
const startedAt = new Date().toISOString();
/** This academic year's roster (other journeys set up far-future years of their own). */
const thisYear = (() => {
  const d = new Date();
  return d.getUTCMonth() >= 7 ? d.getUTCFullYear() : d.getUTCFullYear() - 1;
})();

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});

type Person = { id: number; name: string };

/** A Freshers' Week captain who did Active Bystander at the captains' session but not Consent. */
const captainWithoutConsent = () =>
  withDb(
    (db) =>
      db
        .prepare(
          `select p.id, p.name from leader_people p
           join leader_appointments a on a.person_id = p.id
           where a.group_name = 'Freshers' || char(39) || ' Week Captains' and a.start_year = ${thisYear}
             and exists (select 1 from registrations r join sessions s on s.id = r.session_id join courses c on c.id = s.course_id
                         where lower(r.email) = p.email and r.attendance = 'present' and c.name = 'Active Bystander')
             and not exists (select 1 from registrations r join sessions s on s.id = r.session_id join courses c on c.id = s.course_id
                             where lower(r.email) = p.email and c.name = 'Consent')
             and not exists (select 1 from leader_completions lc where lc.person_id = p.id)
             and not exists (select 1 from leader_exemptions e where e.person_id = p.id)
           order by p.id limit 1`,
        )
        .get() as Person,
  );

/** The demo's near-miss: a leader on the roster who attended under a personal email and no student ID. */
const nearMissLeader = () =>
  withDb(
    (db) =>
      db
        .prepare(
          `select p.id, p.name from leader_people p
           where exists (select 1 from registrations r where r.name = p.name and r.email like '%@gmail.example' and r.attendance = 'present')
           order by p.id limit 1`,
        )
        .get() as Person,
  );

// Other journeys count the demo's compliant and overdue leaders: what this file records is taken away again.
afterAll(async () => {
  withDb((db) => db.prepare("delete from leader_completions where created_at >= ?").run(startedAt));
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
    const captain = captainWithoutConsent();
    expect(captain).toBeTruthy();
    const { page, context } = await newPage(browser);
    await signIn(page, OFFICER);
    const response = await page.goto(`/officer/leaders/${captain.id}`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()["cache-control"]).toBe("no-store");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe(captain.name);
    expect(await requirement(page, "Active Bystander").innerText()).toContain("Done");
    expect(await requirement(page, "Consent").innerText()).toMatch(/Not done|Overdue/);
    expect(await page.getByRole("link", { name: new RegExp(`^Edit ${captain.name}`) }).getAttribute("href")).toMatch(
      new RegExp(`^/officer/leaders/${captain.id}/edit`),
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
    const recorded = withDb(
      (db) =>
        db.prepare("select completed_on, provider, source from leader_completions where person_id = ? and created_at >= ?").all(captain.id, startedAt) as {
          completed_on: string;
          provider: string;
          source: string;
        }[],
    );
    expect(recorded).toEqual([{ completed_on: doneOn, provider: "Bath Spa University Students' Union", source: "external" }]);
    await context.close();
  });

  it("confirms the demo near-miss on the possible matches page, and the leader's requirement is met", async () => {
    const leader = nearMissLeader();
    expect(leader).toBeTruthy();
    const { page, context } = await newPage(browser);
    await signIn(page, OFFICER);
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

    await page.goto(`/officer/leaders/${leader.id}`);
    expect(await requirement(page, "Active Bystander").innerText()).toContain("Attendance confirmed as theirs");
    expect(await page.getByText("Possible matches to check").count()).toBe(0);
    await context.close();
  });

  it("works on a phone", async () => {
    const captain = captainWithoutConsent() ?? nearMissLeader();
    const { page, context } = await newPage(browser, { mobile: true });
    await signIn(page, OFFICER);
    for (const path of [`/officer/leaders/${captain.id}`, "/officer/matches"]) {
      await page.goto(path);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), path).toBe(true);
      await expectAccessible(page);
    }
    // The forms are far down on a phone; a link at the top takes the officer there.
    await page.goto(`/officer/leaders/${captain.id}`);
    await page.getByRole("link", { name: "Record training" }).click();
    await expect.poll(() => page.evaluate(() => location.hash)).toBe("#record-external");
    await context.close();
  });
});
