import Database from "better-sqlite3";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { expectAccessible, launchBrowser, newPage, signIn } from "./browser.ts";

/**
 * Roles, their requirements, deadlines and rolling over. The test works on a role it adds itself
 * and on two academic years of its own (2036–37 and 2037–38), so the demo's roles and its current
 * year keep the figures other journeys expect.
 */

const FROM = 2036;
const TO = 2037;
const run = String(Date.now());
const roleName = `Welfare officer ${run}`;
let browser: Browser;

function openDb(readonly = false) {
  const db = new Database(inject("databasePath"), { fileMustExist: true, readonly });
  db.pragma("busy_timeout = 5000");
  return db;
}

beforeAll(async () => {
  browser = await launchBrowser();
  const db = openDb();
  try {
    const at = new Date().toISOString();
    const addYear = db.prepare("insert into leader_years (start_year, deadline, created_at, updated_at) values (?, ?, ?, ?) on conflict do nothing");
    addYear.run(FROM, `${FROM}-10-31`, at, at);
    addYear.run(TO, `${TO}-10-31`, at, at);
    const roleId = (name: string) => (db.prepare("select id from leader_roles where name = ?").get(name) as { id: number }).id;
    const people = db.prepare("select id from leader_people order by id limit 4").all() as { id: number }[];
    const appoint = db.prepare(
      `insert into leader_appointments (person_id, start_year, role_id, group_name, organisation_id, is_president, started_on, ended_on, end_reason, created_at, updated_at)
       values (?, ?, ?, ?, null, 0, ?, ?, ?, ?, ?)`,
    );
    // Two buddies carry on, one stepped down; one course rep.
    appoint.run(people[0]!.id, FROM, roleId("Buddy"), "Peer Mentors", `${FROM}-09-01`, null, null, at, at);
    appoint.run(people[1]!.id, FROM, roleId("Buddy"), "Peer Mentors", `${FROM}-09-01`, null, null, at, at);
    appoint.run(people[2]!.id, FROM, roleId("Buddy"), "Peer Mentors", `${FROM}-09-01`, `${FROM}-12-01`, "Stepped down", at, at);
    appoint.run(people[3]!.id, FROM, roleId("Course rep"), "Department of Health", `${FROM}-09-01`, null, null, at, at);
  } finally {
    db.close();
  }
});
afterAll(async () => {
  await browser?.close();
});

function query<T>(sql: string, ...params: unknown[]): T[] {
  const db = openDb(true);
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

describe("the officer looks after leader roles and academic years", () => {
  it("adds a role, gives it a requirement counted in months, and sees errors beside the fields", async () => {
    const { page, context } = await newPage(browser);
    await signIn(page, "officer@neverok.example");
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
    const saved = query<{ name: string; validity: string; validity_months: number | null }>(
      "select c.name, q.validity, q.validity_months from leader_role_requirements q join courses c on c.id = q.course_id where q.role_id = ? order by c.name",
      roleId,
    );
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
    await signIn(page, "officer@neverok.example");
    await page.goto("/officer/roles");

    // A deadline outside the year is refused beside the field; one inside it is saved.
    const deadline = page.getByLabel(`Deadline for ${FROM}–37`);
    await deadline.fill(`${FROM + 2}-01-10`);
    await page.getByRole("button", { name: `Change the ${FROM}–37 deadline` }).click();
    await expect.poll(() => page.locator(`#deadline-${FROM}-deadline-error`).textContent()).toContain("within the academic year");
    await deadline.fill(`${FROM}-11-15`);
    await page.getByRole("button", { name: `Change the ${FROM}–37 deadline` }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toBe(`The ${FROM}–37 deadline is now Sat 15 Nov 2036.`);
    expect(query<{ deadline: string }>("select deadline from leader_years where start_year = ?", FROM)).toEqual([{ deadline: `${FROM}-11-15` }]);

    // Rolling into the same year is refused beside "Into", keeping the choices made.
    const rollOver = page.getByRole("region", { name: "Roll over to a new year" });
    await rollOver.getByLabel("From").selectOption(String(FROM));
    await rollOver.getByLabel("Into").selectOption(String(FROM));
    await rollOver.getByLabel("Course rep").uncheck();
    await rollOver.getByRole("button", { name: "Roll over" }).click();
    await expect.poll(() => page.locator("#roll-over-toYear-error").textContent()).toContain("Roll over into a later year");
    expect(await rollOver.getByLabel("Course rep").isChecked()).toBe(false);
    expect(await rollOver.getByLabel("Buddy").isChecked()).toBe(true);
    await expectAccessible(page);

    await rollOver.getByLabel("Into").selectOption(String(TO));
    await rollOver.getByLabel("Deadline in the new year").fill(`${TO}-10-15`);
    await rollOver.getByRole("button", { name: "Roll over" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toBe("Rolled 2036–37 over into 2037–38: copied 2 leaders, 0 already there.");
    const copied = query<{ role: string; started_on: string }>(
      "select r.name as role, a.started_on from leader_appointments a join leader_roles r on r.id = a.role_id where a.start_year = ? order by a.id",
      TO,
    );
    expect(copied).toEqual([
      { role: "Buddy", started_on: `${TO}-08-01` },
      { role: "Buddy", started_on: `${TO}-08-01` },
    ]);
    expect(query<{ deadline: string }>("select deadline from leader_years where start_year = ?", TO)).toEqual([{ deadline: `${TO}-10-15` }]);

    // Again: nobody is copied twice.
    await rollOver.getByLabel("From").selectOption(String(FROM));
    await rollOver.getByLabel("Into").selectOption(String(TO));
    await rollOver.getByLabel("Course rep").uncheck();
    await rollOver.getByRole("button", { name: "Roll over" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toBe("Rolled 2036–37 over into 2037–38: copied 0 leaders, 2 already there.");
    expect(query("select id from leader_appointments where start_year = ?", TO)).toHaveLength(2);
    await context.close();
  });

  it("works on a phone", async () => {
    const { page, context } = await newPage(browser, { mobile: true });
    await signIn(page, "officer@neverok.example");
    for (const path of ["/officer/roles", "/officer/roles/1"]) {
      await page.goto(path);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(390);
      await expectAccessible(page);
    }
    await context.close();
  });
});
