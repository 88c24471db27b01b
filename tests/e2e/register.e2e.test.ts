import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseURL, expectAccessible, launchBrowser, newPage, signIn, withDb } from "./browser.ts";

// Tom Hughes delivers an induction made for this file, so no other journey depends on its state.
const TRAINER = "tom.hughes@neverok.example";
const WALK_IN = { name: "Robin Walk-In", email: "robin.walkin.e2e@students.neverok.example" };

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** An open induction a week ahead with Tom on it and five people registered, written straight into the database. */
const createInduction = () =>
  withDb((db) => {
    const course = db.prepare("select id, duration_minutes from courses where name = 'Active Bystander'").get() as { id: number; duration_minutes: number };
    const tom = db.prepare("select id from users where email = ?").get(TRAINER) as { id: number };
    const start = new Date(Date.now() + 7 * 86_400_000);
    const end = new Date(start.getTime() + course.duration_minutes * 60_000);
    const now = new Date().toISOString();
    const session = db
      .prepare(
        `insert into sessions (course_id, starts_at, ends_at, duration_minutes, address, capacity, trainers_needed, status, ical_uid, ical_sequence, created_at, updated_at, kind, title, signup_policy, asks_student_id, promotion_cutoff_hours)
         values (?, ?, ?, ?, 'Students'' Union Forum', 8, 1, 'scheduled', ?, 0, ?, ?, 'open', 'Student leader induction: Active Bystander', 'anyone', 0, 2)`,
      )
      .run(course.id, start.toISOString(), end.toISOString(), course.duration_minutes, `session-register-e2e-${Date.now()}@neverok.example`, now, now);
    const id = Number(session.lastInsertRowid);
    db.prepare("insert into session_trainers (session_id, trainer_id, status, assigned_at, responded_at) values (?, ?, 'accepted', ?, ?)").run(
      id,
      tom.id,
      now,
      now,
    );
    const add = db.prepare("insert into registrations (session_id, name, email, status, created_at) values (?, ?, ?, 'registered', ?)");
    for (const name of ["Asha Register", "Bilal Register", "Cora Register", "Dev Register", "Erin Register"]) {
      add.run(id, name, `${name.toLowerCase().replace(" ", ".")}.${id}@students.neverok.example`, now);
    }
    return id;
  });

type Person = { name: string; email: string | null; attendance: string };
const people = (sessionId: number) =>
  withDb(
    (db) =>
      db.prepare("select name, email, attendance from registrations where session_id = ? and status = 'registered' order by id").all(sessionId) as Person[],
  );
const attendanceOf = (sessionId: number, name: string) => people(sessionId).find((p) => p.name === name)?.attendance;

const syncStatus = (page: Page) => page.getByTestId("sync-status");
const row = (page: Page, name: string) => page.getByRole("button", { name: new RegExp(`^${name}`) });
const allSaved = (page: Page) => expect.poll(() => syncStatus(page).textContent(), { timeout: 15_000 }).toContain("All changes saved");
const pressed = (button: Locator) => button.getAttribute("aria-pressed");

