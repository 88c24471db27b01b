import fs from "node:fs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attend, leaderSession } from "#tests/compliance-fixtures.ts";
import { createOrganisation, insertFeedbackResponses } from "#tests/factories.ts";
import { insertSession } from "#tests/scheduling-fixtures.ts";
import { expectAccessible, launchBrowser, newPage, signIn } from "./browser.ts";
import { demoCourse, e2eDb, newAccount } from "./data.ts";

/**
 * Two academic years long before the demo's history (2016–17 and 2017–18), set up through the
 * factories, so every sentence the report writes about them is known exactly.
 */
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
  const db = e2eDb();
  const ub = (await demoCourse("Unconscious Bias")).id;
  const ab = (await demoCourse("Active Bystander")).id;
  const org = await createOrganisation(db, { name: "Department of Archaeology (report check)", kind: "department" });
  // A second organisation whose name shares a word with the first, so typing that word names neither.
  await createOrganisation(db, { name: "Archaeology Society (report check)", kind: "society" });
  const delivered = { status: "delivered" as const, address: "Old Building" };
  // 2016–17: 20 people.
  await insertSession(db, { ...delivered, courseId: ub, startsAt: new Date("2016-11-08T10:00:00Z"), durationMinutes: 120, headCount: 20, organisationId: org });
  // 2017–18: 40 by head count, and an open session where six of seven came: 46 people.
  await insertSession(db, { ...delivered, courseId: ub, startsAt: new Date("2017-10-10T09:00:00Z"), durationMinutes: 120, headCount: 40, organisationId: org });
  const open = await leaderSession(db, ab, "2018-01-16", { status: "delivered", capacity: 60 });
  for (let i = 1; i <= 7; i++) {
    await attend(
      db,
      open,
      { name: `Report Person ${i}`, email: `report.person.${i}@students.neverok.example` },
      { attendance: i === 7 ? "absent" : "present" },
    );
  }
  // Ten answers: nine would recommend; six went from 2 to 4, four stayed at 3.
  await insertFeedbackResponses(
    db,
    open,
    Array.from({ length: 10 }, (_, i) => ({
      rating: 5,
      recommend: i === 9 ? ("not_sure" as const) : ("yes" as const),
      confidence_before: i < 6 ? 2 : 3,
      confidence_after: i < 6 ? 4 : 3,
      created_at: "2018-01-16T00:00:00.000Z",
    })),
  );
});
afterAll(async () => {
  await browser?.close();
});

