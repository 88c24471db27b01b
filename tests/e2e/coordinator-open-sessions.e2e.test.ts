import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAccessible, launchBrowser, newPage, signIn, weekdayAhead } from "./browser.ts";
import { e2eDb, newAccount, newOpenSession, subjectsTo } from "./data.ts";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const run = String(Date.now());
const title = `Induction ${run}`;
const people = ["Ada", "Bea", "Cal", "Dev"].map((first, i) => ({
  name: `${first} Okoro ${run}`,
  email: `${first.toLowerCase()}.${run}@students.neverok.example`,
  studentId: `S24${run.slice(-4).toUpperCase()}${i}`.replace(/[^A-Z0-9]/g, "0"),
}));

async function signUp(page: Page, path: string, person: (typeof people)[number]) {
  await page.goto(path);
  await page.getByLabel("Your name").fill(person.name);
  await page.getByLabel("Email address").fill(person.email);
  await page.getByLabel("Student ID").fill(person.studentId);
  await page.locator('form[method="post"] button[type="submit"]').click();
  // The page answers everyone alike; what happened is in the newest email to them.
  await page.getByRole("heading", { level: 2, name: "Check your email" }).waitFor();
  return (await subjectsTo(person.email)).at(-1);
}

const region = (page: Page, name: RegExp) => page.getByRole("region", { name });

/** The templates of the messages to one address in the outbox, oldest first. */
const outboxTemplates = async (email: string) =>
  (await e2eDb().selectFrom("email_messages").select("template").where("to_address", "=", email).orderBy("id").execute()).map((r) => r.template);

