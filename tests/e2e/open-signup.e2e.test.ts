import crypto from "node:crypto";
import Database from "better-sqlite3";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { expectAccessible, launchBrowser, newPage, signIn } from "./browser.ts";

let browser: Browser;
let coordinator: Page;
beforeAll(async () => {
  browser = await launchBrowser();
  coordinator = (await newPage(browser)).page;
  await signIn(coordinator, "coordinator@neverok.example");
});
afterAll(async () => {
  await browser?.close();
});

const run = String(Date.now());
const emailFor = (who: string) => `${who}-${run}@students.neverok.example`;

/** An open session with `capacity` places next month, written straight into the test database (no page creates one yet). */
function insertOpenSession(capacity: number, title: string): number {
  const db = new Database(inject("databasePath"), { fileMustExist: true });
  try {
    db.pragma("busy_timeout = 5000");
    const course = db.prepare("select id, duration_minutes from courses where name = 'Active Bystander'").get() as { id: number; duration_minutes: number };
    const start = new Date(Date.now() + 35 * 86_400_000);
    start.setUTCHours(13, 0, 0, 0);
    const end = new Date(start.getTime() + course.duration_minutes * 60_000);
    const now = new Date().toISOString();
    const info = db
      .prepare(
        `insert into sessions (course_id, booking_request_id, organisation_id, starts_at, ends_at, duration_minutes, room_id, address, capacity, trainers_needed,
           status, cancel_reason, ical_uid, ical_sequence, created_by, created_at, updated_at, kind, title, signup_policy, asks_student_id, promotion_cutoff_hours)
         values (?, null, null, ?, ?, ?, null, 'Online test room', ?, 1, 'scheduled', null, ?, 0, null, ?, ?, 'open', ?, 'anyone', 0, 2)`,
      )
      .run(
        course.id,
        start.toISOString(),
        end.toISOString(),
        course.duration_minutes,
        capacity,
        `session-${crypto.randomUUID()}@neverok.example`,
        now,
        now,
        title,
      );
    return Number(info.lastInsertRowid);
  } finally {
    db.close();
  }
}

function waitingCount(sessionId: number): number {
  const db = new Database(inject("databasePath"), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare("select count(*) as n from registrations where session_id = ? and status = 'waiting'").get(sessionId) as { n: number }).n;
  } finally {
    db.close();
  }
}

/** Subjects of the messages to `email`, oldest first, read from the database as a mailbox would receive them. */
function subjectsTo(email: string): string[] {
  const db = new Database(inject("databasePath"), { readonly: true });
  try {
    return (db.prepare("select subject from email_messages where to_address = ? order by id").all(email) as { subject: string }[]).map((m) => m.subject);
  } finally {
    db.close();
  }
}

/** The plain text of the newest message to `email`. */
function textTo(email: string): string {
  const db = new Database(inject("databasePath"), { readonly: true });
  try {
    return (db.prepare("select text from email_messages where to_address = ? order by id desc limit 1").get(email) as { text: string }).text;
  } finally {
    db.close();
  }
}

async function fillSignUp(page: Page, who: { name: string; email: string; studentId?: string }) {
  await page.getByLabel("Your name").fill(who.name);
  await page.getByLabel("Email address").fill(who.email);
  if (who.studentId) await page.getByLabel("Student ID").fill(who.studentId);
}

/** The manage link in the newest message to `email` whose subject matches, read from the outbox as the coordinator. */
async function linkInOutbox(email: string, subject: RegExp): Promise<string> {
  await coordinator.goto(`/coordinator/outbox?to=${encodeURIComponent(email)}`);
  const message = coordinator.getByRole("link", { name: subject }).first();
  const path = await message.getAttribute("href");
  await message.click();
  await coordinator.waitForURL(`**${path}`);
  const links = await coordinator.getByTestId("message-link").evaluateAll((els) => els.map((e) => e.getAttribute("href") ?? ""));
  const manage = links.find((l) => l.includes("/registrations/"));
  expect(manage, `a manage link in "${subject}" to ${email}`).toBeTruthy();
  return manage!;
}

