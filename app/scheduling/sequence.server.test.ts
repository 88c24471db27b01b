import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "#app/db.server.ts";
import { createOpenSession } from "#app/signup/open-sessions.server.ts";
import { cancelRegistration, cancelWithToken, register } from "#app/signup/registrations.server.ts";
import { createUser } from "#tests/factories.ts";
import {
  calendarCopy,
  createTrainer,
  expectEveryCopyNewerThanTheLast,
  london,
  londonDate,
  openSessionInput,
  outboxTo,
  pinClock,
  scheduledBooking,
  schedulingWorld,
  signUpAs,
} from "#tests/scheduling-fixtures.ts";
import { assignTrainer, removeTrainer, respondToAssignment } from "./assignments.server.ts";
import { cancelSession, rescheduleSession } from "./sessions.server.ts";

const db = () => getDb();

beforeEach(() => pinClock("2030-10-02T08:00:00Z"));

/** The calendar copies one person has been sent, oldest first: which method, at which SEQUENCE. */
async function copiesTo(email: string) {
  const messages = await outboxTo(db(), email);
  return messages.filter((m) => m.raw_mime.includes("text/calendar")).map((m) => ({ template: m.template, ...calendarCopy(m) }));
}

function expectRising(copies: { sequence: number }[]) {
  for (let i = 1; i < copies.length; i++) expect(copies[i]!.sequence, `copy ${i + 1}`).toBeGreaterThan(copies[i - 1]!.sequence);
}

const storedSequence = async (sessionId: number) =>
  (await db().selectFrom("sessions").select("ical_sequence").where("id", "=", sessionId).executeTakeFirstOrThrow()).ical_sequence;

