import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLeader, createLeaderRole } from "#tests/compliance-fixtures.ts";
import { expectAccessible, launchBrowser, newPage, signIn } from "./browser.ts";
import { demoCourse, e2eDb, ensureLeaderYear, newAccount, type Account } from "./data.ts";

/**
 * Roles, their requirements, deadlines and rolling over, on roles and leaders of the test's own in
 * two academic years of its own (2036–37 and 2037–38).
 */

const FROM = 2036;
const TO = 2037;
const run = String(Date.now());
const roleName = `Welfare officer ${run}`;
const BUDDY = `Buddy ${run}`;
const COURSE_REP = `Course rep ${run}`;
let browser: Browser;
let officer: Account;
let buddyRoleId: number;

beforeAll(async () => {
  browser = await launchBrowser();
  officer = await newAccount(["officer"]);
  const db = e2eDb();
  await ensureLeaderYear(FROM);
  await ensureLeaderYear(TO);
  const requirement = [{ courseId: (await demoCourse("Active Bystander")).id }];
  buddyRoleId = await createLeaderRole(db, requirement, BUDDY);
  const courseRepRoleId = await createLeaderRole(db, requirement, COURSE_REP);
  // Two buddies carry on, one stepped down; one course rep.
  const buddy = { roleId: buddyRoleId, startYear: FROM, groupName: "Peer Mentors", startedOn: `${FROM}-09-01` };
  await createLeader(db, buddy);
  await createLeader(db, buddy);
  await createLeader(db, { ...buddy, endedOn: `${FROM}-12-01` });
  await createLeader(db, { roleId: courseRepRoleId, startYear: FROM, groupName: "Department of Health", startedOn: `${FROM}-09-01` });
});
afterAll(async () => {
  await browser?.close();
});

const requirementsOf = (roleId: number) =>
  e2eDb()
    .selectFrom("leader_role_requirements as q")
    .innerJoin("courses as c", "c.id", "q.course_id")
    .select(["c.name", "q.validity", "q.validity_months"])
    .where("q.role_id", "=", roleId)
    .orderBy("c.name")
    .execute();
const deadlineOf = (startYear: number) => e2eDb().selectFrom("leader_years").select("deadline").where("start_year", "=", startYear).execute();
const appointmentsIn = (startYear: number) =>
  e2eDb()
    .selectFrom("leader_appointments as a")
    .innerJoin("leader_roles as r", "r.id", "a.role_id")
    .select(["r.name as role", "a.started_on"])
    .where("a.start_year", "=", startYear)
    .orderBy("a.id")
    .execute();

