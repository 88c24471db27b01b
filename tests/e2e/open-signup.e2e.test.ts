import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { register } from "#app/signup/registrations.server.ts";
import { expectAccessible, launchBrowser, newPage, signIn } from "./browser.ts";
import { e2eDb, newAccount, newOpenSession, subjectsTo } from "./data.ts";

const run = String(Date.now());
const emailFor = (who: string) => `${who}-${run}@students.neverok.example`;
const WITH_PLACES = `Open sign-up journey ${run}`;
const FULL = `Full induction ${run}`;

let browser: Browser;
let coordinator: Page;
/** A session of this file's own with places left, and one full with two people waiting. */
let withPlaces: number;
let full: number;
beforeAll(async () => {
  browser = await launchBrowser();
  coordinator = (await newPage(browser)).page;
  await signIn(coordinator, await newAccount(["coordinator"]));
  // Both ask for a student ID, as the leader inductions do.
  const asksStudentId = { asksStudentId: "yes" } as const;
  withPlaces = await newOpenSession({ title: WITH_PLACES, capacity: 10, weeksAhead: 6, overrides: asksStudentId });
  full = await newOpenSession({ title: FULL, capacity: 2, weeksAhead: 6, overrides: asksStudentId });
  for (const who of ["fay", "gus", "hal", "ivy"]) await signUpDirectly(full, who);
});
afterAll(async () => {
  await browser?.close();
});

/** Signs someone up through the domain function, as the public page would: they get the usual email. */
async function signUpDirectly(sessionId: number, who: string) {
  return register(e2eDb(), sessionId, { name: `${who} Direct`, email: emailFor(who), studentId: "S2400001", accessibilityNeeds: null, answer: null });
}

async function waitingCount(sessionId: number): Promise<number> {
  const row = await e2eDb()
    .selectFrom("registrations")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("session_id", "=", sessionId)
    .where("status", "=", "waiting")
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The plain text of the newest message to `email`. */
async function textTo(email: string): Promise<string> {
  const row = await e2eDb().selectFrom("email_messages").select("text").where("to_address", "=", email).orderBy("id", "desc").executeTakeFirstOrThrow();
  return row.text;
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
      .getByRole("listitem")
      .filter({ hasText: WITH_PLACES })
      .getByRole("link", { name: /^Sign up/ })
      .click();
    await page.waitForURL(`**/sessions/open/${withPlaces}`);
    const sessionWithPlaces = `/sessions/open/${withPlaces}`;
    expect(await page.getByText(/of 10 places left/).count()).toBeGreaterThan(0);
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
    expect(await subjectsTo(ada.email)).toEqual([expect.stringMatching(/^You have a place/)]);
    await expectAccessible(page);

    // The same email again: the page answers exactly as before; the email says they are already signed up.
    await page.goto(sessionWithPlaces);
    await fillSignUp(page, { ...ada, name: "Ada L." });
    await page.getByRole("button", { name: "Sign up" }).click();
    await page.getByRole("heading", { name: "Check your email" }).waitFor();
    expect(await page.getByRole("region", { name: "Check your email" }).textContent()).toBe(answer);
    expect(await subjectsTo(ada.email)).toEqual([expect.stringMatching(/^You have a place/), expect.stringMatching(/^You are already signed up/)]);
    await expectAccessible(page);
  });

  it("joins the waiting list of a full session and is told the position", async () => {
    const { page } = await newPage(browser);
    await page.goto("/sessions/open");
    const card = page.getByRole("listitem").filter({ hasText: FULL });
    expect(await card.textContent()).toContain("Full: join the waiting list");
    await card.getByRole("link", { name: /^Join the waiting list/ }).click();
    await page.waitForURL(`**/sessions/open/${full}`);
    await expect.poll(() => page.getByRole("heading", { name: "Join the waiting list" }).count()).toBe(1);
    await expectAccessible(page);

    await fillSignUp(page, { name: "Wren Waiting", email: emailFor("wren"), studentId: "S2409998" });
    await page.getByRole("button", { name: "Join the waiting list" }).click();
    await page.getByRole("heading", { name: "Check your email" }).waitFor();
    expect(await waitingCount(full)).toBe(3);
    // The position is in the email, not on the page.
    expect(await page.getByText(/number \d+ on the waiting list/).count()).toBe(0);
    expect(await textTo(emailFor("wren"))).toContain("number 3");
    await expectAccessible(page);
  });

  it("cancels a place from the link in the latest email", async () => {
    const { page } = await newPage(browser);
    await signUpDirectly(withPlaces, "cleo");
    // Signing up again sends a fresh link, which replaces the one in the confirmation.
    await page.goto(`/sessions/open/${withPlaces}`);
    await fillSignUp(page, { name: "Cleo Again", email: emailFor("cleo"), studentId: "S2400001" });
    await page.getByRole("button", { name: "Sign up" }).click();
    await page.getByRole("heading", { name: "Check your email" }).waitFor();
    const link = await linkInOutbox(emailFor("cleo"), /^You are already signed up/);
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
    const sessionId = await newOpenSession({ title: `Promotion check ${run}`, capacity: 1, weeksAhead: 6 });
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
    expect(await textTo(emailFor("wes"))).toContain("number 1");

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
    await page.goto(`/sessions/open/${withPlaces}`);
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
