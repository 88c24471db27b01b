import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { londonDateOf } from "#app/utils/dates.ts";
import { addMs, DAY, now } from "#app/utils/time.ts";
import { attend, leaderSession } from "#tests/compliance-fixtures.ts";
import { createStaffMember, createStaffRole, createVenue } from "#tests/staff-fixtures.ts";
import { expectAccessible, launchBrowser, newPage, signIn } from "./browser.ts";
import { demoCourse, e2eDb, newAccount, type Account } from "./data.ts";

/**
 * A partner venue's staff coverage, on a venue, role and staff of the test's own: the coordinator's
 * list and venue page, and the venue's own booker keeping the list on a phone.
 */

const run = String(Date.now());
const VENUE = `The Cellar Bar ${run}`;
const ROLE = `Door supervisor ${run}`;
let browser: Browser;
let coordinator: Account;
let manager: Account;
let venueId: number;
let untrainedEmail: string;

beforeAll(async () => {
  browser = await launchBrowser();
  const db = e2eDb();
  venueId = await createVenue(db, VENUE);
  coordinator = await newAccount(["coordinator"]);
  manager = await newAccount(["booker"], { name: `Venue Manager ${run}`, organisationIds: [venueId] });
  const bystander = await demoCourse("Active Bystander");
  const roleId = await createStaffRole(db, [{ courseId: bystander.id, months: 12 }], ROLE);
  // Two trained a month ago, one not yet: two thirds trained, short of the 80% threshold.
  const session = await leaderSession(db, bystander.id, londonDateOf(addMs(now(), -30 * DAY)));
  for (const name of ["Aled Jones", "Bea Khan"]) await attend(db, session, await createStaffMember(db, { organisationId: venueId, roleId, name }));
  untrainedEmail = (await createStaffMember(db, { organisationId: venueId, roleId, name: "Cai Lewis", employer: "Shield Security Ltd" })).email;
});
afterAll(async () => {
  await browser?.close();
});

const staffNames = async () =>
  (await e2eDb().selectFrom("staff_members").select("name").where("organisation_id", "=", venueId).where("ended_on", "is", null).orderBy("name").execute()).map(
    (r) => r.name,
  );

describe("the coordinator sees every venue's trained share", () => {
  it("lists the venue with its share and accreditation, and opens its staff with who to send next", async () => {
    const { page, context } = await newPage(browser);
    await signIn(page, coordinator);
    await page.goto("/coordinator/venues");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Venues and staff teams");
    const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: VENUE }) });
    expect(await row.textContent()).toMatch(/66\.7%.*2 of 3.*Not accredited.*1 need training/s);
    await expectAccessible(page);

    // A threshold that is not a percentage is refused beside the field.
    await page.getByLabel("Share of staff trained (%)").fill("150");
    await page.getByRole("button", { name: "Save threshold" }).click();
    await expect.poll(() => page.locator("#threshold-thresholdPercent-error").textContent()).toContain("Use at most 100%");
    await expectAccessible(page);

    await row.getByRole("link", { name: VENUE }).click();
    await page.getByRole("heading", { level: 1, name: VENUE }).waitFor();
    expect(await page.getByText("Not accredited: 1 more person to train to reach 80%").count()).toBe(1);
    const sendNext = page.getByRole("region", { name: "Who to send to the next session" });
    expect(await sendNext.textContent()).toContain("Cai Lewis");
    expect(await sendNext.textContent()).not.toContain("Aled Jones");
    await expectAccessible(page);

    // Cai's page: what the role needs, and the exemption only a coordinator may record.
    await sendNext.getByRole("link", { name: "Cai Lewis" }).click();
    await page.getByRole("heading", { level: 1, name: "Cai Lewis" }).waitFor();
    expect(await page.getByText("employed by Shield Security Ltd", { exact: false }).count()).toBeGreaterThan(0);
    expect(await page.getByRole("heading", { name: "Record an exemption" }).count()).toBe(1);
    await expectAccessible(page);
    await context.close();
  });
});

describe("the venue's booker keeps the staff list on a phone", () => {
  it("sees who to send, adds someone by hand with a refusal beside the field, and imports the list", async () => {
    const { page, context } = await newPage(browser, { mobile: true });
    await signIn(page, manager);
    await page.getByRole("link", { name: "Your staff's training" }).click();
    await page.getByRole("heading", { level: 1, name: VENUE }).waitFor();
    expect(await page.getByRole("region", { name: "Who to send to the next session" }).textContent()).toContain("Cai Lewis");
    // Exemptions are the coordinator's to grant.
    await expectAccessible(page);

    // An email already on the list is refused beside the field, with what was typed kept.
    const add = page.getByRole("region", { name: "Add someone by hand" });
    await add.getByLabel("Full name").fill("Dee Morgan");
    await add.getByLabel("Email address").fill(untrainedEmail);
    await add.getByLabel("Role").selectOption({ label: ROLE });
    await add.getByLabel("Employer").fill("Shield Security Ltd");
    await add.getByRole("button", { name: "Add to the staff list" }).click();
    await expect.poll(() => page.locator("#add-staff-email-error").textContent()).toContain("Cai Lewis is already on the staff list");
    expect(await add.getByLabel("Full name").inputValue()).toBe("Dee Morgan");
    expect(await add.getByLabel("Employer").inputValue()).toBe("Shield Security Ltd");
    await expectAccessible(page);
    await add.getByLabel("Email address").fill(`dee.${run}@shieldsecurity.example`);
    await add.getByRole("button", { name: "Add to the staff list" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toContain("Added Dee Morgan to the staff list.");
    expect(await staffNames()).toEqual(["Aled Jones", "Bea Khan", "Cai Lewis", "Dee Morgan"]);

    // The import: a preview with the bad row's error, nothing saved until confirmed without it.
    await page.getByRole("link", { name: "Import the staff list" }).click();
    await page.getByRole("heading", { level: 1, name: "Import the staff list" }).waitFor();
    await expectAccessible(page);
    const csv = [
      "First name,Surname,Email,Job title",
      `Eve,Price,eve.${run}@venue.example,${ROLE}`,
      `Finn,Oakes,finn.${run}@venue.example,Glass collector`,
    ].join("\r\n");
    await page.getByLabel("Staff list (CSV)").setInputFiles({ name: `staff-${run}.csv`, mimeType: "text/csv", buffer: Buffer.from(csv) });
    await page.getByRole("button", { name: "Check the file" }).click();
    await page.getByRole("heading", { level: 1, name: `Check the import: ${VENUE}` }).waitFor();
    const errors = page.getByRole("list", { name: "Rows with errors" });
    expect(await errors.textContent()).toContain("There is no role called “Glass collector”");
    expect(await staffNames()).not.toContain("Eve Price");
    await expectAccessible(page);
    await page.getByLabel("Import without the 1 row with errors").check();
    await page.getByRole("button", { name: "Import the staff list" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toContain("Imported the staff list: 1 added");
    expect(await staffNames()).toEqual(["Aled Jones", "Bea Khan", "Cai Lewis", "Dee Morgan", "Eve Price"]);
    await context.close();
  });
});
