import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLeader, createLeaderRole } from "#tests/compliance-fixtures.ts";
import { expectAccessible, launchBrowser, newPage, signIn } from "./browser.ts";
import { demoCourse, e2eDb, ensureLeaderYear, newAccount, type Account } from "./data.ts";

/**
 * A leader added by hand, corrected, and stepped down mid-year, in an academic year of the test's
 * own (2038–39) so the demo year's figures are untouched.
 */

const YEAR = 2038;
const run = String(Date.now());
const email = `maya.${run}@students.neverok.example`;
const ROLE = `Buddy ${run}`;
let browser: Browser;
let officer: Account;
/** A leader of the test's own who already holds a student ID. */
let takenStudentId: { id: string; name: string };

beforeAll(async () => {
  browser = await launchBrowser();
  officer = await newAccount(["officer"]);
  const db = e2eDb();
  await ensureLeaderYear(YEAR);
  const roleId = await createLeaderRole(db, [{ courseId: (await demoCourse("Active Bystander")).id }], ROLE);
  const holder = await createLeader(db, { roleId, startYear: YEAR, name: `Sam Holder ${run}`, studentId: `S38${run.slice(-6)}` });
  takenStudentId = { id: holder.studentId!, name: holder.name };
});
afterAll(async () => {
  await browser?.close();
});

async function leader() {
  const db = e2eDb();
  const person = await db
    .selectFrom("leader_people")
    .select(["id", "name", "email", "student_id"])
    .where((eb) => eb.or([eb("email", "=", email), eb("name", "like", `Maya Lind ${run}%`)]))
    .executeTakeFirst();
  const appointments = person
    ? await db
        .selectFrom("leader_appointments as a")
        .innerJoin("leader_roles as r", "r.id", "a.role_id")
        .select(["r.name as role", "a.group_name", "a.is_president", "a.started_on", "a.ended_on", "a.end_reason"])
        .where("a.person_id", "=", person.id)
        .where("a.start_year", "=", YEAR)
        .execute()
    : [];
  return { person, appointments };
}

describe("the officer adds a leader by hand, corrects them and ends their role", () => {
  it("adds, edits and ends, with every refusal beside its field", async () => {
    const { page, context } = await newPage(browser);
    await signIn(page, officer);

    await page.goto(`/officer/leaders/new?year=${YEAR}`);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Add a leader");
    expect(await page.getByLabel("Academic year").inputValue()).toBe(String(YEAR));
    await expectAccessible(page);
    await page.getByLabel("Full name").fill(`Maya Lind ${run}`);
    await page.getByLabel("Email address").fill("maya at home");
    await page.getByLabel("Role", { exact: true }).selectOption({ label: ROLE });
    await page.getByLabel(/^Group/).fill("Peer Mentors");
    await page.getByLabel("Started on").fill(`${YEAR}-09-10`);
    await page.getByLabel("President or chair of the group").check();
    await page.getByRole("button", { name: "Add leader" }).click();
    await expect.poll(() => page.locator("#new-leader-email-error").textContent()).toContain("Enter an email address like");
    expect(await page.getByLabel("Full name").inputValue()).toBe(`Maya Lind ${run}`);
    expect(await page.getByLabel(/^Group/).inputValue()).toBe("Peer Mentors");
    expect(await page.getByLabel("President or chair of the group").isChecked()).toBe(true);
    await expectAccessible(page);

    // A start date outside the year is the rule's refusal, from the server, beside its field.
    await page.getByLabel("Email address").fill(email);
    await page.getByLabel("Started on").fill(`${YEAR + 1}-09-10`);
    await page.getByRole("button", { name: "Add leader" }).click();
    await expect.poll(() => page.locator("#new-leader-startedOn-error").textContent()).toContain("The start date must fall within 2038–39");
    expect((await leader()).person).toBeUndefined();

    await page.getByLabel("Started on").fill(`${YEAR}-09-10`);
    await page.getByRole("button", { name: "Add leader" }).click();
    await page.waitForURL(new RegExp(`/officer/leaders/\\d+\\?year=${YEAR}$`));
    const personId = Number(new URL(page.url()).pathname.split("/").pop());
    const added = await leader();
    expect(added.person).toMatchObject({ id: personId, name: `Maya Lind ${run}`, email, student_id: null });
    expect(added.appointments).toEqual([
      { role: ROLE, group_name: "Peer Mentors", is_president: 1, started_on: `${YEAR}-09-10`, ended_on: null, end_reason: null },
    ]);

    // Correct the details: a student ID that is someone else's is refused beside it.
    await page.goto(`/officer/leaders/${personId}/edit?year=${YEAR}`);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe(`Change Maya Lind ${run}`);
    await expectAccessible(page);
    await page.getByLabel("Full name").fill(`Maya Lindqvist ${run}`);
    await page.getByLabel("Student ID").fill(takenStudentId.id);
    await page.getByRole("button", { name: "Save details" }).click();
    await expect.poll(() => page.locator(`#leader-${personId}-studentId-error`).textContent()).toContain(`This student ID belongs to ${takenStudentId.name}`);
    expect(await page.getByLabel("Full name").inputValue()).toBe(`Maya Lindqvist ${run}`);
    await page.getByLabel("Student ID").fill("S3800001");
    await page.getByRole("button", { name: "Save details" }).click();
    await page.waitForURL(new RegExp(`/officer/leaders/${personId}\\?year=${YEAR}$`));
    expect((await leader()).person).toMatchObject({ name: `Maya Lindqvist ${run}`, student_id: "S3800001" });

    // End the role: not before it started, and with a reason; the history stays.
    await page.goto(`/officer/leaders/${personId}/edit?year=${YEAR}`);
    await page.getByText("End this role").click();
    await page.getByLabel("Last day in the role").fill(`${YEAR}-09-01`);
    await page.getByLabel("Why the role ended").fill("Stepped down to focus on exams");
    await page.getByRole("button", { name: "End role" }).click();
    await expect.poll(() => page.getByText("it cannot end before that").count()).toBe(1);
    expect(await page.getByLabel("Why the role ended").inputValue()).toBe("Stepped down to focus on exams");
    await expectAccessible(page);
    await page.getByLabel("Last day in the role").fill(`${YEAR}-12-01`);
    await page.getByRole("button", { name: "End role" }).click();
    await page.waitForURL(new RegExp(`/officer/leaders/${personId}\\?year=${YEAR}$`));
    expect((await leader()).appointments).toEqual([
      {
        role: ROLE,
        group_name: "Peer Mentors",
        is_president: 1,
        started_on: `${YEAR}-09-10`,
        ended_on: `${YEAR}-12-01`,
        end_reason: "Stepped down to focus on exams",
      },
    ]);

    // The edit page shows the ended role, with nothing left to end.
    await page.goto(`/officer/leaders/${personId}/edit?year=${YEAR}`);
    expect(await page.getByRole("region", { name: `Roles in ${YEAR}–39` }).textContent()).toContain("ended Wed 1 Dec 2038: Stepped down to focus on exams");
    expect(await page.getByText("End this role").count()).toBe(0);
    await context.close();
  });

  it("works on a phone", async () => {
    const { page, context } = await newPage(browser, { mobile: true });
    await signIn(page, officer);
    const personId = (await leader()).person!.id;
    for (const path of [`/officer/leaders/new?year=${YEAR}`, `/officer/leaders/${personId}/edit?year=${YEAR}`]) {
      await page.goto(path);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(390);
      await expectAccessible(page);
    }
    await context.close();
  });
});
