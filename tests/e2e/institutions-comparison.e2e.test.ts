import fs from "node:fs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureInstitution } from "#app/reference/institutions.server.ts";
import { createOrganisation, insertFeedbackResponses } from "#tests/factories.ts";
import { insertSession } from "#tests/scheduling-fixtures.ts";
import { expectAccessible, launchBrowser, newPage, signIn } from "./browser.ts";
import { demoCourse, e2eDb, newAccount } from "./data.ts";

/** 2015–16, before every other journey's years, with two institutions of a partnership: one large, one too small to show. */
const LARGE = "Avonport University (comparison check)";
const SMALL = "Harbour College (comparison check)";
const TABLE = "Institutions compared, 2015–16";
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
  const db = e2eDb();
  const course = (await demoCourse("Active Bystander")).id;
  const large = await ensureInstitution(db, LARGE);
  const small = await ensureInstitution(db, SMALL);
  const orgIn = async (institution: number, name: string) => {
    const id = await createOrganisation(db, { name, kind: "department" });
    await db.updateTable("organisations").set({ institution_id: institution }).where("id", "=", id).execute();
    return id;
  };
  const delivered = { status: "delivered" as const, address: "Old Building", courseId: course, durationMinutes: 90 };
  const big = await insertSession(db, {
    ...delivered,
    startsAt: new Date("2015-10-13T10:00:00Z"),
    headCount: 30,
    organisationId: await orgIn(large, "Department of Law (comparison check)"),
  });
  await insertSession(db, {
    ...delivered,
    startsAt: new Date("2015-10-14T10:00:00Z"),
    headCount: 3,
    organisationId: await orgIn(small, "School of Art (comparison check)"),
  });
  await insertFeedbackResponses(
    db,
    big,
    Array.from({ length: 8 }, (_, i) => ({
      rating: 5,
      recommend: i < 6 ? ("yes" as const) : ("no" as const),
      confidence_before: 2,
      confidence_after: 4,
      created_at: "2015-10-13T12:00:00.000Z",
    })),
  );
});
afterAll(async () => {
  await browser?.close();
});

describe("comparing the institutions of a partnership", () => {
  it("shows a row per institution, hides small numbers, narrows to the institutions chosen and downloads the same as CSV", async () => {
    const { context, page } = await newPage(browser);
    await signIn(page, await newAccount(["coordinator"]));
    await page.goto("/reports/impact?year=2015");
    await page.getByRole("link", { name: "Compare institutions" }).click();
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Institutions compared");

    const region = page.getByRole("region", { name: `Table: ${TABLE}` });
    const rowOf = (name: string) => region.getByRole("row", { name: new RegExp(`^${name.replace(/[()]/g, "\\$&")}`) });
    await expect.poll(() => rowOf(LARGE).getByRole("cell").allTextContents()).toEqual(["1", "30", "no roster", "8", "75%", "100%"]);
    expect(await rowOf(SMALL).getByRole("cell").allTextContents()).toEqual(["1", "fewer than 5", "no roster", "0", "–", "–"]);
    expect(await page.getByText(/rests on fewer than 5 people, so it is hidden/).count()).toBe(1);
    await expectAccessible(page);

    // The table's scrolling region is reached from the keyboard.
    await page.getByRole("link", { name: `Download CSV: ${TABLE}` }).focus();
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe(`Table: ${TABLE}`);

    await page.getByRole("checkbox", { name: LARGE }).check();
    await page.getByRole("button", { name: "Compare" }).click();
    await expect.poll(() => rowOf(SMALL).count()).toBe(0);
    expect(await rowOf(LARGE).count()).toBe(1);
    expect(await page.getByRole("checkbox", { name: LARGE }).isChecked()).toBe(true);

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: `Download CSV: ${TABLE}` }).click()]);
    expect(download.suggestedFilename()).toBe("impact-institutions-2015-16.csv");
    const csv = fs.readFileSync((await download.path())!, "utf8");
    expect(csv.split(/\r?\n/).find((line) => line.includes(LARGE))).toMatch(/,1,30,no roster,8,75,100$/);
    expect(csv).not.toContain(SMALL);
    await context.close();
  });

  it("works on a phone: the wide table scrolls inside its labelled region", async () => {
    const { context, page } = await newPage(browser, { mobile: true });
    await signIn(page, await newAccount(["officer"]));
    await page.goto("/reports/impact/institutions?year=2015");
    const region = page.getByRole("region", { name: `Table: ${TABLE}` });
    expect(await region.getAttribute("tabindex")).toBe("0");
    expect(await region.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await expectAccessible(page);
    await context.close();
  });
});
