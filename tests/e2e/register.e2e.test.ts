import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assignTrainer, respondToAssignment } from "#app/scheduling/assignments.server.ts";
import { register } from "#app/signup/registrations.server.ts";
import { TEST_PASSWORD } from "#tests/factories.ts";
import { createTrainer } from "#tests/scheduling-fixtures.ts";
import { baseURL, expectAccessible, launchBrowser, newPage, signIn } from "./browser.ts";
import { demoCourse, e2eDb, newAccount, newOpenSession, startedMinutesAgo, type Account } from "./data.ts";

const WALK_IN = { name: "Robin Walk-In", email: "robin.walkin.e2e@students.neverok.example" };
const TITLE = `Register at the door ${Date.now()}: Active Bystander`;

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** An open session two weeks ahead, with a trainer of its own who accepted it and five people registered. */
async function createInduction() {
  const db = e2eDb();
  const sessionId = await newOpenSession({ title: TITLE, capacity: 8, weeksAhead: 2 });
  const course = await demoCourse("Active Bystander");
  const coordinator = await newAccount(["coordinator"]);
  const trainer = await createTrainer(db, { qualifiedFor: [course.id] });
  await assignTrainer(db, coordinator, { sessionId, trainerId: trainer.id });
  await respondToAssignment(db, trainer, { sessionId, response: "accept" });
  for (const name of ["Asha Register", "Bilal Register", "Cora Register", "Dev Register", "Erin Register"]) {
    const email = `${name.toLowerCase().replace(" ", ".")}.${sessionId}@students.neverok.example`;
    await register(db, sessionId, { name, email, studentId: null, accessibilityNeeds: null, answer: null });
  }
  return { sessionId, trainer: { ...trainer, password: TEST_PASSWORD }, coordinator: { ...coordinator, password: TEST_PASSWORD } };
}

type Person = { name: string; email: string | null; attendance: string };
const people = (sessionId: number): Promise<Person[]> =>
  e2eDb()
    .selectFrom("registrations")
    .select(["name", "email", "attendance"])
    .where("session_id", "=", sessionId)
    .where("status", "=", "registered")
    .orderBy("id")
    .execute();
const attendanceOf = async (sessionId: number, name: string) => (await people(sessionId)).find((p) => p.name === name)?.attendance;

const syncStatus = (page: Page) => page.getByTestId("sync-status");
const row = (page: Page, name: string) => page.getByRole("button", { name: new RegExp(`^${name}`) });
const allSaved = (page: Page) => expect.poll(() => syncStatus(page).textContent(), { timeout: 15_000 }).toContain("All changes saved");
const pressed = (button: Locator) => button.getAttribute("aria-pressed");