describe("a person's copies of a session's event", () => {
  it("rise with every change to their place: sign up, cancel, sign up again, wait, be promoted, cancel", async () => {
    const coordinator = await createUser(db(), { roles: ["coordinator"] });
    const w = await schedulingWorld(db());
    const sessionId = await createOpenSession(db(), coordinator, openSessionInput(w.courseId, { capacity: 1 }));
    const ana = signUpAs("Ana");
    const ben = signUpAs("Ben");

    const first = await register(db(), sessionId, ana);
    if (first.outcome !== "registered") throw new Error("expected a place");
    await register(db(), sessionId, ben); // waiting: no calendar copy
    await cancelWithToken(db(), first.manageToken); // Ana: CANCEL; Ben promoted: REQUEST
    const again = await register(db(), sessionId, ana); // waiting now
    if (again.outcome !== "waiting") throw new Error("expected the waiting list");
    const benRow = await db()
      .selectFrom("registrations")
      .select("id")
      .where("session_id", "=", sessionId)
      .where("email", "=", ben.email)
      .executeTakeFirstOrThrow();
    await cancelRegistration(db(), coordinator, { sessionId, registrationId: benRow.id, reason: "Ben is unwell" }); // Ben: CANCEL; Ana promoted
    await register(db(), sessionId, ben); // Ben waits again: no copy
    await rescheduleSession(db(), coordinator, {
      sessionId,
      startsAt: london(londonDate(2, 4), "10:00"),
      location: { address: "Great Hall" },
      reason: "Bigger room",
    });

    const anas = await copiesTo(ana.email);
    expect(anas.map((c) => [c.template, c.method])).toEqual([
      ["registration-confirmed", "REQUEST"],
      ["registration-cancelled", "CANCEL"],
      ["registration-promoted", "REQUEST"],
      ["session-rescheduled", "REQUEST"],
    ]);
    expectRising(anas);
    const bens = await copiesTo(ben.email);
    expect(bens.map((c) => [c.template, c.method])).toEqual([
      ["registration-promoted", "REQUEST"],
      ["registration-cancelled", "CANCEL"],
    ]);
    expectRising(bens);
    // The latest copy anyone holds is the session's stored SEQUENCE.
    expect(anas.at(-1)!.sequence).toBe(await storedSequence(sessionId));
    expect(await expectEveryCopyNewerThanTheLast(db())).toBeGreaterThan(0);
  });

  it("rise for a trainer assigned, declining, assigned again, taken off and put back", async () => {
    const w = await schedulingWorld(db());
    const { sessionId } = await scheduledBooking(db(), w);
    const trainer = await createTrainer(db(), { qualifiedFor: [w.courseId] });
    await assignTrainer(db(), w.coordinator, { sessionId, trainerId: trainer.id });
    await respondToAssignment(db(), trainer, { sessionId, response: "decline", reason: "Teaching" });
    await assignTrainer(db(), w.coordinator, { sessionId, trainerId: trainer.id });
    await removeTrainer(db(), w.coordinator, { sessionId, trainerId: trainer.id });
    await assignTrainer(db(), w.coordinator, { sessionId, trainerId: trainer.id });
    await cancelSession(db(), w.coordinator, sessionId, "Room flooded");

    const copies = await copiesTo(trainer.email);
    expect(copies.map((c) => c.method)).toEqual(["REQUEST", "CANCEL", "REQUEST", "CANCEL", "REQUEST", "CANCEL"]);
    expectRising(copies);
    const booker = await copiesTo(w.booker.email);
    expect(booker.map((c) => c.method)).toEqual(["REQUEST", "CANCEL"]);
    expectRising(booker);
    await expectEveryCopyNewerThanTheLast(db());
  });

  it("rise when a booker is also on the session as an attendee, whichever way they are told", async () => {
    const w = await schedulingWorld(db());
    const { sessionId } = await scheduledBooking(db(), w, { time: "10:00" });
    // The booker's address also holds a place on the session (named on the register).
    await db()
      .insertInto("registrations")
      .values({
        session_id: sessionId,
        name: w.booker.name,
        email: w.booker.email,
        status: "registered",
        manage_token_hash: null,
        created_at: "2030-10-02T08:00:00.000Z",
      })
      .execute();
    await rescheduleSession(db(), w.coordinator, {
      sessionId,
      startsAt: london(londonDate(2, 3), "10:00"),
      location: { address: "Boat House" },
      reason: "Weather",
    });
    const copies = await copiesTo(w.booker.email);
    expect(copies.map((c) => c.template)).toEqual(["session-scheduled", "session-rescheduled", "session-rescheduled"]);
    // One change, one number: the two copies of the move say the same thing at the same SEQUENCE, above the first.
    expect(copies[1]!.sequence).toBeGreaterThan(copies[0]!.sequence);
    expect(copies[2]!.sequence).toBe(copies[1]!.sequence);
  });
});

describe("one change, one SEQUENCE", () => {
  it("everyone told about one move gets the same number, which the session stores", async () => {
    const w = await schedulingWorld(db());
    const sessionId = await createOpenSession(db(), w.coordinator, openSessionInput(w.courseId, { capacity: 5 }));
    const trainer = await createTrainer(db(), { qualifiedFor: [w.courseId] });
    await assignTrainer(db(), w.coordinator, { sessionId, trainerId: trainer.id });
    const people = [signUpAs("Cat"), signUpAs("Dev"), signUpAs("Eli")];
    for (const p of people) await register(db(), sessionId, p);
    const before = await storedSequence(sessionId);

    await rescheduleSession(db(), w.coordinator, {
      sessionId,
      startsAt: london(londonDate(3, 2), "10:00"),
      location: { address: "Great Hall" },
      reason: "Exams",
    });
    const moved = await db()
      .selectFrom("email_messages")
      .select(["to_address", "attachments_json", "raw_mime"])
      .where("template", "=", "session-rescheduled")
      .execute();
    const mine = moved.filter((m) => [trainer.email, ...people.map((p) => p.email)].includes(m.to_address));
    expect(mine).toHaveLength(4);
    expect(new Set(mine.map((m) => calendarCopy(m).sequence))).toEqual(new Set([before + 1]));
    expect(await storedSequence(sessionId)).toBe(before + 1);
  });
});
