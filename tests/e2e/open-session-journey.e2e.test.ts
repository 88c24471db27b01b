import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_PASSWORD } from "#tests/factories.ts";
import { createTrainer } from "#tests/scheduling-fixtures.ts";
import { expectAccessible, launchBrowser, newPage, signIn, weekdayAhead } from "./browser.ts";
import { demoCourse, e2eDb, newAccount, startedMinutesAgo, subjectsTo, type Account } from "./data.ts";

let browser: Browser;
let coordinatorAccount: Account;
let trainer: Account;
beforeAll(async () => {
  browser = await launchBrowser();
  coordinatorAccount = await newAccount(["coordinator"]);
  const course = await demoCourse("Active Bystander");
  trainer = { ...(await createTrainer(e2eDb(), { name: `Tove Trainer ${Date.now()}`, qualifiedFor: [course.id] })), password: TEST_PASSWORD };
});
afterAll(async () => {
  await browser?.close();
});

const run = String(Date.now());
const TITLE = `Leader induction ${run}`;
const people = ["Ama", "Ben", "Cy"].map((first) => ({
  name: `${first} Journey ${run}`,
  email: `${first.toLowerCase()}.journey.${run}@students.neverok.example`,
}));

/** Signs up on the public page, which answers everyone alike; what happened is in the email, so the subject of the newest one is returned. */
async function signUp(page: Page, path: string, person: { name: string; email: string }) {
  await page.goto(path);
  await page.getByLabel("Your name").fill(person.name);
  await page.getByLabel("Email address").fill(person.email);
  await page.locator('form[method="post"] button[type="submit"]').click();
  await page.getByRole("heading", { level: 2, name: "Check your email" }).waitFor();
  return (await subjectsTo(person.email)).at(-1);
}

/** The first link in the newest message to `to` whose subject matches, read in the coordinator's outbox. */
async function linkInOutbox(coordinator: Page, to: string, subject: RegExp) {
  await coordinator.goto(`/coordinator/outbox?to=${encodeURIComponent(to)}`);
  const message = coordinator.getByRole("link", { name: subject }).first();
  const path = await message.getAttribute("href");
  await message.click();
  await coordinator.waitForURL(`**${path}`);
  const href = await coordinator.getByTestId("message-link").first().getAttribute("href");
  return new URL(href!).pathname;
}

async function giveFeedback(page: Page, rating: string) {
  await page.getByRole("group", { name: "Overall, how would you rate the session?" }).getByLabel(rating).check();
  await page.getByRole("group", { name: "Would you recommend this session to a friend?" }).getByLabel("Yes", { exact: true }).check();
  await page.getByRole("group", { name: "Before the session, how confident did you feel?" }).getByLabel("2 A little confident").check();
  await page.getByRole("group", { name: "Now, how confident do you feel?" }).getByLabel("4 Quite confident").check();
  await page.getByRole("button", { name: "Send feedback" }).click();
  await page.getByText("Your feedback has been sent.").waitFor();
}

