import fs from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LEADERS_PAGE_SIZE } from "#app/compliance/dashboard.ts";
import { academicYearOf } from "#app/utils/dates.ts";
import { parseCsv } from "#app/utils/csv.ts";
import { utcToLondonWallTime } from "#app/utils/dates.ts";
import { attend, createLeader, createLeaderRole, leaderSession } from "#tests/compliance-fixtures.ts";
import { TEST_PASSWORD } from "#tests/factories.ts";
import { createTrainer } from "#tests/scheduling-fixtures.ts";
import { expectAccessible, launchBrowser, newPage, signIn } from "./browser.ts";
import { demoCourse, e2eDb, ensureLeaderYear, newAccount, thisAcademicYear, type Account } from "./data.ts";

const YEAR_LABEL = academicYearOf(new Date()).label;
const SLUG = YEAR_LABEL.replace("–", "-");
const run = String(Date.now());

let browser: Browser;
/** An officer of this file's own: the dashboard shows the demo's roster, read as any officer would. */
let officerAccount: Account;
beforeAll(async () => {
  browser = await launchBrowser();
  officerAccount = await newAccount(["officer"], { name: `Jordan Officer ${run}` });
});
afterAll(async () => {
  await browser?.close();
});

type CsvRow = { name: string; email: string; role: string; group: string; status: string; missing: string };

/** The dashboard's CSV for a query, read through the signed-in page's cookies. */
async function exportRows(page: Page, query = ""): Promise<CsvRow[]> {
  const res = await page.request.get(`/officer/leaders/export${query}`);
  expect(res.status()).toBe(200);
  const [header, ...rows] = parseCsv(await res.text());
  expect(header!.slice(0, 11)).toEqual(["Name", "Email", "Student ID", "Role", "Group", "President", "Started", "Ended", "Status", "Due", "Missing"]);
  return rows.map((r) => ({ name: r[0]!, email: r[1]!, role: r[3]!, group: r[4]!, status: r[8]!, missing: r[10]! }));
}

/** Each person's status across their roles: the worst of them. */
function peopleByStatus(rows: CsvRow[]) {
  const order = ["Overdue", "Due soon", "Due", "Compliant", "Role ended"];
  const worst = new Map<string, string>();
  for (const r of rows) {
    const before = worst.get(r.email);
    if (!before || order.indexOf(r.status) < order.indexOf(before)) worst.set(r.email, r.status);
  }
  const with_ = (status: string) => [...worst].filter(([, s]) => s === status).map(([email]) => email);
  return { overdue: with_("Overdue"), compliant: with_("Compliant") };
}

const rowFor = (page: Page, name: string) => page.getByRole("row").filter({ has: page.getByRole("link", { name, exact: true }) });

