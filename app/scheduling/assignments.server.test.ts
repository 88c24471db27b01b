import ICAL from "ical.js";
import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "#app/db.server.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { raceAcross, separateConnections } from "#tests/connections.ts";
import { createCourse } from "#tests/factories.ts";
import {
  createCoordinator,
  createRoom,
  createTrainer,
  icsAttachment,
  insertSession,
  london,
  londonDate,
  outboxTo,
  pinClock,
  schedulingWorld,
  createRequest,
} from "#tests/scheduling-fixtures.ts";
import { assignTrainer, rankTrainersForSession, removeTrainer, respondToAssignment } from "./assignments.server.ts";
import { listCoordinators } from "./notifications.server.ts";
import { listSessionsNeedingTrainers } from "./queries.server.ts";
import { scheduleRequest } from "./sessions.server.ts";
import { DAY, setClockOffsetForTests } from "#app/utils/time.ts";
import { rejection } from "#tests/rule-violations.ts";

const db = () => getDb();

// Wednesday 2 October 2030, 09:00 London.
beforeEach(() => pinClock("2030-10-02T08:00:00Z"));

/** A scheduled session for a booker, in its own room, on a weekday afternoon `weeksAhead` from now. */
async function scheduledSession(opts: { weeksAhead?: number; weekday?: number; time?: string; trainersNeeded?: number } = {}) {
  const w = await schedulingWorld(db(), { trainersNeeded: opts.trainersNeeded });
  const requestId = await createRequest(db(), { booker: w.booker, organisationId: w.organisationId, courseId: w.courseId });
  const startsAt = london(londonDate(opts.weeksAhead ?? 2, opts.weekday ?? 2), opts.time ?? "14:00");
  const sessionId = await scheduleRequest(db(), w.coordinator, { requestId, startsAt, location: { roomId: await createRoom(db()) } });
  const uid = (await db().selectFrom("sessions").select("ical_uid").where("id", "=", sessionId).executeTakeFirstOrThrow()).ical_uid;
  return { ...w, sessionId, startsAt, uid };
}

const assignment = (sessionId: number, trainerId: number) =>
  db().selectFrom("session_trainers").selectAll().where("session_id", "=", sessionId).where("trainer_id", "=", trainerId).executeTakeFirst();

const sequenceOf = async (sessionId: number) =>
  (await db().selectFrom("sessions").select("ical_sequence").where("id", "=", sessionId).executeTakeFirstOrThrow()).ical_sequence;

function vevent(ics: string) {
  const cal = new ICAL.Component(ICAL.parse(ics));
  const event = cal.getFirstSubcomponent("vevent");
  if (!event) throw new Error("No VEVENT");
  return {
    method: cal.getFirstPropertyValue("method"),
    uid: event.getFirstPropertyValue("uid"),
    sequence: event.getFirstPropertyValue("sequence"),
    status: event.getFirstPropertyValue("status"),
    attendees: event.getAllProperties("attendee").map((p) => String(p.getFirstValue()).toLowerCase()),
  };
}

