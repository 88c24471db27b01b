import ICAL from "ical.js";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOrganisation, TEST_PASSWORD } from "#tests/factories.ts";
import { createRoom, createTrainer } from "#tests/scheduling-fixtures.ts";
import { expectAccessible, launchBrowser, newPage, signIn, weekdayAhead } from "./browser.ts";
import { demoCourse, e2eDb, newAccount, type Account } from "./data.ts";

const run = String(Date.now());

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});

/** A booker of the journey's own, in an organisation of its own. */
async function newBooker(organisation: string): Promise<Account> {
  return newAccount(["booker"], { organisationIds: [await createOrganisation(e2eDb(), { name: `${organisation} ${run}` })] });
}

async function newTrainer(name: string, qualifiedFor: string[]): Promise<Account> {
  const courses = await Promise.all(qualifiedFor.map(async (c) => (await demoCourse(c)).id));
  return { ...(await createTrainer(e2eDb(), { name: `${name} ${run}`, qualifiedFor: courses })), password: TEST_PASSWORD };
}
afterAll(async () => {
  await browser?.close();
});

async function requestAsBooker(
  page: Page,
  opts: { course: string; size: string; first: [string, string]; second: [string, string]; accessNeeds?: string[]; beforeSending?: () => Promise<void> },
) {
  await page.goto("/booker/requests/new");
  const value = await page.locator("select[name=courseId] option", { hasText: opts.course }).getAttribute("value");
  await page.getByLabel("Course").selectOption(value!);
  await page.getByLabel("Expected group size").fill(opts.size);
  await page.getByLabel("Students", { exact: true }).check();
  const first = page.getByRole("group", { name: "First choice" });
  await first.getByLabel("Date").fill(opts.first[0]);
  await first.getByLabel("Start time").fill(opts.first[1]);
  const second = page.getByRole("group", { name: "Second choice" });
  await second.getByLabel("Date").fill(opts.second[0]);
  await second.getByLabel("Start time").fill(opts.second[1]);
  const needs = page.getByRole("group", { name: "What does the room need to have?" });
  for (const need of opts.accessNeeds ?? []) await needs.getByLabel(need).check();
  await opts.beforeSending?.();
  await page.getByRole("button", { name: "Send request" }).click();
  await page.waitForURL(/\/booker\/requests\/\d+$/);
  // The address changes before the new page has rendered; its heading is the course.
  await page.getByRole("heading", { level: 1, name: opts.course, exact: true }).waitFor();
  return Number(new URL(page.url()).pathname.split("/").pop());
}

/** The calendar attached to the newest message to `to` whose subject matches, parsed with ical.js. */
async function newestCalendar(coordinator: Page, to: string, subject: RegExp) {
  await coordinator.goto(`/coordinator/outbox?to=${encodeURIComponent(to)}`);
  const link = coordinator.getByRole("link", { name: subject }).first();
  const path = await link.getAttribute("href");
  await link.click();
  await coordinator.waitForURL(`**${path}`);
  await expect.poll(() => coordinator.getByText("Includes a calendar invitation part.").count()).toBe(1);
  const href = await coordinator
    .getByRole("link", { name: /\.ics$/ })
    .first()
    .getAttribute("href");
  const response = await coordinator.request.get(href!);
  expect(response.status()).toBe(200);
  const raw = await coordinator.request.get(coordinator.url() + "/raw");
  const mime = await raw.text();
  const vcalendar = new ICAL.Component(ICAL.parse(await response.text()));
  const event = vcalendar.getFirstSubcomponent("vevent")!;
  const method = String(vcalendar.getFirstPropertyValue("method"));
  // The invitation part inside the message says the same method as the file.
  expect(mime).toMatch(new RegExp(`Content-Type: text/calendar; charset=utf-8; method=${method}`, "i"));
  return {
    method,
    uid: String(event.getFirstPropertyValue("uid")),
    sequence: Number(event.getFirstPropertyValue("sequence")),
    status: String(event.getFirstPropertyValue("status")),
    attendees: event.getAllProperties("attendee").map((p) => String(p.getFirstValue()).toLowerCase()),
    start: (event.getFirstPropertyValue("dtstart") as ICAL.Time).toJSDate().toISOString(),
  };
}