describe("the register at the door", () => {
  let sessionId: number;
  let original: { starts_at: string; ends_at: string; status: string };
  beforeAll(() => {
    sessionId = createInduction();
    original = withDb((db) => db.prepare("select starts_at, ends_at, status from sessions where id = ?").get(sessionId) as typeof original);
  });
  // Other journeys on this server look for the full induction among the open sessions, so it goes
  // back to its time and to "scheduled" (still full: the walk-ins hold places too).
  afterAll(() => {
    withDb((db) =>
      db
        .prepare("update sessions set starts_at = ?, ends_at = ?, status = ?, register_closed_at = null where id = ?")
        .run(original.starts_at, original.ends_at, original.status, sessionId),
    );
  });

  it("works without JavaScript: each row and the walk-in form are plain forms", async () => {
    const name = "Nojs Walk-In";
    const context = await browser.newContext({ baseURL: baseURL(), viewport: { width: 390, height: 844 }, javaScriptEnabled: false, locale: "en-GB" });
    const page = await context.newPage();
    await signIn(page, TRAINER);
    await page.goto(`/trainer/sessions/${sessionId}/register`);
    await page.getByLabel("Name", { exact: true }).fill(name);
    await page.getByRole("button", { name: "Add and mark present" }).click();
    await page.waitForURL(`**/trainer/sessions/${sessionId}/register`);
    await expect.poll(() => page.getByText(`Added ${name}, marked present.`).count()).toBe(1);
    expect(await pressed(row(page, name))).toBe("true");
    await row(page, name).click();
    await page.waitForURL(/#person-\d+$/);
    await expect.poll(() => pressed(row(page, name))).toBe("false");
    expect(attendanceOf(sessionId, name)).toBe("unknown");
    await context.close();
  });

  it("is taken on a phone: search, tap, undo, walk-in, a failed request retried, kept across a reload, then closed", async () => {
    const registered = people(sessionId).filter((p) => p.attendance === "unknown" && p.email);
    expect(registered.length).toBeGreaterThanOrEqual(3);
    const [first, second, third] = registered as [Person, Person, Person];
    const { page, context } = await newPage(browser, { mobile: true });
    await signIn(page, TRAINER);
    const response = await page.goto(`/trainer/sessions/${sessionId}/register`);
    expect(response?.status()).toBe(200);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Student leader induction: Active Bystander");
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
    expect(attendanceOf(sessionId, first.name)).toBe("present");

    // Undo takes it back; tapping again marks them present again.
    await page.getByRole("button", { name: "Undo" }).click();
    expect(await pressed(row(page, first.name))).toBe("false");
    await allSaved(page);
    expect(attendanceOf(sessionId, first.name)).toBe("unknown");
    await row(page, first.name).click();
    await allSaved(page);
    expect(attendanceOf(sessionId, first.name)).toBe("present");
    await page.getByLabel("Find a name").fill("");

    // A walk-in, with an email for the feedback link.
    await page.getByLabel("Name", { exact: true }).fill(WALK_IN.name);
    await page.getByLabel(/^Email/).fill(WALK_IN.email);
    await page.getByRole("button", { name: "Add and mark present" }).click();
    expect(await pressed(row(page, WALK_IN.name))).toBe("true");
    expect(await page.getByLabel("Name", { exact: true }).inputValue()).toBe("");
    await allSaved(page);
    expect(people(sessionId).find((p) => p.name === WALK_IN.name)).toMatchObject({ email: WALK_IN.email, attendance: "present" });

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
    expect(attendanceOf(sessionId, second.name)).toBe("present");
    await page.unroute("**/register");

    // No signal at all: the tap waits on the phone, survives a reload, and is sent when the signal is back.
    await page.route("**/register", (route) => (route.request().method() === "POST" ? route.abort("internetdisconnected") : route.continue()));
    await row(page, third.name).click();
    await expect.poll(() => syncStatus(page).textContent()).toMatch(/not saved yet — retrying/);
    await page.reload();
    await expect.poll(() => pressed(row(page, third.name))).toBe("true");
    await expect.poll(() => syncStatus(page).textContent()).toMatch(/1 change not saved yet/);
    expect(attendanceOf(sessionId, third.name)).toBe("unknown");
    await page.unroute("**/register");
    await allSaved(page);
    expect(attendanceOf(sessionId, third.name)).toBe("present");

    // A reload shows every mark kept.
    await page.reload();
    for (const name of [first.name, second.name, third.name, WALK_IN.name]) expect(await pressed(row(page, name))).toBe("true");

    // Too early to close: the session starts later. Move it to have started half an hour ago.
    expect(await page.getByRole("link", { name: "Close the register…" }).count()).toBe(0);
    expect(await page.getByText(/You can close the register from/).count()).toBe(1);
    withDb((db) => {
      const start = new Date(Date.now() - 30 * 60_000);
      const end = new Date(start.getTime() + 90 * 60_000);
      db.prepare("update sessions set starts_at = ?, ends_at = ? where id = ?").run(start.toISOString(), end.toISOString(), sessionId);
    });
    await page.reload();
    const now = people(sessionId);
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
    expect(withDb((db) => db.prepare("select status, feedback_code from sessions where id = ?").get(sessionId))).toMatchObject({ status: "delivered" });
    await context.close();

    // Every attendee with an email has a feedback request in the outbox.
    const coordinator = await newPage(browser);
    await signIn(coordinator.page, "coordinator@neverok.example");
    for (const to of [first.email!, WALK_IN.email]) {
      await coordinator.page.goto(`/coordinator/outbox?to=${encodeURIComponent(to)}`);
      expect(await coordinator.page.getByRole("link", { name: /^How was Student leader induction/ }).count()).toBe(1);
    }
    await coordinator.context.close();
  });

  it("is a 404 for a trainer who is not on the session", async () => {
    const { page, context } = await newPage(browser, { mobile: true });
    await signIn(page, "trainer@neverok.example");
    const response = await page.goto(`/trainer/sessions/${sessionId}/register`);
    expect(response?.status()).toBe(404);
    await context.close();
  });
});
