import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "#app/db.server.ts";
import { addMs, DAY, HOUR, MINUTE } from "#app/utils/time.ts";
import { allAcross, separateConnections } from "#tests/connections.ts";
import { createCourse, createUser } from "#tests/factories.ts";
import { icsAttachment, icsLines, london, londonDate, openSessionInput, outboxTo, pinClock } from "#tests/scheduling-fixtures.ts";
import { cancelSession } from "#app/scheduling/sessions.server.ts";
import { createOpenSession } from "./open-sessions.server.ts";
import { cancelRegistration, cancelWithToken, lookupManageToken, promoteByHand, register, seatCounts, signupRefusal } from "./registrations.server.ts";
import type { OpenSessionInput, RegistrationInput } from "./schemas.ts";
import { expectViolation } from "#tests/rule-violations.ts";
import { rowCount } from "#tests/row-counts.ts";

const db = () => getDb();

// Wednesday 2 October 2030, 09:00 London: every session below is in the weeks after it.
const NOW = "2030-10-02T08:00:00Z";
beforeEach(() => pinClock(NOW));

let seq = 0;
const unique = () => `${Date.now()}${++seq}`;

/** An open session published by a coordinator of its own, two weeks ahead on a Wednesday at 10:00. */
async function openSession(overrides: Partial<OpenSessionInput> = {}) {
  const coordinator = await createUser(db(), { roles: ["coordinator"] });
  const courseId = await createCourse(db(), { name: `Active Bystander ${unique()}` });
  const input = openSessionInput(courseId, overrides);
  const id = await createOpenSession(db(), coordinator, input);
  return { id, coordinator, startsAt: london(input.date, input.time) };
}

function person(label = "Person"): RegistrationInput {
  const id = unique();
  return { name: `${label} ${id}`, email: `${label.toLowerCase()}-${id}@example.ac.uk`, studentId: null, accessibilityNeeds: null, answer: null };
}

async function registered(sessionId: number, who = person()) {
  const result = await register(db(), sessionId, who);
  if (result.outcome !== "registered" && result.outcome !== "waiting") throw new Error("expected a new registration");
  return { ...result, who };
}

const rows = (sessionId: number) => db().selectFrom("registrations").selectAll().where("session_id", "=", sessionId).orderBy("id").execute();
const statusOf = async (registrationId: number) =>
  (await db().selectFrom("registrations").select("status").where("id", "=", registrationId).executeTakeFirstOrThrow()).status;
const messageCount = () => rowCount(db(), "email_messages");

function manageToken(text: string): string {
  const match = text.match(/\/registrations\/([A-Za-z0-9_-]+)/);
  if (!match) throw new Error(`No manage link in: ${text}`);
  return match[1]!;
}

