import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMs, DAY, now } from "#app/utils/time.ts";
import { createOrganisation } from "#tests/factories.ts";
import { createRequest, insertRegistration, insertSession } from "#tests/scheduling-fixtures.ts";
import { expectAccessible, launchBrowser, newPage, signIn } from "./browser.ts";
import { demoCourse, e2eDb, newAccount, subjectsTo, type Account } from "./data.ts";

const run = Date.now();
const ORGANISATION = `Department of Linguistics ${run}`;

let browser: Browser;
let booker: Account;
let coordinator: Account;
let deliveredId: number;
let upcomingId: number;

/** A booking of the journey's organisation for 20 people, its session `daysAhead` from now (negative: already delivered). */
async function booking(organisationId: number, courseId: number, daysAhead: number) {
  const db = e2eDb();
  const requestId = await createRequest(db, { booker, organisationId, courseId, groupSize: 20, address: "Linguistics Building, Room 2.01" });
  const sessionId = await insertSession(db, {
    courseId,
    startsAt: addMs(now(), daysAhead * DAY),
    status: daysAhead < 0 ? "delivered" : "scheduled",
    organisationId,
    address: "Linguistics Building, Room 2.01",
    headCount: daysAhead < 0 ? 17 : null,
  });
  await db.updateTable("sessions").set({ booking_request_id: requestId }).where("id", "=", sessionId).execute();
  await db.updateTable("booking_requests").set({ status: "scheduled", session_id: sessionId }).where("id", "=", requestId).execute();
  return { requestId, sessionId };
}

beforeAll(async () => {
  browser = await launchBrowser();
  const db = e2eDb();
  const organisationId = await createOrganisation(db, { name: ORGANISATION });
  booker = await newAccount(["booker"], { name: `Lina Booker ${run}`, organisationIds: [organisationId] });
  coordinator = await newAccount(["coordinator"], { name: `Cal Coordinator ${run}` });
  const course = await demoCourse("Active Bystander");
  const delivered = await booking(organisationId, course.id, -7);
  for (let i = 0; i < 15; i++) await insertRegistration(db, delivered.sessionId, { name: `Student ${i}`, email: null, attendance: "present", walk_in: 1 });
  for (let i = 0; i < 6; i++) {
    await db
      .insertInto("feedback_responses")
      .values({
        session_id: delivered.sessionId,
        source: "link",
        rating: i < 3 ? 5 : 4,
        recommend: "yes",
        confidence_before: i < 3 ? 2 : null,
        confidence_after: i < 3 ? 4 : null,
        do_differently: null,
        comments: null,
        created_at: now().toISOString(),
      })
      .execute();
  }
  deliveredId = delivered.requestId;
  upcomingId = (await booking(organisationId, course.id, 12)).requestId;
});
afterAll(async () => {
  await browser?.close();
});

describe("the booker's side after delivery, and asking for a change", () => {
  it("sees attendance and feedback on a delivered booking, the organisation's history, asks for a change; the coordinator finds it in the queue and declines it", async () => {
    for (const mobile of [false, true]) {
      const { page, context } = await newPage(browser, { mobile });
      await signIn(page, booker);
      await page.goto(`/booker/requests/${deliveredId}`);
      const went = page.getByRole("region", { name: "How the session went" });
      expect(await went.getByText("Present on the register").count()).toBe(1);
      expect(await went.textContent()).toContain("15");
      expect(await went.textContent()).toContain("of 20 expected");
      expect(await went.textContent()).toContain("17");
      expect(await went.textContent()).toContain("4.5 / 5");
      // Only three answered both confidence questions: too few to show, as the impact report would say.
      expect(await went.textContent()).toContain("fewer than 5");
      await expectAccessible(page);

      await page.goto("/booker/bookings");
      expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Booking history");
      expect(await page.locator(`a[href="/booker/requests/${deliveredId}"]`).count()).toBe(1);
      expect(await page.locator(`a[href="/booker/requests/${upcomingId}"]`).count()).toBe(1);
      await page.getByLabel("Status").selectOption("delivered");
      await page.getByRole("button", { name: "Filter" }).click();
      await page.waitForURL(/status=delivered/);
      await expect.poll(() => page.locator(`a[href="/booker/requests/${upcomingId}"]`).count()).toBe(0);
      expect(await page.locator(`a[href="/booker/requests/${deliveredId}"]`).count()).toBe(1);
      await expectAccessible(page);
      await context.close();
    }

    const { page, context } = await newPage(browser, { mobile: true });
    await signIn(page, booker);
    await page.goto(`/booker/requests/${upcomingId}`);
    await expectAccessible(page);
    const change = page.getByRole("region", { name: "Ask for a change" });
    await change.getByRole("button", { name: "Send the change" }).click();
    // Nothing filled in: the form says what it needs, and nothing is sent.
    await expect.poll(() => change.getByText("Say what you would like to change").count()).toBe(1);
    await change.getByLabel("New group size").fill("26");
    await change.getByLabel("Message to the coordinator").fill("Six exchange students are joining us.");
    await change.getByRole("button", { name: "Send the change" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toContain("Your change is asked for");
    const asked = page.getByRole("region", { name: "Changes you asked for" });
    expect(await asked.textContent()).toContain("New numbers: 26 people (was 20).");
    expect(await asked.textContent()).toContain("Waiting for the coordinator");
    expect(await page.getByRole("region", { name: "Ask for a change" }).count()).toBe(0);
    await expectAccessible(page);
    await context.close();

    // At a phone's width first: declining it, at a desk, takes it off the queue.
    for (const mobile of [true, false]) {
      const office = await newPage(browser, { mobile });
      await signIn(office.page, coordinator);
      await office.page.goto("/coordinator/requests");
      const queue = office.page.getByRole("region", { name: /Changes asked for/ });
      expect(await queue.textContent()).toContain("Six exchange students are joining us.");
      await expectAccessible(office.page);
      if (!mobile) {
        await queue.getByRole("link", { name: new RegExp(`Accept or decline the change to Active Bystander for ${ORGANISATION}`) }).click();
        await office.page.waitForURL(/\/coordinator\/sessions\/\d+$/);
        await expectAccessible(office.page);
        await office.page.getByLabel("Reason to decline (sent to the booker)").fill("The trainer's exercises work for at most 24 people.");
        await office.page.getByRole("button", { name: "Decline the change" }).click();
        await expect.poll(() => office.page.getByRole("status").textContent()).toContain("Declined. The booker has been emailed the reason.");
      }
      await office.context.close();
    }
    expect(await subjectsTo(booker.email)).toContain("We could not make your change: Active Bystander");
  });
});
