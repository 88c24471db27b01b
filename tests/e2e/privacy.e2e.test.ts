import fs from "node:fs";
import Database from "better-sqlite3";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { expectAccessible, launchBrowser, newPage, signIn } from "./browser.ts";

/** A leader from last year's demo roster: two inductions attended, nothing still to come, used by no other journey. */
const ATTENDEE = "aaliyah.singh@students.neverok.example";
const NAME = "Aaliyah Singh";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

function query<T>(fn: (db: Database.Database) => T): T {
  const db = new Database(inject("databasePath"), { readonly: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

const held = () =>
  query((db) => ({
    registrations: (db.prepare("select count(*) as n from registrations where lower(email) = ? or name = ?").get(ATTENDEE, NAME) as { n: number }).n,
    leaders: (db.prepare("select count(*) as n from leader_people where lower(email) = ? or name = ?").get(ATTENDEE, NAME) as { n: number }).n,
  }));

const presentAt = (sessionIds: number[]) =>
  query(
    (db) =>
      (
        db
          .prepare(`select count(*) as n from registrations where attendance = 'present' and session_id in (${sessionIds.map(() => "?").join(",")})`)
          .get(...sessionIds) as { n: number }
      ).n,
  );

describe("a person's data, for the data protection officer", () => {
  it("finds a demo attendee, downloads their data, erases it on confirmation, and then finds nothing", async () => {
    expect(held()).toEqual({ registrations: 2, leaders: 1 });
    const theirSessions = query((db) =>
      (db.prepare("select session_id from registrations where email = ?").all(ATTENDEE) as { session_id: number }[]).map((r) => r.session_id),
    );
    const presentBefore = presentAt(theirSessions);

    const { page, context } = await newPage(browser);
    await signIn(page, "coordinator@neverok.example");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Privacy" }).click();
    await page.waitForURL("**/coordinator/privacy");
    await expectAccessible(page);

    // A typo is told beside the box.
    await page.getByLabel("Email address").fill("aaliyah.singh");
    // Past the browser's own check, to see the server's answer.
    await page.getByLabel("Email address").evaluate((el: HTMLInputElement) => {
      el.form!.noValidate = true;
    });
    await page.getByRole("button", { name: "Find" }).click();
    await expect.poll(() => page.getByText("Enter an email address like name@example.ac.uk").count()).toBe(1);

    await page.getByLabel("Email address").fill(ATTENDEE.toUpperCase());
    await page.getByRole("button", { name: "Find" }).click();
    await expect.poll(() => page.getByRole("heading", { level: 2, name: `What is held about ${ATTENDEE}` }).count()).toBe(1);
    // The address searched for stays out of the address bar (and so of the history and the access log).
    expect(page.url().toLowerCase()).not.toContain("aaliyah");
    const registrations = page.getByRole("region", { name: "Registrations for sessions" });
    await expect.poll(() => registrations.getByRole("row").count()).toBe(3); // a header and two registrations
    expect(await registrations.getByText(NAME).count()).toBe(2);
    expect(
      await page
        .getByRole("region", { name: "Student leader record" })
        .getByText(/captain|rep|committee|lead|buddy/i)
        .count(),
    ).toBeGreaterThan(0);
    await expectAccessible(page);

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download as JSON" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^personal-data-\d{4}-\d{2}-\d{2}\.json$/);
    const file = JSON.parse(fs.readFileSync((await download.path())!, "utf8")) as {
      email: string;
      registrations: { name: string; studentId: string | null; attendance: string }[];
      leader: { name: string } | null;
      about: { feedback: string };
    };
    expect(file.email).toBe(ATTENDEE);
    expect(file.registrations).toHaveLength(2);
    expect(file.registrations.every((r) => r.name === NAME && r.attendance === "present")).toBe(true);
    expect(file.leader?.name).toBe(NAME);
    expect(file.about.feedback).toMatch(/never with the person/);

    // Erasing needs the address typed again.
    const erase = page.getByRole("button", { name: "Erase this person's data" });
    await erase.click();
    await expect.poll(() => page.getByText("Type the email address again to confirm").count()).toBe(1);
    await page.getByLabel(`Type ${ATTENDEE} to confirm`).fill("someone.else@students.neverok.example");
    await erase.click();
    await expect.poll(() => page.getByText(/not the same address/).count()).toBe(1);
    expect(held().registrations).toBe(2);

    await page.getByLabel(`Type ${ATTENDEE} to confirm`).fill(ATTENDEE);
    await erase.click();
    await page.waitForURL((url) => url.pathname === "/coordinator/privacy" && !url.search);
    await expect.poll(() => page.getByRole("status").textContent()).toMatch(/Erased 2 registrations, 1 leader role/);

    await page.getByLabel("Email address").fill(ATTENDEE);
    await page.getByRole("button", { name: "Find" }).click();
    await expect.poll(() => page.getByText("Nothing is held about this address").count()).toBe(1);
    expect(await page.getByText(NAME).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Download as JSON" }).count()).toBe(0);

    expect(held()).toEqual({ registrations: 0, leaders: 0 });
    // Their attendance still counts.
    expect(presentAt(theirSessions)).toBe(presentBefore);

    // The audit log says an erasure happened, not whose.
    await page.goto("/coordinator/audit");
    expect(await page.getByText(/Alex Morgan erased a person's data \(2 registrations, 1 leader role\)/).count()).toBe(1);
    expect(await page.getByText(NAME).count()).toBe(0);
    await context.close();
  });

  it("shows the retention periods and what they will remove next, with errors beside the fields, on a phone too", async () => {
    const { page, context } = await newPage(browser, { mobile: true });
    await signIn(page, "coordinator@neverok.example");
    await page.goto("/coordinator/privacy");
    await page.getByRole("link", { name: "Retention periods" }).click();
    await page.waitForURL("**/coordinator/retention");
    const next = page.getByRole("region", { name: /What is past its retention period/ });
    await expect.poll(() => next.getByRole("row").count()).toBe(7);
    expect(await next.getByText("Attendees on registrations").count()).toBe(1);
    await expectAccessible(page);

    const field = page.getByLabel(/Attendees on registrations/);
    await field.fill("6");
    await page.getByRole("button", { name: "Save retention periods" }).click();
    await expect.poll(() => page.getByText("Keep registrations for at least 12 months").count()).toBe(1);
    expect(await field.getAttribute("aria-invalid")).toBe("true");
    await expectAccessible(page);

    await field.fill("36");
    await page.getByRole("button", { name: "Save retention periods" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toContain("Saved the retention periods");
    await context.close();
  });
});
