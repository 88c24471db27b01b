import { describe, expect, it } from "vitest";
import { getDb } from "#app/db.server.ts";
import { addMs, DAY, HOUR } from "#app/utils/time.ts";
import { allAcross, separateConnections } from "#tests/connections.ts";
import { createRequest, createRoom, createTrainer, london, outboxTo, pinClock, schedulingWorld } from "#tests/scheduling-fixtures.ts";
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
