import { describe, expect, it } from "vitest";
import { getDb } from "#app/db.server.ts";
import { createOpenSession } from "#app/signup/open-sessions.server.ts";
import { cancelWithToken, lookupManageToken, register } from "#app/signup/registrations.server.ts";
import { addMs, DAY, HOUR } from "#app/utils/time.ts";
import { allAcross, separateConnections } from "#tests/connections.ts";
import { createRequest, createRoom, createTrainer, london, openSessionInput, outboxTo, pinClock, schedulingWorld } from "#tests/scheduling-fixtures.ts";
import { assignTrainer, respondToAssignment } from "./assignments.server.ts";
import { cancelSession, rescheduleSession, scheduleRequest } from "./sessions.server.ts";
import { sendDueReminders } from "./reminders.server.ts";

const db = () => getDb();

/**
 * A session booked at `bookedAt` for `startsAt`, with a booker, one trainer who accepted and one
 * who declined. Each test uses its own week, so one test's sessions are never due in another's.
 */
async function bookedSession(startsAt: Date, bookedAt: Date) {
  pinClock(bookedAt);
  const w = await schedulingWorld(db());
  const requestId = await createRequest(db(), { booker: w.booker, organisationId: w.organisationId, courseId: w.courseId });
  const sessionId = await scheduleRequest(db(), w.coordinator, { requestId, startsAt, location: { roomId: await createRoom(db()) } });
  const trainer = await createTrainer(db(), { qualifiedFor: [w.courseId] });
  const decliner = await createTrainer(db(), { qualifiedFor: [w.courseId] });
  await assignTrainer(db(), w.coordinator, { sessionId, trainerId: trainer.id });
  await assignTrainer(db(), w.coordinator, { sessionId, trainerId: decliner.id });
  await respondToAssignment(db(), trainer, { sessionId, response: "accept" });
  await respondToAssignment(db(), decliner, { sessionId, response: "decline", reason: "Clash with teaching" });
  return { ...w, sessionId, trainer, decliner };
}

async function remindersFor(sessionId: number) {
  const rows = await db()
    .selectFrom("email_messages")
    .select(["to_address", "raw_mime"])
    .where("template", "=", "session-reminder")
    .where("ordering_key", "=", `session-${sessionId}`)
    .orderBy("to_address")
    .execute();
  return rows;
}