describe("register: capacity and the waiting list", () => {
  it("fills the places, then puts people on the waiting list in order of joining", async () => {
    const s = await openSession({ capacity: 3 });
    const outcomes = [];
    for (let i = 0; i < 5; i++) outcomes.push(await register(db(), s.id, person()));
    expect(outcomes.map((o) => o.outcome)).toEqual(["registered", "registered", "registered", "waiting", "waiting"]);
    expect(outcomes.map((o) => ("position" in o ? o.position : undefined))).toEqual([null, null, null, 1, 2]);
    expect((await seatCounts(db(), [s.id])).get(s.id)).toEqual({ registered: 3, waiting: 2 });
    // Waiting people are told their position, and get no calendar invitation yet.
    const fourth = (await rows(s.id))[3]!;
    const [waitingMail] = await outboxTo(db(), fourth.email!, "waiting-list-place");
    expect(waitingMail!.attachments_json).not.toContain("text/calendar");
    expect(await outboxTo(db(), fourth.email!, "registration-confirmed")).toHaveLength(0);
  });

  it("tells the same email address, by email, that it is already registered, with a fresh link to its place; keeps one registration", async () => {
    const s = await openSession();
    const who = person();
    const first = await registered(s.id, who);
    const again = await register(db(), s.id, { ...who, name: "Someone Else" });
    expect(again).toEqual({ outcome: "already", status: "registered", emailed: true });
    expect(await rows(s.id)).toHaveLength(1);
    // Only the first sign-up wrote a confirmation; the second an email saying so, greeting the name on file.
    expect(await outboxTo(db(), who.email, "registration-confirmed")).toHaveLength(1);
    const [told] = await outboxTo(db(), who.email, "registration-already");
    expect(told!.text).toContain(`Hello ${who.name}`);
    expect(told!.text).not.toContain("Someone Else");
    // Its link manages the place; the earlier link no longer does.
    expect((await lookupManageToken(db(), manageToken(told!.text)))?.registration.id).toBe(first.registrationId);
    expect(await lookupManageToken(db(), first.manageToken)).toBeNull();
  });

  it("tells someone on the waiting list who signs up again, by email, that they are already there", async () => {
    const s = await openSession({ capacity: 1 });
    await registered(s.id);
    const who = person();
    expect((await register(db(), s.id, who)).outcome).toBe("waiting");
    expect(await register(db(), s.id, who)).toEqual({ outcome: "already", status: "waiting", emailed: true });
    expect(await rows(s.id)).toHaveLength(2);
    const [told] = await outboxTo(db(), who.email, "registration-already");
    expect(told!.subject).toMatch(/already on the waiting list/);
  });

  it("emails a person already signed up at most three times an hour, however often someone posts their address", async () => {
    const s = await openSession();
    const who = person();
    await registered(s.id, who);
    const results = [];
    for (let i = 0; i < 6; i++) results.push(await register(db(), s.id, who));
    expect(results.map((r) => r.outcome === "already" && r.emailed)).toEqual([true, true, true, false, false, false]);
    expect(await outboxTo(db(), who.email, "registration-already")).toHaveLength(3);
  });

  it("never gives one place more than the capacity when many sign up at once, through several app processes", async () => {
    const s = await openSession({ capacity: 5 });
    const people = Array.from({ length: 30 }, () => person());
    const results = await allAcross(
      separateConnections(6),
      people.map((p) => (conn) => register(conn, s.id, p)),
    );
    expect(results.filter((r) => r.outcome === "registered")).toHaveLength(5);
    expect(results.filter((r) => r.outcome === "waiting")).toHaveLength(25);
    expect((await seatCounts(db(), [s.id])).get(s.id)).toEqual({ registered: 5, waiting: 25 });
    const positions = results.flatMap((r) => (r.outcome === "waiting" ? [r.position] : [])).sort((a, b) => a! - b!);
    expect(positions).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
  });

  it("the same email sent many times at once, through several app processes, still gives one registration", async () => {
    const s = await openSession({ capacity: 5 });
    const who = person();
    const results = await allAcross(
      separateConnections(5),
      Array.from({ length: 10 }, () => (conn) => register(conn, s.id, who)),
    );
    expect(results.filter((r) => r.outcome === "registered")).toHaveLength(1);
    expect(results.filter((r) => r.outcome === "already")).toHaveLength(9);
    expect(await rows(s.id)).toHaveLength(1);
  });

  it("asks for the student ID where the session asks for it", async () => {
    const s = await openSession({ asksStudentId: "yes" });
    await expectViolation(register(db(), s.id, person()), "studentId", /student ID/);
    expect(await rows(s.id)).toHaveLength(0);
    expect((await register(db(), s.id, { ...person(), studentId: "S2400123" })).outcome).toBe("registered");
  });

  it("keeps only what the session asks for: no student ID or answer it did not ask for", async () => {
    const plain = await openSession();
    await register(db(), plain.id, { ...person(), studentId: "S2400123", answer: "Hall rep" });
    expect(await rows(plain.id)).toMatchObject([{ student_id: null, answer: null }]);
    const asking = await openSession({ asksStudentId: "yes", question: "Which leader role do you hold?" });
    await register(db(), asking.id, { ...person(), studentId: "S2400123", answer: "Hall rep" });
    expect(await rows(asking.id)).toMatchObject([{ student_id: "S2400123", answer: "Hall rep" }]);
  });
});

