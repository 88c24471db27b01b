import fs from "node:fs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attend, createLeader, createLeaderRole, leaderSession } from "#tests/compliance-fixtures.ts";
import { expectAccessible, launchBrowser, newPage, signIn, followNavLink } from "./browser.ts";
import { demoCourse, e2eDb, ensureLeaderYear, newAccount, thisAcademicYear, type Account } from "./data.ts";

const run = String(Date.now());
const ATTENDEE = `aaliyah.singh.${run}@students.neverok.example`;
const NAME = `Aaliyah Singh ${run}`;

let browser: Browser;
let coordinator: Account;
/** The sessions the person attended. */
let theirSessions: number[];
beforeAll(async () => {
  browser = await launchBrowser();
  coordinator = await newAccount(["coordinator"], { name: `Dana Protector ${run}` });
  // A leader of last year with two inductions attended and nothing still to come.
  const db = e2eDb();
  const lastYear = thisAcademicYear() - 1;
  await ensureLeaderYear(lastYear);
  const course = await demoCourse("Active Bystander");
  const roleId = await createLeaderRole(db, [{ courseId: course.id }], `Hall rep ${run}`);
  await createLeader(db, { roleId, startYear: lastYear, name: NAME, email: ATTENDEE, groupName: "Eastwood Hall" });
  theirSessions = [await leaderSession(db, course.id, `${lastYear}-09-20`), await leaderSession(db, course.id, `${lastYear}-10-04`)];
  for (const sessionId of theirSessions) {
    await attend(db, sessionId, { name: NAME, email: ATTENDEE });
    await attend(db, sessionId, { name: `Someone Else ${run}`, email: `someone.else.${run}@students.neverok.example` });
  }
});
afterAll(async () => {
  await browser?.close();
});

const count = async (table: "registrations" | "leader_people") =>
  Number(
    (
      await e2eDb()
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where((eb) => eb.or([eb(eb.fn<string>("lower", ["email"]), "=", ATTENDEE), eb("name", "=", NAME)]))
        .executeTakeFirstOrThrow()
    ).n,
  );
const held = async () => ({ registrations: await count("registrations"), leaders: await count("leader_people") });

const presentAt = async (sessionIds: number[]) =>
  Number(
    (
      await e2eDb()
        .selectFrom("registrations")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("attendance", "=", "present")
        .where("session_id", "in", sessionIds)
        .executeTakeFirstOrThrow()
    ).n,
  );

describe("a person's data, for the data protection officer", () => {
  it("finds an attendee, downloads their data, erases it on confirmation, and then finds nothing", async () => {
    expect(await held()).toEqual({ registrations: 2, leaders: 1 });
    const presentBefore = await presentAt(theirSessions);

    const { page, context } = await newPage(browser);
    await signIn(page, coordinator);
    await followNavLink(page, "Privacy");
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
    expect((await held()).registrations).toBe(2);

    await page.getByLabel(`Type ${ATTENDEE} to confirm`).fill(ATTENDEE);
    await erase.click();
    await page.waitForURL((url) => url.pathname === "/coordinator/privacy" && !url.search);
    await expect.poll(() => page.getByRole("status").textContent()).toMatch(/Erased 2 registrations, 1 leader role/);

    await page.getByLabel("Email address").fill(ATTENDEE);
    await page.getByRole("button", { name: "Find" }).click();
    await expect.poll(() => page.getByText("Nothing is held about this address").count()).toBe(1);
    expect(await page.getByText(NAME).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Download as JSON" }).count()).toBe(0);

    expect(await held()).toEqual({ registrations: 0, leaders: 0 });
    // Their attendance still counts.
    expect(await presentAt(theirSessions)).toBe(presentBefore);

    // The audit log says an erasure happened, not whose.
    await page.goto("/coordinator/audit");
    expect(await page.getByText(`${coordinator.name} erased a person's data (2 registrations, 1 leader role)`).count()).toBe(1);
    expect(await page.getByText(NAME).count()).toBe(0);
    await context.close();
  });

  it("shows the retention periods and what they will remove next, with errors beside the fields, on a phone too", async () => {
    const { page, context } = await newPage(browser, { mobile: true });
    await signIn(page, coordinator);
    await page.goto("/coordinator/privacy");
    await page.getByRole("link", { name: "Retention periods" }).click();
    await page.waitForURL("**/coordinator/retention");
    const next = page.getByRole("region", { name: /What is past its retention period/ });
    await expect.poll(() => next.getByRole("row").count()).toBe(8);
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