describe("the booking journey", () => {
  it("request → schedule → assign → accept → invites → reschedule (update) → cancel (CANCEL)", async () => {
    const day1 = weekdayAhead(2, 35);
    const day2 = weekdayAhead(4, 35);
    const bookerAccount = await newBooker("Department of Psychology");
    const smallRoom = `Meeting Room ${run}`;
    const room = `Seminar Room ${run}`;
    await createRoom(e2eDb(), { name: smallRoom, capacity: 25 });
    await createRoom(e2eDb(), { name: room, capacity: 60 });
    const sam = await newTrainer("Sam Trainer", ["Active Bystander"]);
    const tom = await newTrainer("Tom Trainer", ["Active Bystander"]);
    const marcus = await newTrainer("Marcus Trainer", ["Consent"]);
    const booker = await newPage(browser);
    await signIn(booker.page, bookerAccount);
    const requestId = await requestAsBooker(booker.page, { course: "Active Bystander", size: "40", first: [day1, "10:00"], second: [day2, "14:00"] });

    // The coordinator finds it in the queue and schedules it at the first choice in a room that fits.
    const coordinator = await newPage(browser);
    await signIn(coordinator.page, await newAccount(["coordinator"]));
    await coordinator.page.goto("/coordinator/requests");
    await expectAccessible(coordinator.page);
    await coordinator.page.locator(`a[href="/coordinator/requests/${requestId}"]`).click();
    await coordinator.page.getByLabel(/^Choice 1:/).check();
    await coordinator.page.getByRole("button", { name: "Show rooms for this time" }).click();
    await coordinator.page.waitForURL(/slot=1/);
    // Too small rooms are shown with the reason and cannot be chosen.
    const small = coordinator.page.getByRole("radio", { name: new RegExp(smallRoom) });
    expect(await small.isDisabled()).toBe(true);
    expect(await coordinator.page.getByText("Too small: holds 25, the group is 40").count()).toBe(1);
    await expectAccessible(coordinator.page);
    await coordinator.page.getByRole("radio", { name: new RegExp(room) }).check();
    await coordinator.page.getByRole("button", { name: "Schedule and send the invitation" }).click();
    await coordinator.page.waitForURL(/\/coordinator\/sessions\/\d+$/);
    const sessionPath = new URL(coordinator.page.url()).pathname;
    await expect.poll(() => coordinator.page.getByRole("status").textContent()).toContain("Scheduled.");
    await expectAccessible(coordinator.page);

    // The system proposes qualified, available trainers; an unqualified one is excluded with the reason.
    const tomItem = coordinator.page.getByRole("listitem").filter({ hasText: tom.name }).first();
    const marcusItem = coordinator.page.getByRole("listitem").filter({ hasText: marcus.name }).first();
    expect(await marcusItem.getByText("Not qualified to deliver this course").count()).toBe(1);
    expect(await marcusItem.getByRole("button").count()).toBe(0);
    expect(await tomItem.count()).toBe(1);
    await coordinator.page.getByRole("button", { name: `Assign ${sam.name}` }).click();
    await expect.poll(() => coordinator.page.getByRole("status").textContent()).toContain("Assigned.");

    // The trainer accepts.
    const trainer = await newPage(browser);
    await signIn(trainer.page, sam);
    await trainer.page.goto(sessionPath.replace("/coordinator/", "/trainer/"));
    await expectAccessible(trainer.page);
    await trainer.page.getByRole("button", { name: /^Accept/ }).click();
    await expect.poll(() => trainer.page.getByRole("status").count()).toBeGreaterThan(0);
    await expect
      .poll(async () => {
        await coordinator.page.reload();
        return coordinator.page.getByRole("listitem").filter({ hasText: sam.name }).getByText("Accepted", { exact: true }).count();
      })
      .toBe(1);

    // The booker and the trainer each have a real invitation in the outbox.
    const invite = await newestCalendar(coordinator.page, bookerAccount.email, /^Confirmed: Active Bystander/);
    expect(invite.method).toBe("REQUEST");
    expect(invite.sequence).toBe(0);
    expect(invite.attendees).toEqual([`mailto:${bookerAccount.email}`]);
    expect(invite.start).toBe(new Date(`${day1}T10:00:00${londonOffset(day1)}`).toISOString());
    const trainerInvite = await newestCalendar(coordinator.page, sam.email, /^Please deliver: Active Bystander/);
    expect(trainerInvite.method).toBe("REQUEST");
    expect(trainerInvite.uid).toBe(invite.uid);
    expect(trainerInvite.attendees).toEqual([`mailto:${sam.email}`]);

    // Moving it sends everyone an update of the same event with a higher SEQUENCE.
    await coordinator.page.goto(sessionPath);
    await coordinator.page.getByLabel("Date").fill(day2);
    await coordinator.page.getByLabel("Start time (UK)").fill("14:00");
    await coordinator.page.getByLabel("Reason (sent to everyone on the session)").first().fill("The room is needed for exams that morning.");
    await coordinator.page.getByRole("button", { name: "Move and send the update" }).click();
    await expect.poll(() => coordinator.page.getByRole("status").textContent()).toContain("Moved.");
    const update = await newestCalendar(coordinator.page, bookerAccount.email, /^Moved: Active Bystander/);
    expect(update.method).toBe("REQUEST");
    expect(update.uid).toBe(invite.uid);
    expect(update.sequence).toBeGreaterThan(invite.sequence);
    expect(update.start).toBe(new Date(`${day2}T14:00:00${londonOffset(day2)}`).toISOString());
    const trainerUpdate = await newestCalendar(coordinator.page, sam.email, /^Moved: Active Bystander/);
    expect(trainerUpdate.sequence).toBe(update.sequence);

    // Cancelling sends METHOD:CANCEL for the same event, with a higher SEQUENCE still.
    await coordinator.page.goto(sessionPath);
    await coordinator.page
      .getByRole("textbox", { name: "Reason (sent to everyone on the session)" })
      .last()
      .fill("The department has postponed its induction.");
    await coordinator.page.getByRole("button", { name: "Cancel the session" }).click();
    await expect.poll(() => coordinator.page.getByRole("status").textContent()).toContain("Cancelled.");
    const cancel = await newestCalendar(coordinator.page, bookerAccount.email, /^Cancelled: Active Bystander/);
    expect(cancel.method).toBe("CANCEL");
    expect(cancel.status).toBe("CANCELLED");
    expect(cancel.uid).toBe(invite.uid);
    expect(cancel.sequence).toBeGreaterThan(update.sequence);

    // The booker sees it cancelled, with the reason.
    await booker.page.goto(`/booker/requests/${requestId}`);
    expect(await booker.page.getByText("The department has postponed its induction.").count()).toBeGreaterThan(0);
    for (const p of [booker, coordinator, trainer]) await p.context.close();
  });

  it("two coordinators choosing the same room at the same moment: one has it, the other is refused with the reason", async () => {
    const day = weekdayAhead(3, 42);
    const room = `Forum Suite ${run}`;
    await createRoom(e2eDb(), { name: room, capacity: 60 });
    const sociology = await newPage(browser);
    await signIn(sociology.page, await newBooker("Department of Sociology"));
    const first = await requestAsBooker(sociology.page, { course: "Consent", size: "30", first: [day, "10:00"], second: [day, "14:00"] });
    const management = await newPage(browser);
    await signIn(management.page, await newBooker("Management undergraduates"));
    const second = await requestAsBooker(management.page, { course: "Consent", size: "30", first: [day, "10:00"], second: [day, "15:00"] });

    const alex = await newPage(browser);
    await signIn(alex.page, await newAccount(["coordinator"]));
    const sam = await newPage(browser);
    await signIn(sam.page, await newAccount(["coordinator"]));
    // Both open the room list while the room is still free.
    await alex.page.goto(`/coordinator/requests/${first}?slot=1`);
    await sam.page.goto(`/coordinator/requests/${second}?slot=1`);
    await alex.page.getByRole("radio", { name: new RegExp(room) }).check();
    await sam.page.getByRole("radio", { name: new RegExp(room) }).check();
    // Both press at once: the server's connections race for the room, and only one may have it.
    const refusal = `${room} is already booked then (Consent)`;
    const pressed = [
      { page: alex.page, request: first },
      { page: sam.page, request: second },
    ];
    await Promise.all(pressed.map(({ page }) => page.getByRole("button", { name: "Schedule and send the invitation" }).click()));
    const outcome = async ({ page }: (typeof pressed)[number]) =>
      /\/coordinator\/sessions\/\d+$/.test(new URL(page.url()).pathname) ? "scheduled" : (await page.getByText(refusal).count()) === 1 ? "refused" : "waiting";
    await expect.poll(async () => (await Promise.all(pressed.map(outcome))).sort()).toEqual(["refused", "scheduled"]);
    const refused = (await outcome(pressed[0]!)) === "refused" ? pressed[0]! : pressed[1]!;
    expect(new URL(refused.page.url()).pathname).toBe(`/coordinator/requests/${refused.request}`);
    const booked = await e2eDb()
      .selectFrom("sessions")
      .innerJoin("rooms", "rooms.id", "sessions.room_id")
      .select("sessions.id")
      .where("rooms.name", "=", room)
      .execute();
    expect(booked).toHaveLength(1);
    for (const p of [sociology, management, alex, sam]) await p.context.close();
  });

  it("a room's access features, a group's access needs, and the room offer putting rooms that meet them first", async () => {
    const coordinator = await newPage(browser, { mobile: true });
    coordinator.page.setDefaultTimeout(15_000);
    await signIn(coordinator.page, await newAccount(["coordinator"]));
    // A room with step-free access and a hearing loop, recorded through the rooms page.
    const equipped = `Looped Room ${run}`;
    await coordinator.page.goto("/coordinator/rooms/new");
    await coordinator.page.getByLabel("Room name or number").fill(equipped);
    await coordinator.page.getByLabel("Building").fill("West Building");
    await coordinator.page.getByLabel("Capacity (people)").fill("30");
    await coordinator.page.getByLabel("Step-free access").check();
    await coordinator.page.getByLabel("Hearing loop").check();
    await accessibleAtBothWidths(coordinator.page);
    await coordinator.page.getByRole("button", { name: "Add room" }).click();
    await coordinator.page.waitForURL("**/coordinator/rooms");
    await expect
      .poll(() =>
        coordinator.page
          .getByRole("row", { name: new RegExp(equipped) })
          .getByText("Step-free access, hearing loop")
          .count(),
      )
      .toBe(1);
    await accessibleAtBothWidths(coordinator.page);
    // A room with neither, which comes first by name and size alone.
    const bare = `A Bare Room ${run}`;
    await createRoom(e2eDb(), { name: bare, building: "West Building", capacity: 30 });

    const booker = await newPage(browser, { mobile: true });
    booker.page.setDefaultTimeout(15_000);
    await signIn(booker.page, await newBooker("Access Society"));
    const requestId = await requestAsBooker(booker.page, {
      course: "Active Bystander",
      size: "20",
      first: [weekdayAhead(2, 49), "10:00"],
      second: [weekdayAhead(3, 49), "10:00"],
      accessNeeds: ["Step-free access", "Hearing loop"],
      beforeSending: () => accessibleAtBothWidths(booker.page),
    });
    await expect.poll(() => booker.page.getByText("Step-free access, hearing loop").count()).toBe(1);
    await booker.context.close();

    // The offer: the equipped room before the bare one, which says plainly what it lacks.
    await coordinator.page.goto(`/coordinator/requests/${requestId}?slot=1`);
    expect(await coordinator.page.getByText("Rooms (free, big enough and meeting the group's access needs first)").count()).toBe(1);
    const offered = await coordinator.page.getByRole("radio").evaluateAll((inputs) => inputs.map((i) => i.closest("label")?.textContent ?? ""));
    const at = (name: string) => offered.findIndex((text) => text.includes(name));
    expect(at(equipped)).toBeGreaterThanOrEqual(0);
    expect(at(equipped)).toBeLessThan(at(bare));
    expect(
      await coordinator.page.locator("label", { hasText: bare }).getByText("Does not meet the group's needs: no step-free access, no hearing loop").count(),
    ).toBe(1);
    expect(
      await coordinator.page
        .locator("label", { hasText: equipped })
        .getByText(/Does not meet/)
        .count(),
    ).toBe(0);
    await accessibleAtBothWidths(coordinator.page);
    await coordinator.context.close();
    // Six accessibility checks at two widths take their time on a busy machine.
  });
});

/** Axe at a desktop's width and at a phone's, leaving the page at the phone's. */
async function accessibleAtBothWidths(page: Page) {
  await page.setViewportSize({ width: 1280, height: 900 });
  await expectAccessible(page);
  await page.setViewportSize({ width: 390, height: 844 });
  await expectAccessible(page);
}

/** "+01:00" in British Summer Time, "+00:00" otherwise, for a London date at midday. */
function londonOffset(date: string): string {
  const noon = new Date(`${date}T12:00:00Z`);
  const hour = Number(new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", hour: "2-digit", hourCycle: "h23" }).format(noon));
  return hour === 13 ? "+01:00" : "+00:00";
}