describe("register: who may sign up, and when", () => {
  it("a domain session refuses other addresses and takes its own", async () => {
    const s = await openSession({ policy: "domain", domain: "bath.ac.uk" });
    await expectViolation(register(db(), s.id, { ...person(), email: "someone@gmail.com" }), "form", /bath\.ac\.uk email addresses/);
    // A look-alike domain is not the domain.
    await expectViolation(register(db(), s.id, { ...person(), email: "someone@notbath.ac.uk" }), "form", /bath\.ac\.uk/);
    expect((await register(db(), s.id, { ...person(), email: `leader-${unique()}@bath.ac.uk` })).outcome).toBe("registered");
    expect(await rows(s.id)).toHaveLength(1);
  });

  it("a list session signs up no one who is not on the list, and tells them so by email, not by the answer", async () => {
    const tag = unique();
    const s = await openSession({ policy: "list", allowlist: `amira-${tag}@students.example.ac.uk\nBen-${tag}@Students.example.ac.uk` });
    const outsider = `chen-${tag}@students.example.ac.uk`;
    expect(await register(db(), s.id, { ...person(), name: "Click here: evil.example", email: outsider })).toEqual({ outcome: "not_invited", emailed: true });
    const [told] = await outboxTo(db(), outsider, "signup-not-invited");
    expect(told!.text).toMatch(/invited list/);
    // What was typed as the name is not repeated to whoever owns the address.
    expect(told!.text).not.toContain("evil.example");
    expect((await register(db(), s.id, { ...person(), email: `ben-${tag}@students.example.ac.uk` })).outcome).toBe("registered");
    expect(await rows(s.id)).toHaveLength(1);
  });

  it("refuses once the sign-up deadline has passed", async () => {
    const date = londonDate(2, 3);
    const s = await openSession({ date, deadlineDate: londonDate(1, 5), deadlineTime: "17:00" });
    expect(await signupRefusal(db(), s.id, null)).toBeNull();
    pinClock(addMs(london(londonDate(1, 5), "17:00"), MINUTE));
    await expectViolation(register(db(), s.id, person()), "form", /Sign-up for this session has closed/);
    expect(await rows(s.id)).toHaveLength(0);
  });

  it("refuses once the session has started, or when it has been cancelled", async () => {
    const s = await openSession();
    pinClock(addMs(s.startsAt, MINUTE));
    await expectViolation(register(db(), s.id, person()), "form", /already started/);
    pinClock(NOW);
    await db().updateTable("sessions").set({ status: "cancelled" }).where("id", "=", s.id).execute();
    await expectViolation(register(db(), s.id, person()), "form", /has been cancelled/);
    await db().updateTable("sessions").set({ status: "delivered" }).where("id", "=", s.id).execute();
    expect(await signupRefusal(db(), s.id, null)).toBe("This session has already taken place.");
  });
});

