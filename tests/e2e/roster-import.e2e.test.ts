import fs from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLeader, createLeaderRole } from "#tests/compliance-fixtures.ts";
import { expectAccessible, launchBrowser, newPage, signIn } from "./browser.ts";
import { demoCourse, e2eDb, ensureLeaderYear, newAccount, type Account } from "./data.ts";

/**
 * The officer imports a roster with good, changed and bad rows: a preview first, nothing written
 * until they confirm, and the bad rows left out only when they say so. The file goes into an
 * academic year of its own (2034–35), with roles of its own and two leaders already on it.
 */

const YEAR = 2034;
const run = String(Date.now());
let browser: Browser;

interface Existing {
  personId: number;
  appointmentId: number;
  name: string;
  email: string;
  studentId: string | null;
  role: string;
  group: string;
}
let changed: Existing;
let unchanged: Existing;

const newcomers = [
  {
    first: "Ines",
    last: `Okafor ${run}`,
    email: `ines.${run}@students.neverok.example`,
    studentId: `S34${run.slice(-5).toUpperCase()}1`.replace(/[^A-Z0-9]/g, "0"),
  },
  {
    first: "Tomás",
    last: `Reyes ${run}`,
    email: `tomas.${run}@students.neverok.example`,
    studentId: `S34${run.slice(-5).toUpperCase()}2`.replace(/[^A-Z0-9]/g, "0"),
  },
];

const HALL_REP = `Hall rep ${run}`;
const BUDDY = `Buddy ${run}`;
let officer: Account;

beforeAll(async () => {
  browser = await launchBrowser();
  officer = await newAccount(["officer"]);
  const db = e2eDb();
  await ensureLeaderYear(YEAR);
  const requirement = [{ courseId: (await demoCourse("Active Bystander")).id }];
  await createLeaderRole(db, requirement, BUDDY);
  const hallRepId = await createLeaderRole(db, requirement, HALL_REP);
  const existing = async (first: string, n: number): Promise<Existing> => {
    const studentId = `S34${run.slice(-5)}${n}9`;
    const leader = await createLeader(db, {
      roleId: hallRepId,
      startYear: YEAR,
      name: `${first} Existing ${run}`,
      studentId,
      groupName: "Hall Reps",
      startedOn: `${YEAR}-09-01`,
    });
    return { ...leader, role: HALL_REP, group: "Hall Reps" };
  };
  changed = await existing("Zara", 1);
  unchanged = await existing("Yusuf", 2);
});
afterAll(async () => {
  await browser?.close();
});