describe("the officer looks after leader roles and academic years", () => {
  it("adds a role, gives it a requirement counted in months, and sees errors beside the fields", async () => {
    const { page, context } = await newPage(browser);
    await signIn(page, officer);
    await page.goto("/officer/roles");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Roles and years");
    expect(await page.getByRole("list", { name: "Leader roles" }).textContent()).toContain("Handling Disclosures (counts for 24 months)");
    await expectAccessible(page);

    // A new role starts with what every role requires.
    await page.getByLabel("Name", { exact: true }).fill(roleName);
    await page.getByLabel("What the role is").fill("Looks after members' welfare.");
    await page.getByRole("button", { name: "Add role" }).click();
    await page.waitForURL(/\/officer\/roles\/\d+$/);
    const roleId = Number(new URL(page.url()).pathname.split("/").pop());
    await expect.poll(() => page.getByRole("status").textContent()).toContain(`Added the role ${roleName}`);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe(roleName);
    expect(await page.getByRole("region", { name: "What it requires now" }).textContent()).toContain("Active Bystander (this academic year only)");
    await expectAccessible(page);

    // Add Consent, counted for a number of months; saving without the number is refused beside it.
    await page.getByRole("button", { name: "Add a course" }).click();
    const course = page.getByLabel("Course (requirement 2)");
    await course.waitFor();
    await course.selectOption({ label: "Consent" });
    await page.getByLabel("Counts for (requirement 2)").selectOption("months");
    const months = page.getByLabel("Months (requirement 2)");
    await months.waitFor();
    await page.getByRole("button", { name: "Save requirements" }).click();
    await expect
      .poll(() => page.locator(`[id$="requirements[1].validityMonths-error"]`).textContent())
      .toContain("Enter for how many months the training counts");
    expect(await months.getAttribute("aria-invalid")).toBe("true");
    expect(await course.locator("option:checked").textContent()).toBe("Consent");
    await expectAccessible(page);

    await months.fill("24");
    await page.getByRole("button", { name: "Save requirements" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toContain(`Saved what ${roleName} requires`);
    expect(await page.getByRole("region", { name: "What it requires now" }).textContent()).toMatch(
      /Active Bystander \(this academic year only\).*Consent \(counts for 24 months\)/s,
    );
    const saved = await requirementsOf(roleId);
    expect(saved).toEqual([
      { name: "Active Bystander", validity: "academic_year", validity_months: null },
      { name: "Consent", validity: "months", validity_months: 24 },
    ]);

    // The roles page lists it with both.
    await page.goto("/officer/roles");
    const item = page
      .getByRole("list", { name: "Leader roles" })
      .getByRole("listitem")
      .filter({ has: page.getByRole("link", { name: roleName }) });
    expect(await item.textContent()).toMatch(/Active Bystander \(this academic year only\).*Consent \(counts for 24 months\)/s);
    await context.close();
  });

  it("moves a deadline, and rolls a year over with the roles that continue, once", async () => {
    const { page, context } = await newPage(browser);
    await signIn(page, officer);
    await page.goto("/officer/roles");

    // A deadline outside the year is refused beside the field; one inside it is saved.
    const deadline = page.getByLabel(`Deadline for ${FROM}–37`);
    await deadline.fill(`${FROM + 2}-01-10`);
    await page.getByRole("button", { name: `Change the ${FROM}–37 deadline` }).click();
    await expect.poll(() => page.locator(`#deadline-${FROM}-deadline-error`).textContent()).toContain("within the academic year");
    await deadline.fill(`${FROM}-11-15`);
    await page.getByRole("button", { name: `Change the ${FROM}–37 deadline` }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toBe(`The ${FROM}–37 deadline is now Sat 15 Nov 2036.`);
    expect(await deadlineOf(FROM)).toEqual([{ deadline: `${FROM}-11-15` }]);

    // Rolling into the same year is refused beside "Into", keeping the choices made.
    const rollOver = page.getByRole("region", { name: "Roll over to a new year" });
    await rollOver.getByLabel("From").selectOption(String(FROM));
    await rollOver.getByLabel("Into").selectOption(String(FROM));
    await rollOver.getByLabel(COURSE_REP, { exact: true }).uncheck();
    await rollOver.getByRole("button", { name: "Roll over" }).click();
    await expect.poll(() => page.locator("#roll-over-toYear-error").textContent()).toContain("Roll over into a later year");
    expect(await rollOver.getByLabel(COURSE_REP, { exact: true }).isChecked()).toBe(false);
    expect(await rollOver.getByLabel(BUDDY, { exact: true }).isChecked()).toBe(true);
    await expectAccessible(page);

    await rollOver.getByLabel("Into").selectOption(String(TO));
    await rollOver.getByLabel("Deadline in the new year").fill(`${TO}-10-15`);
    await rollOver.getByRole("button", { name: "Roll over" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toBe("Rolled 2036–37 over into 2037–38: copied 2 leaders, 0 already there.");
    const copied = await appointmentsIn(TO);
    expect(copied).toEqual([
      { role: BUDDY, started_on: `${TO}-08-01` },
      { role: BUDDY, started_on: `${TO}-08-01` },
    ]);
    expect(await deadlineOf(TO)).toEqual([{ deadline: `${TO}-10-15` }]);

    // Again: nobody is copied twice.
    await rollOver.getByLabel("From").selectOption(String(FROM));
    await rollOver.getByLabel("Into").selectOption(String(TO));
    await rollOver.getByLabel(COURSE_REP, { exact: true }).uncheck();
    await rollOver.getByRole("button", { name: "Roll over" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toBe("Rolled 2036–37 over into 2037–38: copied 0 leaders, 2 already there.");
    expect(await appointmentsIn(TO)).toHaveLength(2);
    await context.close();
  });

  it("works on a phone", async () => {
    const { page, context } = await newPage(browser, { mobile: true });
    await signIn(page, officer);
    for (const path of ["/officer/roles", `/officer/roles/${buddyRoleId}`]) {
      await page.goto(path);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(390);
      await expectAccessible(page);
    }
    await context.close();
  });
});