describe("cancelling and promotion", () => {
  it("a cancelled place goes to the first person waiting, who is emailed the invitation", async () => {
    const s = await openSession({ capacity: 1 });
    const a = await registered(s.id, person("Alex"));
    const first = await registered(s.id, person("Bea"));
    const second = await registered(s.id, person("Cal"));
    expect([first.outcome, second.outcome]).toEqual(["waiting", "waiting"]);

    await cancelWithToken(db(), a.manageToken);

    expect(await statusOf(a.registrationId)).toBe("cancelled");
    const promoted = await db().selectFrom("registrations").selectAll().where("id", "=", first.registrationId).executeTakeFirstOrThrow();
    expect(promoted.status).toBe("registered");
    expect(promoted.promoted_at).not.toBeNull();
    expect(await statusOf(second.registrationId)).toBe("waiting");
    expect((await seatCounts(db(), [s.id])).get(s.id)).toEqual({ registered: 1, waiting: 1 });

    const [mail] = await outboxTo(db(), first.who.email, "registration-promoted");
    expect(mail!.subject).toMatch(/^A place is yours/);
    const ics = icsLines(icsAttachment(mail!));
    expect(ics).toContain("METHOD:REQUEST");
    expect(ics.filter((l) => l.startsWith("ATTENDEE"))).toHaveLength(1);
    expect(ics.find((l) => l.startsWith("ATTENDEE"))?.toLowerCase()).toContain(`:mailto:${first.who.email}`);
    expect(mail!.raw_mime).toMatch(/Content-Type: text\/calendar; charset=utf-8; method=REQUEST/i);

    // The canceller is told, with a calendar CANCEL for the same event.
    const [cancelMail] = await outboxTo(db(), a.who.email, "registration-cancelled");
    const cancelIcs = icsLines(icsAttachment(cancelMail!));
    expect(cancelIcs).toContain("METHOD:CANCEL");
    const uid = (l: string[]) => l.find((x) => x.startsWith("UID:"));
    expect(uid(cancelIcs)).toBe(uid(ics));

    // The promotion email carries a new link that works; the waiting-list link stops working.
    expect(await lookupManageToken(db(), first.manageToken)).toBeNull();
    const found = await lookupManageToken(db(), manageToken(mail!.text));
    expect(found?.registration.id).toBe(first.registrationId);
    expect(found?.registration.status).toBe("registered");
  });

  it("the coordinator cancelling a place also promotes the first person waiting", async () => {
    const s = await openSession({ capacity: 1 });
    const a = await registered(s.id);
    const b = await registered(s.id);
    const done = await cancelRegistration(db(), s.coordinator, { sessionId: s.id, registrationId: a.registrationId, reason: "Asked us by phone." });
    expect(await statusOf(b.registrationId)).toBe("registered");
    // It says who moved up, so the page need not guess from the list.
    expect(done).toEqual({ cancelled: { name: a.who.name, status: "registered" }, firstWaiting: { name: b.who.name, promoted: true, cutoffHours: 2 } });
  });

  it("is for coordinators, or the person through their own link, and needs a reason for the email", async () => {
    const s = await openSession({ capacity: 1 });
    const a = await registered(s.id);
    const trainer = await createUser(db(), { roles: ["trainer"] });
    await expectViolation(
      cancelRegistration(db(), trainer, { sessionId: s.id, registrationId: a.registrationId, reason: "Not mine to cancel" }),
      "forbidden",
      /training coordinator/,
    );
    await expectViolation(cancelRegistration(db(), s.coordinator, { sessionId: s.id, registrationId: a.registrationId, reason: " ok " }), "reason", /reason/);
    expect(await statusOf(a.registrationId)).toBe("registered");
  });

  it("does not promote inside the cut-off before the start: the coordinators are told instead", async () => {
    const s = await openSession({ capacity: 1, promotionCutoffHours: 3 });
    const a = await registered(s.id);
    const b = await registered(s.id);
    pinClock(addMs(s.startsAt, -2 * HOUR));
    const done = await cancelWithToken(db(), a.manageToken);
    expect(done.firstWaiting).toEqual({ name: b.who.name, promoted: false, cutoffHours: 3 });
    expect(await statusOf(a.registrationId)).toBe("cancelled");
    expect(await statusOf(b.registrationId)).toBe("waiting");
    expect(await outboxTo(db(), b.who.email, "registration-promoted")).toHaveLength(0);
    const [told] = await outboxTo(db(), s.coordinator.email, "waiting-list-not-promoted");
    expect(told!.text).toContain(b.who.name);
    expect(told!.text).toMatch(/within 3 hours of the start/);
    expect(told!.text).toMatch(/a place is free, but nobody was moved up/i);
    expect(told!.text).not.toMatch(/trainer|declined/i);
  });

  it("promotes just outside the cut-off", async () => {
    const s = await openSession({ capacity: 1, promotionCutoffHours: 3 });
    const a = await registered(s.id);
    const b = await registered(s.id);
    pinClock(addMs(s.startsAt, -3 * HOUR - MINUTE));
    await cancelWithToken(db(), a.manageToken);
    expect(await statusOf(b.registrationId)).toBe("registered");
  });

  it("does not promote once the session has started", async () => {
    const s = await openSession({ capacity: 1, promotionCutoffHours: 0 });
    const a = await registered(s.id);
    const b = await registered(s.id);
    pinClock(addMs(s.startsAt, 10 * MINUTE));
    await cancelRegistration(db(), s.coordinator, { sessionId: s.id, registrationId: a.registrationId, reason: "Did not come." });
    expect(await statusOf(b.registrationId)).toBe("waiting");
    expect(await outboxTo(db(), b.who.email, "registration-promoted")).toHaveLength(0);
    expect(await outboxTo(db(), s.coordinator.email, "waiting-list-not-promoted")).toHaveLength(1);
  });

  it("leaving the waiting list promotes nobody and moves the people behind up", async () => {
    const s = await openSession({ capacity: 1 });
    await registered(s.id);
    const b = await registered(s.id);
    const c = await registered(s.id);
    expect(c.position).toBe(2);
    expect(await cancelWithToken(db(), b.manageToken)).toEqual({ cancelled: { name: b.who.name, status: "waiting" }, firstWaiting: null });
    expect(await statusOf(b.registrationId)).toBe("cancelled");
    expect(await statusOf(c.registrationId)).toBe("waiting");
    expect((await seatCounts(db(), [s.id])).get(s.id)).toEqual({ registered: 1, waiting: 1 });
    expect((await lookupManageToken(db(), c.manageToken))?.position).toBe(1);
    expect(
      await db()
        .selectFrom("email_messages")
        .select("id")
        .where("template", "=", "registration-promoted")
        .where("to_address", "in", [b.who.email, c.who.email])
        .execute(),
    ).toHaveLength(0);
    // Leaving the list sends no calendar cancel: there was never an invitation.
    const [left] = await outboxTo(db(), b.who.email, "registration-cancelled");
    expect(left!.attachments_json).not.toContain("text/calendar");
    // It says what happened: off the waiting list, with no place and no calendar entry to cancel.
    expect(left!.subject).toMatch(/^Off the waiting list: /);
    expect(left!.text).toMatch(/you are off the waiting list/i);
    expect(left!.text).toContain("You took yourself off the waiting list.");
    expect(left!.text).not.toMatch(/your place is cancelled|attached cancellation/i);
  });

  it("a cancelled session tells each person what it means for them: a place with its calendar cancel, a waiting-list entry without", async () => {
    const s = await openSession({ capacity: 1 });
    const holder = await registered(s.id);
    const waiting = await registered(s.id);
    await cancelSession(db(), s.coordinator, s.id, "The trainer is ill");
    const [toHolder] = await outboxTo(db(), holder.who.email, "session-cancelled");
    expect(toHolder!.text).toContain("The session below will not take place. The attached cancellation removes it from your calendar.");
    expect(icsLines(icsAttachment(toHolder!))).toContain("METHOD:CANCEL");
    const [toWaiting] = await outboxTo(db(), waiting.who.email, "session-cancelled");
    expect(toWaiting!.attachments_json).not.toContain("text/calendar");
    expect(toWaiting!.text).toContain("You were on its waiting list, which is closed with it.");
    expect(toWaiting!.text).not.toMatch(/attached cancellation/i);
  });

  it("someone who cancelled can sign up again, at the end of the waiting list", async () => {
    const s = await openSession({ capacity: 1 });
    await registered(s.id);
    const b = await registered(s.id);
    await registered(s.id);
    await cancelWithToken(db(), b.manageToken);
    const again = await register(db(), s.id, b.who);
    expect(again).toMatchObject({ outcome: "waiting", position: 2 });
  });
});