const cell = (v: string | null) => (v === null ? "" : /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const splitName = (name: string) => [name.split(" ")[0]!, name.split(" ").slice(1).join(" ")];

function rosterCsv(): string {
  const [a, b] = newcomers as [(typeof newcomers)[number], (typeof newcomers)[number]];
  const rows: (string | null)[][] = [
    ["First name", "Last name", "E-mail", "Student number", "Position", "Club/Society", "President?", "Start date", "Notes"],
    [a.first, a.last, a.email, a.studentId, HALL_REP, "Hall Reps", "no", "", "new this year"], // row 2: add
    [...splitName(changed.name), changed.email, changed.studentId, changed.role, changed.group, "yes", `15/09/${YEAR}`, ""], // row 3: change
    [...splitName(unchanged.name), unchanged.email, unchanged.studentId, unchanged.role, unchanged.group, "no", "", ""], // row 4: left alone
    [b.first, b.last, b.email, b.studentId, BUDDY, "Peer Mentors", "", `01/10/${YEAR}`, ""], // row 5: add
    ["Bad", "Address", "bad.address.at.example", "", BUDDY, "Peer Mentors", "", "", ""], // row 6: bad email
    ["Una", "Known", `una.${run}@students.neverok.example`, "", "Treasurer", "Chess Club", "", "", ""], // row 7: unknown role
    [a.first, a.last, a.email, a.studentId, HALL_REP, "Hall Reps", "no", "", "pasted twice"], // row 8: duplicate of row 2
  ];
  return rows.map((r) => r.map(cell).join(",")).join("\r\n") + "\r\n";
}

async function written() {
  const db = e2eDb();
  const emails = [...newcomers.map((n) => n.email), "bad.address.at.example", `una.${run}@students.neverok.example`];
  const people = await db.selectFrom("leader_people").select("email").where("email", "in", emails).execute();
  const appointments = await db
    .selectFrom("leader_appointments as a")
    .innerJoin("leader_people as p", "p.id", "a.person_id")
    .select(["p.email", "a.is_president", "a.started_on"])
    .where("a.start_year", "=", YEAR)
    .orderBy("a.id")
    .execute();
  return { people: people.map((p) => p.email).sort(), appointments };
}

async function uploadAndPreview(page: Page) {
  await page.goto(`/officer/roster/import?year=${YEAR}`);
  expect(await page.getByLabel("Academic year").inputValue()).toBe(String(YEAR));
  await page.getByLabel("Roster file (CSV)").setInputFiles({ name: `roster-${run}.csv`, mimeType: "text/csv", buffer: Buffer.from(rosterCsv()) });
  await page.getByRole("button", { name: "Check the file" }).click();
  await page.getByRole("heading", { level: 1, name: `Check the import: ${YEAR}–${(YEAR + 1) % 100}` }).waitFor();
}

const row = (page: Page, list: string, n: number) => page.getByRole("list", { name: list }).locator(`li[data-row="${n}"]`);

describe("the officer imports the year's roster from a spreadsheet", () => {
  it("previews every row, writes nothing until confirmed, refuses a file with errors until told to leave them out, then imports the good rows", async () => {
    const { page, context } = await newPage(browser);
    await signIn(page, officer);
    await page.goto("/officer/roster/import");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Import the roster");
    // The accepted headings are on the page.
    expect(await page.getByText("“Student number”").count()).toBeGreaterThan(0);
    await expectAccessible(page);

    // The template downloads as a CSV file with a byte-order mark.
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download the template (CSV)" }).click()]);
    expect(download.suggestedFilename()).toBe("leader-roster-template.csv");
    const template = fs.readFileSync((await download.path())!, "utf8");
    expect(template.startsWith("\uFEFFFirst name,Last name,Email,Student ID,Role,Group,President,Start date\r\n")).toBe(true);

    const before = await written();
    await uploadAndPreview(page);

    // The summary and the columns.
    const summary = await page.locator("dl").first().textContent();
    expect(summary).toMatch(/To add\s*2.*To change\s*1.*Left alone\s*1.*With errors\s*3/s);
    expect(await page.getByText("“Notes”").count()).toBe(1);
    expect(await page.getByText("“Student number” as Student ID").count()).toBe(1);

    // Every bad row, with its spreadsheet row number and the reason.
    expect(await row(page, "Rows with errors", 6).textContent()).toContain("“bad.address.at.example” is not an email address");
    expect(await row(page, "Rows with errors", 7).textContent()).toContain("There is no role called “Treasurer”: use one of");
    expect(await row(page, "Rows with errors", 8).textContent()).toContain("Duplicate of row 2");
    expect(await page.getByRole("list", { name: "Rows with errors" }).locator("li[data-row]").count()).toBe(3);

    // The change, old → new, field by field.
    const change = await row(page, "Rows that change a leader", 3).textContent();
    expect(change).toContain(changed.email);
    expect(change).toMatch(/President:\s*no\s*→\s*becomes\s*yes/);
    expect(change).toMatch(/Start date:.*1 Sep 2034.*→.*becomes.*15 Sep 2034/);

    // The additions, and the row left alone.
    expect(await row(page, "Rows that add a leader", 2).textContent()).toContain(newcomers[0]!.email);
    expect(await row(page, "Rows that add a leader", 2).textContent()).toContain("New to the roster");
    expect(await row(page, "Rows that add a leader", 5).textContent()).toContain("1 Oct 2034");
    await page.getByText("Show the 1 row left alone").click();
    expect(await row(page, "Rows left alone", 4).textContent()).toContain(unchanged.email);
    await expectAccessible(page);

    // Nothing is written by the preview.
    expect(await written()).toEqual(before);

    // With errors in the file the button stays off until the officer agrees to leave them out,
    // and the server refuses too if the form is sent anyway.
    const importButton = page.getByRole("button", { name: "Import the roster" });
    expect(await importButton.isDisabled()).toBe(true);
    await page.evaluate(() => (document.querySelector('input[name="intent"][value="confirm"]') as HTMLInputElement).form!.requestSubmit());
    await expect.poll(() => page.locator("#confirm-error").textContent()).toContain("3 rows have errors (row 6, row 7, row 8)");
    expect(await written()).toEqual(before);

    await page.getByLabel("Import without the 3 rows with errors").check();
    expect(await importButton.isEnabled()).toBe(true);
    await importButton.click();
    await page.waitForURL(`**/officer/roster/import?year=${YEAR}&imported=1`);
    await expect
      .poll(() => page.getByRole("status").textContent())
      .toBe(`Imported the 2034–35 roster: 2 added, 1 changed, 1 unchanged, 3 rows with errors left out (rows 6, 7, 8).`);
    expect(await page.getByRole("link", { name: "See who has done their training" }).getAttribute("href")).toBe(`/officer/leaders?year=${YEAR}`);
    await expectAccessible(page);

    // The good rows are written and the bad ones are not.
    const after = await written();
    expect(after.people).toEqual(newcomers.map((n) => n.email).sort());
    const forEmail = (email: string) => after.appointments.filter((a) => a.email === email);
    expect(forEmail(newcomers[0]!.email)).toHaveLength(1); // the duplicate row added nobody twice
    expect(forEmail(newcomers[1]!.email)).toEqual([{ email: newcomers[1]!.email, is_president: 0, started_on: `${YEAR}-10-01` }]);
    expect(forEmail(changed.email)).toEqual([{ email: changed.email, is_president: 1, started_on: `${YEAR}-09-15` }]);
    expect(forEmail(unchanged.email)).toEqual([{ email: unchanged.email, is_president: 0, started_on: `${YEAR}-09-01` }]);
    expect(after.appointments).toHaveLength(4);
    await context.close();
  });

  it("works on a phone: the preview fits the screen", async () => {
    const { page, context } = await newPage(browser, { mobile: true });
    await signIn(page, officer);
    await page.goto("/officer/roster/import");
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await uploadAndPreview(page);
    // Imported already: the good rows are now left alone, the bad ones still listed.
    expect(await page.locator("dl").first().textContent()).toMatch(/To add\s*0.*To change\s*0.*Left alone\s*4.*With errors\s*3/s);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await expectAccessible(page);
    await context.close();
  });
});