describe("sendDueReminders", () => {
  it("reminds the booker and each active trainer once, however often and however concurrently it runs", async () => {
    // Tuesday 8 October 2030, 10:00 London; booked three days before the reminder run, 20 hours ahead.
    const startsAt = london("2030-10-08", "10:00");
    const s = await bookedSession(startsAt, addMs(startsAt, -(3 * DAY + 20 * HOUR)));
    pinClock(addMs(startsAt, -20 * HOUR));

    expect(await sendDueReminders(db())).toBe(2);
    const sent = await remindersFor(s.sessionId);
    expect(sent.map((r) => r.to_address).sort()).toEqual([s.booker.email, s.trainer.email].sort());
    expect(await outboxTo(db(), s.decliner.email, "session-reminder")).toHaveLength(0);
    // A reminder is a note, not another invitation.
    expect(sent.every((r) => !/text\/calendar/i.test(r.raw_mime))).toBe(true);

    expect(await sendDueReminders(db())).toBe(0);
    expect(await allAcross(separateConnections(2), [sendDueReminders, sendDueReminders])).toEqual([0, 0]);
    expect(await remindersFor(s.sessionId)).toHaveLength(2);
  });

  it("sends each reminder once when the first two runs, in two processes, overlap", async () => {
    const startsAt = london("2030-10-15", "10:00");
    const s = await bookedSession(startsAt, addMs(startsAt, -3 * DAY));
    pinClock(addMs(startsAt, -20 * HOUR));
    const counts = await allAcross(separateConnections(2), [sendDueReminders, sendDueReminders]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(2);
    expect((await remindersFor(s.sessionId)).map((r) => r.to_address).sort()).toEqual([s.booker.email, s.trainer.email].sort());
    const claimed = await db().selectFrom("reminders_sent").select("recipient_email").where("session_id", "=", s.sessionId).execute();
    expect(claimed).toHaveLength(2);
  });

  it("sends none for a session booked inside the reminder window", async () => {
    const startsAt = london("2030-10-22", "10:00");
    const s = await bookedSession(startsAt, addMs(startsAt, -2 * HOUR));
    pinClock(addMs(startsAt, -HOUR));
    expect(await sendDueReminders(db())).toBe(0);
    expect(await remindersFor(s.sessionId)).toHaveLength(0);
  });

  it("sends none for a cancelled session", async () => {
    const startsAt = london("2030-10-29", "10:00");
    const s = await bookedSession(startsAt, addMs(startsAt, -3 * DAY));
    await cancelSession(db(), s.coordinator, s.sessionId, "Speaker unwell");
    pinClock(addMs(startsAt, -20 * HOUR));
    expect(await sendDueReminders(db())).toBe(0);
    expect(await remindersFor(s.sessionId)).toHaveLength(0);
  });

  it("sends none yet 30 hours ahead, and sends them once the session is within 24 hours", async () => {
    const startsAt = london("2030-11-05", "10:00");
    const s = await bookedSession(startsAt, addMs(startsAt, -5 * DAY));
    pinClock(addMs(startsAt, -30 * HOUR));
    expect(await sendDueReminders(db())).toBe(0);
    expect(await remindersFor(s.sessionId)).toHaveLength(0);
    pinClock(addMs(startsAt, -23 * HOUR));
    expect(await sendDueReminders(db())).toBe(2);
    // Once it has started, nothing more.
    pinClock(addMs(startsAt, HOUR));
    expect(await sendDueReminders(db())).toBe(0);
  });

  // Known gap: reminders_sent is keyed by (session, recipient) only, so after a move the claim from
  // the old time blocks the reminder for the new one. Flip to `it` once a move clears or re-keys it.
  it("reminds again before the new time when a session is moved after its reminder went out", async () => {
    const startsAt = london("2030-11-12", "10:00");
    const s = await bookedSession(startsAt, addMs(startsAt, -5 * DAY));
    pinClock(addMs(startsAt, -20 * HOUR));
    expect(await sendDueReminders(db())).toBe(2);
    const movedTo = london("2030-11-19", "10:00");
    await rescheduleSession(db(), s.coordinator, { sessionId: s.sessionId, startsAt: movedTo, location: { address: "Boat House" }, reason: "Speaker ill" });
    pinClock(addMs(movedTo, -20 * HOUR));
    expect(await sendDueReminders(db())).toBe(2);
  });
});

describe("reminders to people with a place", () => {
  /** An open session on `date` at 10:00, published three days before its reminder time, with a trainer. */
  async function openSessionWithPeople(date: string, people: number, capacity: number) {
    const startsAt = london(date, "10:00");
    pinClock(addMs(startsAt, -4 * DAY));
    const w = await schedulingWorld(db());
    const sessionId = await createOpenSession(db(), w.coordinator, openSessionInput(w.courseId, { date, time: "10:00", capacity }));
    const trainer = await createTrainer(db(), { qualifiedFor: [w.courseId] });
    await assignTrainer(db(), w.coordinator, { sessionId, trainerId: trainer.id });
    const signedUp = [];
    for (let i = 0; i < people; i++) {
      const who = { name: `Person ${i} ${date}`, email: `person-${i}-${date}@example.ac.uk`, studentId: null, accessibilityNeeds: null, answer: null };
      signedUp.push({ ...who, outcome: await register(db(), sessionId, who) });
    }
    return { ...w, sessionId, startsAt, trainer, signedUp };
  }

  it("each gets a reminder of their own, with a link to cancel their place that works; nobody waiting or cancelled is reminded", async () => {
    const s = await openSessionWithPeople("2030-12-03", 4, 3);
    const [ana, ben, cat, dev] = s.signedUp;
    // Cat gives up her place; Dev, waiting, is moved into it.
    const catToken = cat!.outcome.outcome === "registered" ? cat!.outcome.manageToken : "";
    await cancelWithToken(db(), catToken);
    const eli = { name: "Eli", email: "eli-2030-12-03@example.ac.uk", studentId: null, accessibilityNeeds: null, answer: null };
    expect((await register(db(), s.sessionId, eli)).outcome).toBe("waiting");

    pinClock(addMs(s.startsAt, -20 * HOUR));
    expect(await sendDueReminders(db())).toBe(4);
    for (const person of [ana!, ben!, dev!]) {
      const [reminder, ...more] = await outboxTo(db(), person.email, "place-reminder");
      expect(more).toHaveLength(0);
      expect(reminder!.subject).toMatch(/^Reminder: your place on /);
      expect(reminder!.text).toMatch(/If you can no longer come, please cancel your place now/);
      expect(reminder!.text).not.toMatch(/your group|let everyone know/i);
      expect(reminder!.raw_mime).not.toMatch(/text\/calendar/i);
      const registration = await db()
        .selectFrom("registrations")
        .select("id")
        .where("session_id", "=", s.sessionId)
        .where("email", "=", person.email)
        .executeTakeFirstOrThrow();
      expect(reminder!.ordering_key).toBe(`registration-${registration.id}`);
      const token = /\/registrations\/([A-Za-z0-9_-]{40,})/.exec(reminder!.text)![1]!;
      const found = await lookupManageToken(db(), token);
      expect(found?.registration.id).toBe(registration.id);
      expect(found?.registration.status).toBe("registered");
    }
    for (const person of [cat!, eli]) expect(await outboxTo(db(), person.email, "place-reminder")).toHaveLength(0);
    const [trainerReminder] = await outboxTo(db(), s.trainer.email, "session-reminder");
    expect(trainerReminder!.text).toMatch(/you are delivering the session below/);
    // The link in the reminder works to the end: cancelling from it frees the place for Eli.
    const anaToken = /\/registrations\/([A-Za-z0-9_-]{40,})/.exec((await outboxTo(db(), ana!.email, "place-reminder"))[0]!.text)![1]!;
    await cancelWithToken(db(), anaToken);
    expect(await outboxTo(db(), eli.email, "registration-promoted")).toHaveLength(1);
    // Eli now holds a place she has not been reminded of; nobody else is reminded twice.
    expect(await sendDueReminders(db())).toBe(1);
    expect(await outboxTo(db(), eli.email, "place-reminder")).toHaveLength(1);
    expect(await sendDueReminders(db())).toBe(0);
  });

  it("reads no more of the database for many people than for one", async () => {
    const reads = async (date: string, people: number) => {
      const s = await openSessionWithPeople(date, people, 10);
      pinClock(addMs(s.startsAt, -20 * HOUR));
      let selects = 0;
      const counted = db().withPlugin({
        transformQuery: (args) => {
          if (args.node.kind === "SelectQueryNode") selects++;
          return args.node;
        },
        transformResult: async (args) => args.result,
      });
      expect(await sendDueReminders(counted)).toBe(people + 1);
      return selects;
    };
    expect(await reads("2030-12-10", 8)).toBe(await reads("2030-12-17", 1));
  });
});