describe("the impact report", () => {
  it("gives the coordinator the year's sentences, charts and tables, and a CSV that reads back", async () => {
    const { context, page } = await newPage(browser);
    await signIn(page, await newAccount(["coordinator"]));
    await page.getByRole("link", { name: "Impact report" }).first().click();
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toMatch(/^Impact report \d{4}–\d{2}/);

    // Choose the year from the form, as a person would.
    await page.getByLabel("Academic year", { exact: true }).selectOption({ label: "2017–18" });
    await page.getByRole("button", { name: "Show report" }).click();
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Impact report 2017–18");

    const sentences = await page.getByTestId("headlines").getByRole("listitem").allTextContents();
    expect(sentences).toEqual([
      "46 people attended training, 130% more than in 2016–17.",
      "2 sessions were delivered, with 46 attendances in all.",
      "The most popular sessions were Unconscious Bias and Active Bystander.",
      "1 academic department booked training.",
      "90% of the 10 who gave feedback would recommend a session to a friend.",
      "Confidence rose for 60% of the 10 who rated it before and after: on average from 2.4 to 3.6 out of 5.",
      "10 people gave feedback: a response rate of 22%.",
    ]);

    // A chart is an image with a name, and its figures are in a table beside it.
    const chart = page.getByRole("img", { name: /Attendances by course, 2017–18/ });
    await expect.poll(() => chart.count()).toBe(1);
    const chartTable = page.getByRole("table", { name: "Attendances by course, 2017–18: the figures" });
    expect(await chartTable.getByRole("row", { name: /Unconscious Bias/ }).textContent()).toContain("40");
    expect(await page.getByRole("table", { name: "Organisations that booked", exact: true }).textContent()).toContain(
      "Department of Archaeology (report check)",
    );
    // No attendee is named anywhere on the page.
    expect(await page.content()).not.toContain("Report Person");
    await expectAccessible(page);

    // The summary table as CSV: a byte-order mark, then rows a spreadsheet can add up.
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download CSV: The year in figures" }).click()]);
    expect(download.suggestedFilename()).toBe("impact-summary-2017-18.csv");
    const csv = fs.readFileSync((await download.path())!, "utf8");
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const rows = csv
      .slice(1)
      .trim()
      .split("\r\n")
      .map((r) => r.split(","));
    expect(rows[0]).toEqual(["Figure", "2017–18", "2016–17", "Change (% or points)"]);
    expect(rows.find((r) => r[0] === "People trained")).toEqual(["People trained", "46", "20", "130"]);
    expect(rows.find((r) => r[0] === "Would recommend to a friend")?.[1]).toBe("90");

    // Narrowed to one course, the figures follow.
    await page.getByLabel("Course", { exact: true }).selectOption({ label: "Active Bystander" });
    await page.getByRole("button", { name: "Show report" }).click();
    await expect.poll(() => page.getByTestId("headlines").getByRole("listitem").first().textContent()).toBe("6 people attended training in 2017–18.");

    // An organisation is typed, not picked from a list of every one: a word two names share asks which.
    await page.getByLabel("Course", { exact: true }).selectOption({ label: "All courses" });
    const organisation = page.getByLabel("Organisation", { exact: true });
    await organisation.fill("archaeology");
    await page.getByRole("button", { name: "Show report" }).click();
    await expect.poll(() => page.getByText("2 organisations match “archaeology”", { exact: false }).count()).toBe(1);
    expect(await organisation.inputValue()).toBe("archaeology");
    expect(await organisation.getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByTestId("headlines").getByRole("listitem").first().textContent()).toBe("46 people attended training, 130% more than in 2016–17.");
    await expectAccessible(page);
    await page.getByRole("link", { name: "Department of Archaeology (report check)" }).click();
    await expect
      .poll(() => page.getByTestId("headlines").getByRole("listitem").first().textContent())
      .toBe("40 people attended training, 100% more than in 2016–17.");
    expect(await organisation.inputValue()).toBe("Department of Archaeology (report check)");
    // Part of one name is enough.
    await organisation.fill("archaeology society");
    await page.getByRole("button", { name: "Show report" }).click();
    await expect.poll(() => organisation.inputValue()).toBe("Archaeology Society (report check)");
    expect(await page.getByTestId("headlines").getByRole("listitem").first().textContent()).toBe("No training was delivered in 2017–18.");

    // The printable page: the report without navigation or filters.
    await page.goto("/reports/impact/print?year=2017");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Training impact report 2017–18");
    expect(await page.getByRole("navigation").count()).toBe(0);
    expect(await page.getByRole("button", { name: "Show report" }).count()).toBe(0);
    await context.close();
  });

  it("keeps what was typed and says what is wrong with a date range", async () => {
    const { context, page } = await newPage(browser);
    await signIn(page, await newAccount(["officer"]));
    await page.goto("/reports/impact?year=&from=2018-01-01&to=");
    expect(await page.getByLabel("From", { exact: true }).inputValue()).toBe("2018-01-01");
    expect(await page.getByText("Enter the last day to report on").count()).toBe(1);
    expect(await page.getByLabel("To", { exact: true }).getAttribute("aria-invalid")).toBe("true");
    await context.close();
  });

  it("is refused to bookers and trainers, page and export alike", async () => {
    for (const role of ["booker", "trainer"] as const) {
      const { context, page } = await newPage(browser);
      await signIn(page, await newAccount([role]));
      expect((await page.goto("/reports/impact?year=2017"))?.status()).toBe(403);
      expect(await page.getByRole("link", { name: "Impact report" }).count()).toBe(0);
      const res = await page.request.get("/reports/impact/export?year=2017&table=summary");
      expect(res.status()).toBe(403);
      expect(await res.text()).not.toContain("People trained");
      await context.close();
    }
  });
});