describe("the leaders dashboard", () => {
  it("counts the year, filters, searches, sorts by group and downloads the view it shows", async () => {
    const { page, context } = await newPage(browser);
    await signIn(page, officerAccount);
    expect(new URL(page.url()).pathname).toBe("/officer/leaders");
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Leader training");
    expect(await page.getByText(`${YEAR_LABEL} roster`).count()).toBe(1);
    await expectAccessible(page);

    const all = await exportRows(page);
    expect(await page.getByRole("heading", { name: /^Leaders \(/ }).textContent()).toBe(`Leaders (${all.length})`);
    const people = peopleByStatus(all);
    expect(people.overdue.length).toBeGreaterThan(10);
    // The headline counts people, once each, by their worst role.
    expect(
      await page
        .getByRole("link", { name: /^Overdue/ })
        .first()
        .textContent(),
    ).toContain(String(people.overdue.length));

    // The next sessions with places sit beside the list.
    const sessions = page.getByRole("complementary", { name: "Next induction sessions" });
    expect(await sessions.getByText(/places? left/).count()).toBeGreaterThan(0);

    // Status filter through the form: only overdue rows, and the CSV of the same view.
    await page.getByLabel("Status", { exact: true }).selectOption("overdue");
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL(/status=overdue/);
    const overdueRows = all.filter((r) => r.status === "Overdue");
    await expect.poll(() => page.getByRole("heading", { name: /^Overdue: Leaders/ }).textContent()).toBe(`Overdue: Leaders (${overdueRows.length})`);
    const badges = await page.getByRole("table").last().locator("tbody tr td:nth-child(5)").allTextContents();
    expect(badges.length).toBe(Math.min(LEADERS_PAGE_SIZE, overdueRows.length));
    for (const b of badges) expect(b).toMatch(/^Overdue/);
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download CSV" }).click()]);
    expect(download.suggestedFilename()).toBe(`leader-training-${SLUG}-overdue.csv`);
    const file = fs.readFileSync((await download.path())!, "utf8");
    expect(file.charCodeAt(0)).toBe(0xfeff);
    const downloaded = parseCsv(file).slice(1);
    expect(downloaded.map((r) => r[1]).sort()).toEqual(overdueRows.map((r) => r.email).sort());

    // Sorted by group, so a club's list comes together.
    await page.getByLabel("Sort by", { exact: true }).selectOption("group");
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL(/sort=group/);
    const byGroup = await exportRows(page, new URL(page.url()).search);
    const groups = byGroup.map((r) => r.group);
    expect(groups).toEqual([...groups].sort((a, b) => a.localeCompare(b, "en-GB", { sensitivity: "base" })));
    const shownGroups = () => page.getByRole("table").last().locator("tbody tr td:nth-child(4)").allTextContents();
    await expect.poll(shownGroups).toEqual(groups.slice(0, LEADERS_PAGE_SIZE).map((g) => g || "—"));

    // Search by part of a name, with the other filters cleared.
    const someone = overdueRows[overdueRows.length - 1]!;
    await page.getByRole("link", { name: "Clear the filters" }).click();
    await page.waitForURL((url) => !url.search.includes("status"));
    await page.getByLabel(/^Search by name/).fill(someone.name.split(" ")[1]!);
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL(/q=/);
    // Cleared filters stay cleared: only the search is in force.
    const params = new URL(page.url()).searchParams;
    expect([params.get("status") ?? "", params.get("sort") ?? "status"]).toEqual(["", "status"]);
    await expect.poll(() => rowFor(page, someone.name).count()).toBeGreaterThan(0);
    expect(await rowFor(page, someone.name).first().textContent()).toContain("Overdue");
    expect(await rowFor(page, someone.name).first().getByRole("link", { name: someone.name }).getAttribute("href")).toMatch(
      /^\/officer\/leaders\/\d+\?year=\d{4}$/,
    );

    // Choosing everyone on the page who still has training to do.
    await page.goto("/officer/leaders?status=overdue");
    await page.getByLabel("Choose everyone on this page who still has training to do").check();
    const distinct = new Set(overdueRows.slice(0, LEADERS_PAGE_SIZE).map((r) => r.email)).size;
    await expect.poll(() => page.getByRole("button", { name: /^Remind the chosen/ }).textContent()).toBe(`Remind the chosen (${distinct})…`);
    await context.close();
  });

  it("shows a group where it stands, printable, with its CSV", async () => {
    const { page, context } = await newPage(browser);
    await signIn(page, officerAccount);
    const rugby = (await exportRows(page, "?group=Rugby+Club")).filter((r) => r.status !== "Role ended");
    const trained = rugby.filter((r) => r.status === "Compliant").length;
    // The table's links are plain anchors that navigate within the app, without loading the page afresh.
    await page.evaluate(() => Object.assign(window, { stillThisPage: true }));
    await page.getByRole("link", { name: "Rugby Club", exact: true }).first().click();
    await page.waitForURL("**/officer/groups/Rugby%20Club?year=*");
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Rugby Club");
    expect(await page.evaluate(() => (window as unknown as { stillThisPage?: boolean }).stillThisPage)).toBe(true);
    expect(await page.getByTestId("group-status").textContent()).toBe(
      `${trained} of ${rugby.length} committee members trained: ${Math.round((trained / rugby.length) * 100)}%`,
    );
    expect(await page.getByText(/President: /).count()).toBe(1);
    for (const r of rugby) expect(await rowFor(page, r.name).textContent()).toContain(r.status);
    await expectAccessible(page);
    // The page prints without navigation, filters or buttons.
    await page.emulateMedia({ media: "print" });
    expect(await page.getByRole("navigation", { name: "Main" }).isVisible()).toBe(false);
    expect(await page.getByRole("button", { name: "Print" }).isVisible()).toBe(false);
    expect(await page.getByTestId("group-status").isVisible()).toBe(true);
    await page.emulateMedia({ media: "screen" });
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download CSV" }).click()]);
    expect(download.suggestedFilename()).toBe(`leader-training-${SLUG}-rugby-club.csv`);
    expect(
      parseCsv(fs.readFileSync((await download.path())!, "utf8"))
        .slice(1)
        .every((r) => r[4] === "Rugby Club"),
    ).toBe(true);

    // A name that needs escaping in the address.
    await page.goto(`/officer/groups/${encodeURIComponent("LGBTQ+ Society")}`);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("LGBTQ+ Society");
    expect(await page.getByTestId("group-status").textContent()).toMatch(/^\d+ of \d+ committee members trained: \d+%$/);
    expect((await page.goto("/officer/groups/No%20Such%20Group"))?.status()).toBe(404);
    await context.close();
  });

  it("works on a phone", async () => {
    const { page, context } = await newPage(browser, { mobile: true });
    await signIn(page, officerAccount);
    const fits = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Leader training");
    expect(await fits()).toBe(true);
    // Status, what is missing and the role all show without scrolling sideways.
    const first = page.getByRole("table").last().locator("tbody tr").first();
    expect(await first.textContent()).toMatch(/Overdue.*Due .*Needs /);
    expect((await first.boundingBox())!.width).toBeLessThanOrEqual(390);
    await expectAccessible(page);
    await page.getByRole("link", { name: "Hall Reps", exact: true }).first().click();
    await page.waitForURL("**/officer/groups/Hall%20Reps*");
    await expect.poll(() => page.getByTestId("group-status").textContent()).toMatch(/^\d+ of \d+ leaders trained: \d+%$/);
    expect(await fits()).toBe(true);
    await expectAccessible(page);
    await page.goto("/officer/reminders");
    expect(await fits()).toBe(true);
    await expectAccessible(page);
    await context.close();
  });
});

describe("a leader's attendance", () => {
  it("a leader attends an induction session and turns compliant on the dashboard without anyone touching the roster", async () => {
    const officer = await newPage(browser);
    await signIn(officer.page, officerAccount);
    // A committee member of the test's own who needs only Active Bystander and holds one role.
    const db = e2eDb();
    const course = await demoCourse("Active Bystander");
    await ensureLeaderYear(thisAcademicYear());
    const roleId = await createLeaderRole(db, [{ courseId: course.id }], `Committee member ${run}`);
    const group = `Catch-up Club ${run}`;
    const leader = await createLeader(db, { roleId, startYear: thisAcademicYear(), groupName: group, name: `Kai Catchup ${run}` });
    await officer.page.goto(`/officer/leaders?q=${encodeURIComponent(leader.name)}`);
    expect(await rowFor(officer.page, leader.name).textContent()).toContain("Needs Active Bystander");

    // An induction that started half an hour ago, with the leader on its list under their email, in capitals:
    // the match ignores letter case.
    const trainerAccount = { ...(await createTrainer(db, { qualifiedFor: [course.id] })), password: TEST_PASSWORD };
    const started = utcToLondonWallTime(new Date(Date.now() - 30 * 60_000));
    const sessionId = await leaderSession(db, course.id, started.date, {
      time: started.time,
      status: "scheduled",
      title: "Leader induction (catch-up)",
      trainerIds: [trainerAccount.id],
    });
    const unmarked = { attendance: "unknown" as const };
    await attend(db, sessionId, { name: leader.name, email: leader.email.toUpperCase() }, unmarked);
    await attend(db, sessionId, { name: "Not A Leader", email: `not.a.leader.${run}@students.neverok.example` }, unmarked);

    // The trainer takes the register at the door and closes it.
    const trainer = await newPage(browser, { mobile: true });
    await signIn(trainer.page, trainerAccount);
    await trainer.page.goto(`/trainer/sessions/${sessionId}/register`);
    const person = trainer.page.getByRole("button", { name: new RegExp(`^${leader.name}`) });
    await expect.poll(() => trainer.page.getByTestId("sync-status").textContent()).toContain("All changes saved");
    await person.click();
    await expect.poll(() => person.getAttribute("aria-pressed")).toBe("true");
    await expect.poll(() => trainer.page.getByTestId("sync-status").textContent(), { timeout: 15_000 }).toContain("All changes saved");
    await trainer.page.getByRole("link", { name: "Close the register…" }).click();
    await trainer.page.getByRole("button", { name: "Yes, close the register" }).click();
    await expect.poll(() => trainer.page.getByRole("heading", { name: "Register closed" }).count()).toBe(1);
    await trainer.context.close();

    // Nobody touched the roster: the dashboard now counts them as trained.
    await officer.page.reload();
    await expect.poll(() => rowFor(officer.page, leader.name).textContent()).toContain("Compliant");
    expect(await rowFor(officer.page, leader.name).textContent()).not.toContain("Needs");
    const after = (await exportRows(officer.page, `?q=${encodeURIComponent(leader.email)}`)).find((r) => r.email === leader.email)!;
    expect(after).toMatchObject({ status: "Compliant", missing: "" });
    await officer.page.goto(`/officer/groups/${encodeURIComponent(group)}`);
    expect(await rowFor(officer.page, leader.name).textContent()).toContain("Compliant");
    await officer.context.close();
  });
});

describe("reminders", () => {
  it("reminders go to the overdue only, once", async () => {
    const { page, context } = await newPage(browser);
    await signIn(page, officerAccount);
    const people = peopleByStatus(await exportRows(page));
    const weekAgo = new Date(Date.now() - 7 * 86_400_000).toISOString();
    const db = e2eDb();
    const lastMessage =
      (
        await db
          .selectFrom("email_messages")
          .select((eb) => eb.fn.max("id").as("id"))
          .executeTakeFirstOrThrow()
      ).id ?? 0;
    // The demo chased three overdue leaders today; whoever else has been reminded this week is left out too.
    const recentlyReminded = new Set(
      (
        await db
          .selectFrom("leader_reminders as r")
          .innerJoin("leader_people as p", "p.id", "r.person_id")
          .select("p.email")
          .where("r.sent_at", ">", weekAgo)
          .execute()
      ).map((r) => r.email),
    );
    const due = people.overdue.filter((e) => !recentlyReminded.has(e));
    const skipped = people.overdue.length - due.length;
    expect(skipped).toBeGreaterThanOrEqual(3);
    expect(due.length).toBeGreaterThan(10);

    await page.getByRole("link", { name: "Send reminders" }).click();
    await page.waitForURL("**/officer/reminders?year=*");
    await expect.poll(() => page.getByText("Nobody is reminded twice within 7 days").count()).toBe(1);
    expect(await page.getByLabel(/^Everyone overdue/).isChecked()).toBe(true);
    await expectAccessible(page);
    await page.getByRole("button", { name: "Review before sending" }).click();
    await expect.poll(() => page.getByTestId("reminder-count").textContent()).toBe(`${due.length} leaders will get a reminder.`);
    expect(await page.getByText(`${skipped} skipped: reminded in the last 7 days`).count()).toBe(1);
    expect(await page.getByRole("heading", { name: `Skipped: reminded in the last 7 days (${skipped})` }).count()).toBe(1);
    await expectAccessible(page);
    await page.getByRole("button", { name: `Send ${due.length} reminders` }).click();
    await expect
      .poll(() => page.getByRole("status").textContent())
      .toBe(`Sent ${due.length} reminders. Skipped ${skipped} leaders reminded in the last 7 days.`);

    // Exactly one each to the overdue not reminded this week; none to anyone compliant.
    const sent = async () =>
      (await db.selectFrom("email_messages").select("to_address").where("id", ">", lastMessage).where("template", "=", "leader-reminder").execute()).map(
        (m) => m.to_address,
      );
    expect((await sent()).sort()).toEqual([...due].sort());
    expect((await sent()).filter((e) => people.compliant.includes(e))).toEqual([]);
    // The history says who was reminded, when and by whom.
    const history = page.getByRole("table", { name: /^Recent reminders/ });
    expect(await history.getByRole("row").nth(1).textContent()).toContain(officerAccount.name);

    // Again, at once: everyone overdue was reminded in the last week, so nobody gets a second one.
    await page.getByRole("button", { name: "Review before sending" }).click();
    await expect.poll(() => page.getByTestId("reminder-count").textContent()).toBe("Nobody will get a reminder.");
    expect(await page.getByText(`${people.overdue.length} skipped: reminded in the last 7 days`).count()).toBe(1);
    expect(await page.getByRole("button", { name: /^Send / }).count()).toBe(0);

    // Chosen by hand on the dashboard: the same.
    await page.goto("/officer/leaders?status=overdue");
    const choose = page.getByRole("checkbox", { name: /^Choose [^e]/ });
    await choose.nth(0).check();
    await choose.nth(1).check();
    await page.getByRole("button", { name: /^Remind the chosen \(2\)/ }).click();
    await expect.poll(() => page.getByTestId("reminder-count").textContent()).toBe("Nobody will get a reminder.");
    expect(await page.getByText("2 skipped: reminded in the last 7 days").count()).toBe(1);
    expect(await sent()).toHaveLength(due.length);
    await context.close();
  });
});