describe("the coordinator opens a session for sign-up and looks after its list", () => {
  it("publishes, fills, moves the waiting list up on a cancellation, and refuses a promotion when every place is taken", async () => {
    const { page, context } = await newPage(browser);
    await signIn(page, await newAccount(["coordinator"]));

    // The list of open sessions, with the button to open a new one.
    await page.goto("/coordinator/open-sessions");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Open sessions");
    await expectAccessible(page);
    await page.getByRole("link", { name: "Open a session for sign-up" }).click();
    await page.waitForURL("**/coordinator/open-sessions/new");

    // Zero places is refused beside the field, and everything typed is kept.
    const course = page.getByLabel("Course");
    await course.selectOption((await page.locator("select[name=courseId] option", { hasText: "Active Bystander" }).getAttribute("value"))!);
    await page.getByLabel("Title people see").fill(title);
    const date = weekdayAhead(3, 70);
    await page.getByLabel("Date", { exact: true }).first().fill(date);
    await page.getByLabel("Start time").fill("10:00");
    await page.getByLabel("Where").selectOption("address");
    await page.getByLabel("Address", { exact: true }).fill("Students' Union Forum");
    const places = page.getByLabel("Number of places");
    await places.fill("0");
    // Leaving the field shows its error at once, moving what is below it.
    await places.blur();
    await page.getByRole("radio", { name: /Yes, a student ID is needed/ }).check();
    await page.getByRole("button", { name: "Open for sign-up" }).click();
    const placesError = page.locator("#open-session-new-capacity-error");
    await expect.poll(() => placesError.textContent()).toContain("At least one place");
    expect(await places.getAttribute("aria-invalid")).toBe("true");
    expect(await places.getAttribute("aria-describedby")).toContain("open-session-new-capacity-error");
    expect(await page.getByLabel("Title people see").inputValue()).toBe(title);
    expect(await page.getByLabel("Address", { exact: true }).inputValue()).toBe("Students' Union Forum");
    expect(await page.getByLabel("Start time").inputValue()).toBe("10:00");
    expect(await page.getByRole("radio", { name: /Yes, a student ID is needed/ }).isChecked()).toBe(true);
    await expectAccessible(page);

    // A day that does not exist (typed where the browser offers no date picker), and a time the
    // clocks skip in March, are each refused beside their field, as typed.
    const dateField = page.getByLabel("Date", { exact: true }).first();
    const startTime = page.getByLabel("Start time");
    const nextYear = new Date().getUTCFullYear() + 1;
    await dateField.evaluate((el) => ((el as HTMLInputElement).type = "text"));
    await dateField.fill(`${nextYear}-02-30`);
    await places.fill("2");
    await page.getByRole("button", { name: "Open for sign-up" }).click();
    const dateError = page.locator("#open-session-new-date-error");
    await expect.poll(() => dateError.textContent()).toContain(`30 February ${nextYear} does not exist`);
    expect(await dateField.getAttribute("aria-invalid")).toBe("true");
    expect(await dateField.inputValue()).toBe(`${nextYear}-02-30`);
    const lastOfMarch = new Date(Date.UTC(nextYear, 2, 31));
    lastOfMarch.setUTCDate(31 - lastOfMarch.getUTCDay());
    await dateField.fill(lastOfMarch.toISOString().slice(0, 10));
    await startTime.fill("01:30");
    await page.getByRole("button", { name: "Open for sign-up" }).click();
    const timeError = page.locator("#open-session-new-time-error");
    await expect.poll(() => timeError.textContent()).toContain("so 01:30 does not exist in the UK that day");
    expect(await startTime.inputValue()).toBe("01:30");
    await dateField.evaluate((el) => ((el as HTMLInputElement).type = "date"));
    await dateField.fill(date);
    await startTime.fill("10:00");

    // Two places: it is open, and the attendees page says so.
    await places.fill("2");
    await page.getByRole("button", { name: "Open for sign-up" }).click();
    await page.waitForURL(/\/coordinator\/sessions\/\d+\/attendees$/);
    const sessionId = Number(new URL(page.url()).pathname.split("/")[3]);
    await expect.poll(() => page.getByRole("status").textContent()).toContain(`${title} (`);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe(`Attendees: ${title}`);
    const link = await page.getByLabel("Sign-up link to share").inputValue();
    expect(new URL(link).pathname).toBe(`/sessions/open/${sessionId}`);
    expect(await region(page, /People with a place/).textContent()).toContain("Nobody has signed up yet");
    await expectAccessible(page);

    // It is on the list of open sessions, with both places left.
    await page.goto("/coordinator/open-sessions");
    const card = page.getByRole("listitem").filter({ has: page.getByRole("link", { name: title, exact: true }) });
    expect(await card.textContent()).toMatch(/Places taken\s*0\s*of 2.*Places left\s*2.*Waiting\s*0/s);

    // Three people sign up on the public page, with no account: two places, then the waiting list.
    const visitor = await newPage(browser);
    const signupPath = `/sessions/open/${sessionId}`;
    expect(await signUp(visitor.page, signupPath, people[0]!)).toMatch(/^You have a place/);
    expect(await signUp(visitor.page, signupPath, people[1]!)).toMatch(/^You have a place/);
    expect(await signUp(visitor.page, signupPath, people[2]!)).toMatch(/^Waiting list/);

    await page.goto("/coordinator/open-sessions");
    expect(await card.textContent()).toMatch(/Full.*Places taken\s*2\s*of 2.*Places left\s*0.*Waiting\s*1/s);

    await page.goto(`/coordinator/sessions/${sessionId}/attendees`);
    const registered = region(page, /People with a place/);
    const waiting = region(page, /Waiting list/);
    expect(await registered.textContent()).toContain(people[0]!.email);
    expect(await registered.textContent()).toContain(people[0]!.studentId);
    expect(await registered.textContent()).toContain(people[1]!.name);
    expect(await waiting.textContent()).toContain(people[2]!.name);
    expect(await waiting.textContent()).not.toContain(people[0]!.name);
    await expectAccessible(page);

    // The first person's place is cancelled with a reason; the person waiting moves up.
    await registered.locator("summary", { hasText: `Cancel this place: ${people[0]!.name}` }).click();
    const reason = registered.getByRole("textbox", { name: "Reason" });
    await reason.fill("Double-booked with a hall meeting");
    await page.getByRole("button", { name: `Cancel ${people[0]!.name}'s place` }).click();
    await expect.poll(async () => (await page.getByRole("status").textContent()) ?? "").toContain(`${people[2]!.name} moved up from the waiting list`);
    expect(await registered.textContent()).toContain(people[2]!.name);
    expect(await registered.textContent()).not.toContain(people[0]!.name);
    expect(await waiting.textContent()).toContain("Nobody is waiting");
    expect(await page.getByText(/^Cancelled \(1\)$/).count()).toBe(1);
    expect(await outboxTemplates(people[0]!.email)).toEqual(["registration-confirmed", "registration-cancelled"]);
    expect(await outboxTemplates(people[2]!.email)).toEqual(["waiting-list-place", "registration-promoted"]);

    // Someone else joins the waiting list; with every place taken, promoting them is refused.
    expect(await signUp(visitor.page, signupPath, people[3]!)).toMatch(/^Waiting list/);
    await page.reload();
    await page.getByRole("button", { name: `Promote ${people[3]!.name} to a place` }).click();
    await expect.poll(async () => (await waiting.getByRole("alert").textContent()) ?? "").toContain("Every place is taken");
    expect(await waiting.textContent()).toContain(people[3]!.name);
    await expectAccessible(page);

    await visitor.context.close();
    await context.close();
  });

  it("on a phone, the attendees page and the form fit the screen", async () => {
    const phoneTitle = `Phone check ${run}`;
    await newOpenSession({ title: phoneTitle, capacity: 10, weeksAhead: 3 });
    const { page, context } = await newPage(browser, { mobile: true });
    await signIn(page, await newAccount(["coordinator"]));
    for (const path of ["/coordinator/open-sessions", "/coordinator/open-sessions/new"]) {
      await page.goto(path);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(390);
    }
    await page.goto("/coordinator/open-sessions");
    await page
      .getByRole("listitem")
      .filter({ has: page.getByRole("link", { name: phoneTitle, exact: true }) })
      .getByRole("link", { name: /^Attendees and waiting list/ })
      .click();
    await page.waitForURL(/\/attendees$/);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await expectAccessible(page);
    await context.close();
  });
});