describe("the register at the door", () => {
  let sessionId: number;
  let trainer: Account;
  let coordinator: Account;
  beforeAll(async () => {
    ({ sessionId, trainer, coordinator } = await createInduction());
  });

  it("works without JavaScript: each row and the walk-in form are plain forms", async () => {
    const name = "Nojs Walk-In";
    const context = await browser.newContext({ baseURL: baseURL(), viewport: { width: 390, height: 844 }, javaScriptEnabled: false, locale: "en-GB" });
    const page = await context.newPage();
    await signIn(page, trainer);
    await page.goto(`/trainer/sessions/${sessionId}/register`);
    await page.getByLabel("Name", { exact: true }).fill(name);
    await page.getByRole("button", { name: "Add and mark present" }).click();
    await page.waitForURL(`**/trainer/sessions/${sessionId}/register`);
    await expect.poll(() => page.getByText(`Added ${name}, marked present.`).count()).toBe(1);
    expect(await pressed(row(page, name))).toBe("true");
    await row(page, name).click();
    await page.waitForURL(/#person-\d+$/);
    await expect.poll(() => pressed(row(page, name))).toBe("false");
    expect(await attendanceOf(sessionId, name)).toBe("unknown");
    await context.close();
  });

  it("is closed without JavaScript once the session has started, and not before", async () => {
    const own = await createInduction();
    const context = await browser.newContext({ baseURL: baseURL(), viewport: { width: 390, height: 844 }, javaScriptEnabled: false, locale: "en-GB" });
    const page = await context.newPage();
    await signIn(page, own.trainer);
    await page.goto(`/trainer/sessions/${own.sessionId}/register`);
    expect(await page.getByRole("link", { name: "Close the register…" }).count()).toBe(0);
    expect(await page.getByText(/The session has not started yet\. You can close the register from .*, when it starts\./).count()).toBe(1);

    await startedMinutesAgo(own.sessionId, 5);
    await page.goto(`/trainer/sessions/${own.sessionId}/register`);
    await page.getByRole("link", { name: "Close the register…" }).click();
    await page.waitForURL(/\?confirm=close$/);
    await page.getByRole("button", { name: "Yes, close the register" }).click();
    await page.waitForURL(`**/trainer/sessions/${own.sessionId}/register`);
    await expect.poll(() => page.getByRole("heading", { name: "Register closed" }).count()).toBe(1);
    expect(await page.getByText("Register closed: 0 present, 5 absent. 0 feedback requests sent.").count()).toBe(1);
    expect(await e2eDb().selectFrom("sessions").select("status").where("id", "=", own.sessionId).executeTakeFirst()).toEqual({ status: "delivered" });
    await context.close();
  });

  it("is taken on a phone: search, tap, undo, walk-in, a failed request retried, kept across a reload, then closed", async () => {
    const registered = (await people(sessionId)).filter((p) => p.attendance === "unknown" && p.email);
    expect(registered.length).toBeGreaterThanOrEqual(3);
    const [first, second, third] = registered as [Person, Person, Person];
    const { page, context } = await newPage(browser, { mobile: true });
    await signIn(page, trainer);
    const response = await page.goto(`/trainer/sessions/${sessionId}/register`);
    expect(response?.status()).toBe(200);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe(TITLE);
    await expect.poll(() => syncStatus(page).textContent()).toContain("All changes saved");
    await expectAccessible(page);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);

    // Every row is a big tap target.
    const box = await row(page, first.name).boundingBox();
    expect(box!.height).toBeGreaterThanOrEqual(56);

    // Search narrows the list as you type.
    await page.getByLabel("Find a name").fill(first.name.split(" ")[0]!.toLowerCase());
    await expect.poll(() => page.getByRole("list").getByRole("button").count()).toBe(1);
    expect(await pressed(row(page, first.name))).toBe("false");

    // Tap: present at once, then saved.
    await row(page, first.name).click();
    expect(await pressed(row(page, first.name))).toBe("true");
    expect(await row(page, first.name).textContent()).toContain("Present");
    await allSaved(page);
    expect(await attendanceOf(sessionId, first.name)).toBe("present");

    // Undo takes it back; tapping again marks them present again.
    await page.getByRole("button", { name: "Undo" }).click();
    expect(await pressed(row(page, first.name))).toBe("false");
    await allSaved(page);
    expect(await attendanceOf(sessionId, first.name)).toBe("unknown");
    await row(page, first.name).click();
    await allSaved(page);
    expect(await attendanceOf(sessionId, first.name)).toBe("present");
    await page.getByLabel("Find a name").fill("");

    // A walk-in, with an email for the feedback link.
    await page.getByLabel("Name", { exact: true }).fill(WALK_IN.name);
    await page.getByLabel(/^Email/).fill(WALK_IN.email);
    await page.getByRole("button", { name: "Add and mark present" }).click();
    expect(await pressed(row(page, WALK_IN.name))).toBe("true");
    expect(await page.getByLabel("Name", { exact: true }).inputValue()).toBe("");
    await allSaved(page);
    expect((await people(sessionId)).find((p) => p.name === WALK_IN.name)).toMatchObject({ email: WALK_IN.email, attendance: "present" });

    // The signal drops for one request: the screen says so, then the retry saves it.
    let failedOnce = false;
    await page.route("**/register", async (route) => {
      if (route.request().method() === "POST" && !failedOnce) {
        failedOnce = true;
        await route.abort("internetdisconnected");
      } else {
        await route.continue();
      }
    });
    await row(page, second.name).click();
    expect(await pressed(row(page, second.name))).toBe("true");
    await expect.poll(() => syncStatus(page).textContent()).toMatch(/1 change not saved yet — retrying/);
    await allSaved(page);
    expect(failedOnce).toBe(true);
    expect(await attendanceOf(sessionId, second.name)).toBe("present");
    await page.unroute("**/register");

    // No signal at all: the tap waits on the phone, survives a reload, and is sent when the signal is back.
    await page.route("**/register", (route) => (route.request().method() === "POST" ? route.abort("internetdisconnected") : route.continue()));
    await row(page, third.name).click();
    await expect.poll(() => syncStatus(page).textContent()).toMatch(/not saved yet — retrying/);
    await page.reload();
    await expect.poll(() => pressed(row(page, third.name))).toBe("true");
    await expect.poll(() => syncStatus(page).textContent()).toMatch(/1 change not saved yet/);
    expect(await attendanceOf(sessionId, third.name)).toBe("unknown");
    await page.unroute("**/register");
    await allSaved(page);
    expect(await attendanceOf(sessionId, third.name)).toBe("present");

    // A reload shows every mark kept.
    await page.reload();
    for (const name of [first.name, second.name, third.name, WALK_IN.name]) expect(await pressed(row(page, name))).toBe("true");

    // Too early to close: the session starts later. Move it to have started half an hour ago.
    expect(await page.getByRole("link", { name: "Close the register…" }).count()).toBe(0);
    expect(await page.getByText(/You can close the register from/).count()).toBe(1);
    await startedMinutesAgo(sessionId, 30);
    await page.reload();
    const now = await people(sessionId);
    const present = now.filter((p) => p.attendance === "present");
    const absent = now.length - present.length;
    const withEmail = present.filter((p) => p.email).length;

    await page.getByRole("link", { name: "Close the register…" }).click();
    await expect.poll(() => page.getByText("Close the register now?").count()).toBe(1);
    await expectAccessible(page);
    await page.getByRole("button", { name: "Yes, close the register" }).click();
    await expect.poll(() => page.getByRole("heading", { name: "Register closed" }).count()).toBe(1);
    expect(await page.getByText(`Register closed: ${present.length} present, ${absent} absent. ${withEmail} feedback requests sent.`).count()).toBe(1);
    const summary = page.locator("dl");
    expect(await summary.textContent()).toBe(`Present${present.length}Absent${absent}Feedback links${withEmail}`);
    expect(await page.getByRole("link", { name: "Show the feedback QR code" }).getAttribute("href")).toBe(`/trainer/sessions/${sessionId}/qr`);
    expect(await page.getByRole("list").getByRole("button").count()).toBe(0);
    await expectAccessible(page);
    expect(await e2eDb().selectFrom("sessions").select("status").where("id", "=", sessionId).executeTakeFirst()).toEqual({ status: "delivered" });
    await context.close();

    // Every attendee with an email has a feedback request in the outbox.
    const outbox = await newPage(browser);
    await signIn(outbox.page, coordinator);
    for (const to of [first.email!, WALK_IN.email]) {
      await outbox.page.goto(`/coordinator/outbox?to=${encodeURIComponent(to)}`);
      expect(await outbox.page.getByRole("link", { name: /^How was Register at the door/ }).count()).toBe(1);
    }
    await outbox.context.close();
  });

  it("is a 404 for a trainer who is not on the session", async () => {
    const { page, context } = await newPage(browser, { mobile: true });
    await signIn(page, await newAccount(["trainer"]));
    const response = await page.goto(`/trainer/sessions/${sessionId}/register`);
    expect(response?.status()).toBe(404);
    await context.close();
  });
});