describe("an open session from publishing to feedback", () => {
  it("publish → sign up → full → waiting list → cancel → promotion → register on a phone → feedback by link and QR → the trainer sees it", async () => {
    // The coordinator publishes an induction with two places, on a Wednesday the trainer is free.
    const coordinator = await newPage(browser);
    await signIn(coordinator.page, coordinatorAccount);
    await coordinator.page.goto("/coordinator/open-sessions/new");
    const course = await coordinator.page.locator("select[name=courseId] option", { hasText: "Active Bystander" }).getAttribute("value");
    await coordinator.page.getByLabel("Course").selectOption(course!);
    await coordinator.page.getByLabel("Title people see").fill(TITLE);
    await coordinator.page.getByLabel("Date", { exact: true }).first().fill(weekdayAhead(3, 84));
    await coordinator.page.getByLabel("Start time").fill("10:00");
    await coordinator.page.getByLabel("Where").selectOption("address");
    await coordinator.page.getByLabel("Address", { exact: true }).fill("Students' Union Forum");
    await coordinator.page.getByLabel("Number of places").fill("2");
    await coordinator.page.getByRole("button", { name: "Open for sign-up" }).click();
    await coordinator.page.waitForURL(/\/coordinator\/sessions\/\d+\/attendees$/);
    const sessionId = Number(new URL(coordinator.page.url()).pathname.split("/")[3]);
    const session = () => e2eDb().selectFrom("sessions").select(["status", "feedback_code"]).where("id", "=", sessionId).executeTakeFirstOrThrow();

    // The trainer is assigned and accepts.
    await coordinator.page.goto(`/coordinator/sessions/${sessionId}`);
    await coordinator.page.getByRole("button", { name: `Assign ${trainer.name}` }).click();
    await expect.poll(() => coordinator.page.getByRole("status").textContent()).toContain("Assigned.");
    const trainerPhone = await newPage(browser, { mobile: true });
    await signIn(trainerPhone.page, trainer);
    await trainerPhone.page.goto(`/trainer/sessions/${sessionId}`);
    await trainerPhone.page
      .getByRole("button", { name: /^Accept/ })
      .first()
      .click();
    await expect.poll(() => trainerPhone.page.getByText("Accepted").count()).toBeGreaterThan(0);

    // Three people sign up for two places: the third joins the waiting list.
    const visitor = await newPage(browser, { mobile: true });
    const path = `/sessions/open/${sessionId}`;
    expect(await signUp(visitor.page, path, people[0]!)).toMatch(/^You have a place/);
    expect(await signUp(visitor.page, path, people[1]!)).toMatch(/^You have a place/);
    expect(await signUp(visitor.page, path, people[2]!)).toMatch(/^Waiting list/);

    // The first cancels from the link in her confirmation; the waiting person is promoted and told.
    const manage = await linkInOutbox(coordinator.page, people[0]!.email, /^You have a place/);
    await visitor.page.goto(manage);
    await visitor.page.getByRole("button", { name: "Cancel my place" }).click();
    await expect.poll(() => visitor.page.getByText(/cancelled/i).count()).toBeGreaterThan(0);
    await coordinator.page.goto(`/coordinator/outbox?to=${encodeURIComponent(people[2]!.email)}`);
    await expect.poll(() => coordinator.page.getByRole("link", { name: /^A place is yours/ }).count()).toBe(1);

    // The session starts; the trainer takes the register on his phone and closes it.
    await startedMinutesAgo(sessionId, 10);
    await trainerPhone.page.goto(`/trainer/sessions/${sessionId}/register`);
    for (const person of [people[1]!, people[2]!]) {
      const row = trainerPhone.page.getByRole("button", { name: new RegExp(`^${person.name}`) });
      await row.click();
      await expect.poll(() => row.getAttribute("aria-pressed")).toBe("true");
    }
    await expect.poll(() => trainerPhone.page.getByTestId("sync-status").textContent(), { timeout: 15_000 }).toContain("All changes saved");
    await expectAccessible(trainerPhone.page);
    await trainerPhone.page.getByRole("link", { name: "Close the register…" }).click();
    await trainerPhone.page.getByRole("button", { name: "Yes, close the register" }).click();
    await expect.poll(async () => (await session()).status).toBe("delivered");

    // Feedback through the emailed link, on a phone.
    const feedbackPath = await linkInOutbox(coordinator.page, people[1]!.email, /^How was/);
    await visitor.page.goto(feedbackPath);
    await giveFeedback(visitor.page, "5 Excellent");

    // And through the room's QR code.
    const code = (await session()).feedback_code;
    await trainerPhone.page.goto(`/trainer/sessions/${sessionId}/qr`);
    await expect.poll(() => trainerPhone.page.getByText(`/feedback/s/${code}`).count()).toBeGreaterThan(0);
    const room = await newPage(browser, { mobile: true });
    await room.page.goto(`/feedback/s/${code}`);
    await giveFeedback(room.page, "4 Very good");
    expect(await e2eDb().selectFrom("feedback_responses").select("id").where("session_id", "=", sessionId).execute()).toHaveLength(2);

    // The trainer sees the session in their results; with two answers only the course totals can show.
    await trainerPhone.page.goto("/trainer/feedback");
    const card = trainerPhone.page.getByRole("listitem").filter({ has: trainerPhone.page.getByRole("heading", { name: TITLE }) });
    await expect
      .poll(() => card.textContent())
      .toContain("Fewer than 5 people on the register have answered by their own emailed link (1 so far, and 1 by the room's QR code)");
    for (const p of [coordinator, trainerPhone, visitor, room]) await p.context.close();
  });
});