describe("the manage link", () => {
  it("looking it up changes nothing, however often it is opened", async () => {
    const s = await openSession({ capacity: 1 });
    const a = await registered(s.id);
    await registered(s.id);
    const before = { rows: await rows(s.id), messages: await messageCount() };
    for (let i = 0; i < 3; i++) {
      const found = await lookupManageToken(db(), a.manageToken);
      expect(found?.registration.id).toBe(a.registrationId);
      expect(found?.expired).toBe(false);
    }
    expect({ rows: await rows(s.id), messages: await messageCount() }).toEqual(before);
  });

  it("cancels once; a second cancel with the same link is refused", async () => {
    const s = await openSession();
    const a = await registered(s.id);
    await cancelWithToken(db(), a.manageToken);
    const messages = await messageCount();
    await expectViolation(cancelWithToken(db(), a.manageToken), "form", /already been cancelled/);
    expect(await messageCount()).toBe(messages);
    // The link still opens the page, which shows the place cancelled.
    expect((await lookupManageToken(db(), a.manageToken))?.registration.status).toBe("cancelled");
  });

  it("knows nothing of an unknown token, and stops working a day after the session ends", async () => {
    const s = await openSession();
    const a = await registered(s.id);
    expect(await lookupManageToken(db(), "not-a-real-token")).toBeNull();
    expect(await lookupManageToken(db(), "")).toBeNull();
    const detail = await lookupManageToken(db(), a.manageToken);
    pinClock(addMs(new Date(detail!.session.endsAt), DAY + MINUTE));
    expect((await lookupManageToken(db(), a.manageToken))?.expired).toBe(true);
    await expectViolation(cancelWithToken(db(), a.manageToken), "form", /no longer works/);
    expect(await statusOf(a.registrationId)).toBe("registered");
  });

  it("is stored only as a hash", async () => {
    const s = await openSession();
    const a = await registered(s.id);
    const row = (await rows(s.id))[0]!;
    expect(row.manage_token_hash).not.toBe(a.manageToken);
    expect(row.manage_token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(a.manageToken.length).toBeGreaterThanOrEqual(32);
  });
});

describe("the confirmation email", () => {
  it("has a calendar REQUEST for the session whose only attendee is the registrant, and the manage link", async () => {
    const s = await openSession();
    const other = await registered(s.id);
    const a = await registered(s.id);
    const [mail] = await outboxTo(db(), a.who.email, "registration-confirmed");
    expect(mail!.subject).toMatch(/^You have a place/);
    const ics = icsLines(icsAttachment(mail!));
    expect(ics).toContain("METHOD:REQUEST");
    const session = await db().selectFrom("sessions").select("ical_uid").where("id", "=", s.id).executeTakeFirstOrThrow();
    expect(ics).toContain(`UID:${session.ical_uid}`);
    const attendees = ics.filter((l) => l.startsWith("ATTENDEE"));
    expect(attendees).toHaveLength(1);
    expect(attendees[0]!.toLowerCase()).toContain(`:mailto:${a.who.email}`);
    expect(ics.join("\n")).not.toContain(other.who.email);
    // One message per person: the other registrant's confirmation is their own.
    expect(await outboxTo(db(), a.who.email)).toHaveLength(1);
    expect(manageToken(mail!.text)).toBe(a.manageToken);
    expect(mail!.text).toMatch(/Advice and Support Centre/);
  });
});

describe("a registration asked for through another session", () => {
  it("is neither cancelled nor promoted: the session and the registration must belong together", async () => {
    const s = await openSession({ capacity: 1, promotionCutoffHours: 48 });
    const other = await openSession({ capacity: 1 });
    const a = await registered(s.id);
    const b = await registered(s.id);
    await expectViolation(
      cancelRegistration(db(), s.coordinator, { sessionId: other.id, registrationId: a.registrationId, reason: "Wrong page" }),
      "form",
      /not on this session/,
    );
    await expectViolation(promoteByHand(db(), s.coordinator, { sessionId: other.id, registrationId: b.registrationId }), "form", /not on the waiting list/);
    expect(await statusOf(a.registrationId)).toBe("registered");
    expect(await statusOf(b.registrationId)).toBe("waiting");
  });
});

describe("promoteByHand", () => {
  it("refuses while every place is taken, and moves the person up once a place is free", async () => {
    const s = await openSession({ capacity: 1, promotionCutoffHours: 48 });
    const a = await registered(s.id);
    const b = await registered(s.id);
    const trainer = await createUser(db(), { roles: ["trainer"] });
    await expectViolation(promoteByHand(db(), trainer, { sessionId: s.id, registrationId: b.registrationId }), "forbidden", /training coordinator/);
    await expectViolation(promoteByHand(db(), s.coordinator, { sessionId: s.id, registrationId: b.registrationId }), "form", /Every place is taken/);
    expect(await statusOf(b.registrationId)).toBe("waiting");

    // Inside the cut-off nobody is moved up automatically, so the coordinator does it.
    pinClock(addMs(s.startsAt, -24 * HOUR));
    await cancelWithToken(db(), a.manageToken);
    expect(await statusOf(b.registrationId)).toBe("waiting");
    expect(await promoteByHand(db(), s.coordinator, { sessionId: s.id, registrationId: b.registrationId })).toEqual({ name: b.who.name });
    expect(await statusOf(b.registrationId)).toBe("registered");
    const [mail] = await outboxTo(db(), b.who.email, "registration-promoted");
    expect(icsLines(icsAttachment(mail!))).toContain("METHOD:REQUEST");
    // Not twice.
    await expectViolation(promoteByHand(db(), s.coordinator, { sessionId: s.id, registrationId: b.registrationId }), "form", /not on the waiting list/);
  });

  it("refuses once the session has started", async () => {
    const s = await openSession({ capacity: 1 });
    const a = await registered(s.id);
    const b = await registered(s.id);
    pinClock(addMs(s.startsAt, MINUTE));
    await cancelRegistration(db(), s.coordinator, { sessionId: s.id, registrationId: a.registrationId, reason: "Did not come." });
    await expectViolation(promoteByHand(db(), s.coordinator, { sessionId: s.id, registrationId: b.registrationId }), "form", /has started/);
  });
});