describe("open sign-up, as a member of the public", () => {
  let sessionWithPlaces = "";

  it("finds a session on the public list, filters by course, signs up and is told when already registered", async () => {
    const { page } = await newPage(browser);
    await page.goto("/sessions/open");
    expect(await page.getByRole("heading", { level: 1, name: "Sign up for a training session" }).count()).toBe(1);
    // Nobody is signed in: no app navigation, and the support signposting is there.
    expect(await page.getByRole("link", { name: "Staff and trainers: sign in" }).count()).toBe(1);
    expect(await page.getByText("Advice and Support Centre").count()).toBeGreaterThan(0);
    await expectAccessible(page);

    const course = await page.locator("select[name=course] option", { hasText: "Active Bystander" }).getAttribute("value");
    await page.getByLabel("Course").selectOption(course!);
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL(/course=/);
    await expect.poll(() => page.getByText(/places left/).count()).toBeGreaterThan(0);
    await expectAccessible(page);
    // Nonsense in the address is ignored rather than refused.
    const odd = await page.goto("/sessions/open?course=abc&from=2025-02-31&to=soon");
    expect(odd?.status()).toBe(200);

    await page.goto(`/sessions/open?course=${course}`);
    await page
      .getByRole("link", { name: /^Sign up/ })
      .first()
      .click();
    await page.waitForURL(/\/sessions\/open\/\d+$/);
    sessionWithPlaces = new URL(page.url()).pathname;
    expect(await page.getByText(/of \d+ places left/).count()).toBeGreaterThan(0);
    await expectAccessible(page);

    // Missing fields are explained beside them.
    await page.getByRole("button", { name: "Sign up" }).click();
    await expect.poll(() => page.getByText("Enter a name").count()).toBe(1);

    const ada = { name: "Ada Lovelace", email: emailFor("ada"), studentId: "S2409999" };
    await fillSignUp(page, ada);
    await page.getByRole("button", { name: "Sign up" }).click();
    await page.getByRole("heading", { name: "Check your email" }).waitFor();
    const answer = await page.getByRole("region", { name: "Check your email" }).textContent();
    expect(answer).toContain(`We have sent a message to ${ada.email} about this session`);
    expect(subjectsTo(ada.email)).toEqual([expect.stringMatching(/^You have a place/)]);
    await expectAccessible(page);

    // The same email again: the page answers exactly as before; the email says they are already signed up.
    await page.goto(sessionWithPlaces);
    await fillSignUp(page, { ...ada, name: "Ada L." });
    await page.getByRole("button", { name: "Sign up" }).click();
    await page.getByRole("heading", { name: "Check your email" }).waitFor();
    expect(await page.getByRole("region", { name: "Check your email" }).textContent()).toBe(answer);
    expect(subjectsTo(ada.email)).toEqual([expect.stringMatching(/^You have a place/), expect.stringMatching(/^You are already signed up/)]);
    await expectAccessible(page);
  });

  it("joins the waiting list of the full induction and is told the position", async () => {
    const { page } = await newPage(browser);
    await page.goto("/sessions/open");
    const full = page
      .getByRole("listitem")
      .filter({ hasText: "Student leader induction: Active Bystander" })
      .filter({ hasText: "Full: join the waiting list" })
      .first();
    await full.getByRole("link", { name: /^Join the waiting list/ }).click();
    await page.waitForURL(/\/sessions\/open\/\d+$/);
    const sessionId = Number(new URL(page.url()).pathname.split("/").pop());
    await expect.poll(() => page.getByRole("heading", { name: "Join the waiting list" }).count()).toBe(1);
    await expectAccessible(page);

    await fillSignUp(page, { name: "Wren Waiting", email: emailFor("wren"), studentId: "S2409998" });
    await page.getByRole("button", { name: "Join the waiting list" }).click();
    await page.getByRole("heading", { name: "Check your email" }).waitFor();
    const position = waitingCount(sessionId);
    expect(position).toBeGreaterThanOrEqual(3);
    // The position is in the email, not on the page.
    expect(await page.getByText(/number \d+ on the waiting list/).count()).toBe(0);
    expect(textTo(emailFor("wren"))).toContain(`number ${position}`);
    await expectAccessible(page);
  });

  it("cancels a place from the link in the latest email", async () => {
    // Signing up again sent a fresh link, which replaced the one in the confirmation.
    const link = await linkInOutbox(emailFor("ada"), /^You are already signed up/);
    const { page } = await newPage(browser);
    const response = await page.goto(link);
    expect(response?.status()).toBe(200);
    expect(response?.headers()["referrer-policy"]).toBe("no-referrer");
    expect(response?.headers()["cache-control"]).toBe("no-store");
    await page.getByRole("heading", { name: "You have a place" }).waitFor();
    await expectAccessible(page);
    await page.getByRole("button", { name: "Cancel my place" }).click();
    await page.getByRole("heading", { name: "You are no longer signed up" }).waitFor();
    expect(await page.getByRole("status").textContent()).toContain("Your place is cancelled");
    expect(await page.getByRole("button", { name: "Cancel my place" }).count()).toBe(0);
    await expectAccessible(page);

    // A link that does not exist gets a friendly page, not an error.
    const unknown = await page.goto("/registrations/this-is-not-a-real-link");
    expect(unknown?.status()).toBe(404);
    await page.getByRole("heading", { name: "This link does not work" }).waitFor();
    await expectAccessible(page);
  });

  it("a cancellation moves the first person waiting into the place, who is emailed", async () => {
    const sessionId = insertOpenSession(1, `Promotion check ${run}`);
    const { page } = await newPage(browser);

    await page.goto(`/sessions/open/${sessionId}`);
    expect(await page.getByText("1 of 1 place left").count()).toBeGreaterThan(0);
    await fillSignUp(page, { name: "Pat Place", email: emailFor("pat") });
    await page.getByRole("button", { name: "Sign up" }).click();
    await page.getByRole("heading", { name: "Check your email" }).waitFor();

    await page.goto(`/sessions/open/${sessionId}`);
    await fillSignUp(page, { name: "Wes Waiting", email: emailFor("wes") });
    await page.getByRole("button", { name: "Join the waiting list" }).click();
    await page.getByRole("heading", { name: "Check your email" }).waitFor();
    expect(textTo(emailFor("wes"))).toContain("number 1");

    // Wes can see his place on the list from his own email.
    const wesWaiting = await linkInOutbox(emailFor("wes"), /^Waiting list:/);
    await page.goto(wesWaiting);
    await page.getByRole("heading", { name: "You are number 1 on the waiting list" }).waitFor();
    expect(await page.getByRole("button", { name: "Leave the waiting list" }).count()).toBe(1);

    // Pat cancels; Wes is promoted and told.
    await page.goto(await linkInOutbox(emailFor("pat"), /^You have a place/));
    await page.getByRole("button", { name: "Cancel my place" }).click();
    await page.getByRole("heading", { name: "You are no longer signed up" }).waitFor();

    const promoted = await linkInOutbox(emailFor("wes"), /^A place is yours/);
    await expect.poll(() => coordinator.getByText("Includes a calendar invitation part.").count()).toBe(1);
    await page.goto(promoted);
    await page.getByRole("heading", { name: "You have a place" }).waitFor();
    expect(await page.getByRole("button", { name: "Cancel my place" }).count()).toBe(1);
    await expectAccessible(page);
  });

  it("the sign-up form works at phone width", async () => {
    const { page } = await newPage(browser, { mobile: true });
    await page.goto(sessionWithPlaces);
    // Nothing is wider than the phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await expectAccessible(page);
    // The form is below the details: a button near the top takes people to it.
    await page.getByRole("link", { name: "Sign up", exact: true }).click();
    await expect.poll(() => page.evaluate(() => location.hash)).toBe("#signup-heading");
    await fillSignUp(page, { name: "Femi Phone", email: emailFor("femi"), studentId: "S2409997" });
    const submit = page.getByRole("button", { name: "Sign up" });
    const box = await submit.boundingBox();
    expect(box!.height).toBeGreaterThanOrEqual(44);
    expect(box!.width).toBeGreaterThan(300);
    await submit.click();
    await page.getByRole("heading", { name: "Check your email" }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await expectAccessible(page);
  });
});