describe("assignTrainer", () => {
  it("refuses a hard exclusion even with an override reason", async () => {
    const s = await scheduledSession();
    const unqualified = await createTrainer(db(), { qualifiedFor: [await createCourse(db())] });
    const err = await rejection(
      assignTrainer(db(), s.coordinator, { sessionId: s.sessionId, trainerId: unqualified.id, overrideReason: "We are short of trainers" }),
    );
    expect(err.field).toBe("trainerId");
    expect(err.message).toMatch(/not qualified/);

    const busy = await createTrainer(db(), { qualifiedFor: [s.courseId] });
    await insertSession(db(), { courseId: s.courseId, startsAt: s.startsAt, trainerIds: [busy.id] });
    const clash = await rejection(assignTrainer(db(), s.coordinator, { sessionId: s.sessionId, trainerId: busy.id, overrideReason: "They said they can" }));
    expect(clash.field).toBe("trainerId");
    expect(clash.message).toMatch(/already delivering/);

    expect(await assignment(s.sessionId, unqualified.id)).toBeUndefined();
    expect(await assignment(s.sessionId, busy.id)).toBeUndefined();
    expect(await outboxTo(db(), busy.email)).toHaveLength(0);
  });

  it("refuses a soft exclusion without a reason and accepts it with one, keeping the reason", async () => {
    const s = await scheduledSession();
    const mornings = await createTrainer(db(), { qualifiedFor: [s.courseId], availability: [{ weekday: 2, start: "09:00", end: "12:00" }] });
    const err = await rejection(assignTrainer(db(), s.coordinator, { sessionId: s.sessionId, trainerId: mornings.id, overrideReason: "   " }));
    expect(err.field).toBe("overrideReason");
    expect(err.message).toMatch(/outside their weekly availability/);
    expect(await assignment(s.sessionId, mornings.id)).toBeUndefined();

    await assignTrainer(db(), s.coordinator, { sessionId: s.sessionId, trainerId: mornings.id, overrideReason: "Agreed by phone to stay late" });
    expect(await assignment(s.sessionId, mornings.id)).toMatchObject({
      status: "assigned",
      override_reason: "Agreed by phone to stay late",
      assigned_by: s.coordinator.id,
    });
  });

  it("stores no override reason when nothing was overridden, and refuses the same trainer twice", async () => {
    const s = await scheduledSession();
    const trainer = await createTrainer(db(), { qualifiedFor: [s.courseId] });
    await assignTrainer(db(), s.coordinator, { sessionId: s.sessionId, trainerId: trainer.id, overrideReason: "Not needed" });
    expect(await assignment(s.sessionId, trainer.id)).toMatchObject({ status: "assigned", override_reason: null });
    const again = await rejection(assignTrainer(db(), s.coordinator, { sessionId: s.sessionId, trainerId: trainer.id }));
    expect(again.field).toBe("trainerId");
    expect(again.message).toMatch(/already on this session/);
  });

  it("sends the trainer an invitation: template trainer-assigned with a text/calendar; method=REQUEST part", async () => {
    const s = await scheduledSession();
    const trainer = await createTrainer(db(), { qualifiedFor: [s.courseId] });
    const before = await sequenceOf(s.sessionId);
    await assignTrainer(db(), s.coordinator, { sessionId: s.sessionId, trainerId: trainer.id });
    const mails = await outboxTo(db(), trainer.email);
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail!.template).toBe("trainer-assigned");
    expect(mail!.ordering_key).toBe(`session-${s.sessionId}`);
    expect(mail!.raw_mime).toMatch(/Content-Type: text\/calendar;[^\r\n]*method=REQUEST/i);
    const event = vevent(icsAttachment(mail!));
    expect(event).toMatchObject({ method: "REQUEST", uid: s.uid, sequence: before + 1, status: "CONFIRMED", attendees: [`mailto:${trainer.email}`] });
    expect(await sequenceOf(s.sessionId)).toBe(before + 1);
  });

  it("lets only one of two concurrent assignments of one trainer to overlapping sessions through, made in two app processes", async () => {
    const a = await scheduledSession({ weekday: 3, time: "10:00" });
    const b = await scheduledSession({ weekday: 3, time: "11:00" });
    const trainer = await createTrainer(db(), { qualifiedFor: [a.courseId, b.courseId] });
    const results = await raceAcross(separateConnections(2), [
      (conn) => assignTrainer(conn, a.coordinator, { sessionId: a.sessionId, trainerId: trainer.id }),
      (conn) => assignTrainer(conn, b.coordinator, { sessionId: b.sessionId, trainerId: trainer.id, overrideReason: "Even with a reason" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const [rejected] = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(rejected?.reason).toBeInstanceOf(RuleViolation);
    expect((rejected!.reason as RuleViolation).message).toMatch(/already delivering/);
    const rows = await db().selectFrom("session_trainers").select("session_id").where("trainer_id", "=", trainer.id).execute();
    expect(rows).toHaveLength(1);
    expect(await outboxTo(db(), trainer.email, "trainer-assigned")).toHaveLength(1);
  });

  it("ranks candidates for an existing session and shows who is already on it", async () => {
    const s = await scheduledSession();
    const trainer = await createTrainer(db(), { qualifiedFor: [s.courseId] });
    await assignTrainer(db(), s.coordinator, { sessionId: s.sessionId, trainerId: trainer.id });
    const ranked = await rankTrainersForSession(db(), s.sessionId);
    // Its own session is not a clash with itself.
    expect(ranked.find((c) => c.id === trainer.id)).toMatchObject({ assignment: "assigned", exclusions: [] });
  });
});

describe("respondToAssignment", () => {
  it("accepts", async () => {
    const s = await scheduledSession();
    const trainer = await createTrainer(db(), { qualifiedFor: [s.courseId] });
    await assignTrainer(db(), s.coordinator, { sessionId: s.sessionId, trainerId: trainer.id });
    await respondToAssignment(db(), trainer, { sessionId: s.sessionId, response: "accept" });
    const row = await assignment(s.sessionId, trainer.id);
    expect(row?.status).toBe("accepted");
    expect(row?.responded_at).not.toBeNull();
  });

  it("refuses an answer from a trainer who is not on the session", async () => {
    const s = await scheduledSession();
    const stranger = await createTrainer(db(), { qualifiedFor: [s.courseId] });
    const err = await rejection(respondToAssignment(db(), stranger, { sessionId: s.sessionId, response: "accept" }));
    expect(err.message).toMatch(/not assigned/);
  });

  it("declines only with a reason; then cancels the trainer's copy, tells every coordinator and puts the session back in the queue", async () => {
    const s = await scheduledSession();
    const secondCoordinator = await createCoordinator(db());
    const trainer = await createTrainer(db(), { qualifiedFor: [s.courseId] });
    await assignTrainer(db(), s.coordinator, { sessionId: s.sessionId, trainerId: trainer.id });
    expect((await listSessionsNeedingTrainers(db())).map((r) => r.id)).not.toContain(s.sessionId);

    const noReason = await rejection(respondToAssignment(db(), trainer, { sessionId: s.sessionId, response: "decline", reason: "  " }));
    expect(noReason.field).toBe("reason");
    expect((await assignment(s.sessionId, trainer.id))?.status).toBe("assigned");

    const before = await sequenceOf(s.sessionId);
    await respondToAssignment(db(), trainer, { sessionId: s.sessionId, response: "decline", reason: "I am ill that week" });
    expect(await assignment(s.sessionId, trainer.id)).toMatchObject({ status: "declined", decline_reason: "I am ill that week" });
    expect(await sequenceOf(s.sessionId)).toBe(before + 1);

    // The trainer is told they are off it, not that the session is cancelled: it goes ahead.
    expect(await outboxTo(db(), trainer.email, "session-cancelled")).toHaveLength(0);
    const cancels = await outboxTo(db(), trainer.email, "trainer-removed");
    expect(cancels).toHaveLength(1);
    expect(cancels[0]!.subject).toMatch(/^Declined: .*\(it goes ahead without you\)$/);
    expect(cancels[0]!.text).toContain("You declined the session below, so you have been taken off it.");
    expect(cancels[0]!.text).toContain("The session itself is not cancelled: it goes ahead");
    expect(cancels[0]!.text).toContain("Your reason: I am ill that week");
    expect(cancels[0]!.text).not.toMatch(/will not take place|is cancelled\b/i);
    expect(cancels[0]!.raw_mime).toMatch(/Content-Type: text\/calendar;[^\r\n]*method=CANCEL/i);
    expect(vevent(icsAttachment(cancels[0]!))).toMatchObject({
      method: "CANCEL",
      uid: s.uid,
      sequence: before + 1,
      status: "CANCELLED",
      attendees: [`mailto:${trainer.email}`],
    });

    const coordinators = await listCoordinators(db());
    expect(coordinators.map((c) => c.email)).toEqual(expect.arrayContaining([s.coordinator.email, secondCoordinator.email]));
    for (const c of coordinators) {
      const told = (await outboxTo(db(), c.email, "trainer-declined")).filter((m) => m.ordering_key === `session-${s.sessionId}`);
      expect(told, c.email).toHaveLength(1);
      expect(told[0]!.text).toContain("I am ill that week");
      // A note to the coordinator, not an invitation.
      expect(told[0]!.raw_mime).not.toMatch(/text\/calendar/i);
    }

    expect((await listSessionsNeedingTrainers(db())).map((r) => r.id)).toContain(s.sessionId);
    const again = await rejection(respondToAssignment(db(), trainer, { sessionId: s.sessionId, response: "accept" }));
    expect(again.message).toMatch(/already declined/);
  });

  it("asks a trainer who declined afresh when the coordinator assigns them again, clearing their earlier answer", async () => {
    const s = await scheduledSession();
    const trainer = await createTrainer(db(), { qualifiedFor: [s.courseId] });
    await assignTrainer(db(), s.coordinator, { sessionId: s.sessionId, trainerId: trainer.id });
    await respondToAssignment(db(), trainer, { sessionId: s.sessionId, response: "decline", reason: "I am ill that week" });
    await assignTrainer(db(), s.coordinator, { sessionId: s.sessionId, trainerId: trainer.id });
    expect(await assignment(s.sessionId, trainer.id)).toMatchObject({
      status: "assigned",
      assigned_by: s.coordinator.id,
      responded_at: null,
      decline_reason: null,
      override_reason: null,
    });
    expect(await outboxTo(db(), trainer.email, "trainer-assigned")).toHaveLength(2);
  });

  it("drops a session from the queue once it has started, with nothing written in between", async () => {
    const s = await scheduledSession({ weeksAhead: 2 });
    expect((await listSessionsNeedingTrainers(db())).map((r) => r.id)).toContain(s.sessionId);
    try {
      // The list is kept until a write; the clock alone must still take a started session off it.
      setClockOffsetForTests(s.startsAt.getTime() - Date.now() + DAY);
      expect((await listSessionsNeedingTrainers(db())).map((r) => r.id)).not.toContain(s.sessionId);
    } finally {
      setClockOffsetForTests(0);
    }
    expect((await listSessionsNeedingTrainers(db())).map((r) => r.id)).toContain(s.sessionId);
  });

  it("keeps a session with one of two trainers in the queue", async () => {
    const s = await scheduledSession({ trainersNeeded: 2 });
    const [one, two] = [await createTrainer(db(), { qualifiedFor: [s.courseId] }), await createTrainer(db(), { qualifiedFor: [s.courseId] })];
    await assignTrainer(db(), s.coordinator, { sessionId: s.sessionId, trainerId: one.id });
    expect((await listSessionsNeedingTrainers(db())).find((r) => r.id === s.sessionId)).toMatchObject({ trainers_needed: 2, trainer_count: 1 });
    await assignTrainer(db(), s.coordinator, { sessionId: s.sessionId, trainerId: two.id });
    expect((await listSessionsNeedingTrainers(db())).map((r) => r.id)).not.toContain(s.sessionId);
  });
});

describe("removeTrainer", () => {
  it("takes the trainer off and sends them a CANCEL for the session's UID", async () => {
    const s = await scheduledSession();
    const trainer = await createTrainer(db(), { qualifiedFor: [s.courseId] });
    await assignTrainer(db(), s.coordinator, { sessionId: s.sessionId, trainerId: trainer.id });
    await removeTrainer(db(), s.coordinator, { sessionId: s.sessionId, trainerId: trainer.id });
    expect(await assignment(s.sessionId, trainer.id)).toBeUndefined();
    expect(await outboxTo(db(), trainer.email, "session-cancelled")).toHaveLength(0);
    const [cancel, ...more] = await outboxTo(db(), trainer.email, "trainer-removed");
    expect(more).toHaveLength(0);
    expect(cancel!.subject).toMatch(/^You are no longer delivering /);
    expect(cancel!.text).toContain("The coordinator has taken you off the session below.");
    expect(cancel!.text).toContain("The session itself is not cancelled: it goes ahead");
    expect(cancel!.text).not.toMatch(/will not take place/i);
    expect(cancel!.raw_mime).toMatch(/Content-Type: text\/calendar;[^\r\n]*method=CANCEL/i);
    expect(vevent(icsAttachment(cancel!))).toMatchObject({ method: "CANCEL", uid: s.uid, sequence: await sequenceOf(s.sessionId), status: "CANCELLED" });
    const err = await rejection(removeTrainer(db(), s.coordinator, { sessionId: s.sessionId, trainerId: trainer.id }));
    expect(err.message).toMatch(/not on this session/);
  });
});
