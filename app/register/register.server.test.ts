import { beforeEach, describe, expect, it } from "vitest";
import type { AssignmentStatus, RegistrationStatus, SessionKind } from "#db/schema.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { getDb } from "#app/db.server.ts";
import { MINUTE } from "#app/utils/time.ts";
import { sha256Hex } from "#app/utils/tokens.server.ts";
import { createCourse, createUser } from "#tests/factories.ts";
import { createCoordinator, createTrainer, insertAssignment, insertRegistration, insertSession, outboxTo, pinClock } from "#tests/scheduling-fixtures.ts";
import { addWalkIn, canTakeRegister, closeRegister, getRegister, markAttendance, removeWalkIn, setHeadCount } from "./register.server.ts";
import { rejection } from "#tests/rule-violations.ts";

const db = () => getDb();

// The session under test starts at 14:00 UTC on Wednesday 9 October 2030; the clock starts a week before.
const STARTS = new Date("2030-10-09T14:00:00Z");
beforeEach(() => pinClock("2030-10-02T08:00:00Z"));

let seq = 0;
async function world(opts: { kind?: SessionKind; trainerStatus?: AssignmentStatus } = {}) {
  const courseId = await createCourse(db(), { name: `Active Bystander ${++seq}` });
  const trainer = await createTrainer(db(), { qualifiedFor: [courseId] });
  const sessionId = await insertSession(db(), { courseId, startsAt: STARTS, trainerIds: [trainer.id] });
  await db()
    .updateTable("sessions")
    .set({ kind: opts.kind ?? "open", title: opts.kind === "booked" ? null : "Student leader induction" })
    .where("id", "=", sessionId)
    .execute();
  if (opts.trainerStatus) {
    await db().updateTable("session_trainers").set({ status: opts.trainerStatus }).where("session_id", "=", sessionId).execute();
  }
  return { courseId, trainer, sessionId };
}

async function registerPerson(sessionId: number, name: string, email: string | null, status: RegistrationStatus = "registered") {
  return insertRegistration(db(), sessionId, { name, email, status, manage_token_hash: sha256Hex(`manage-${name}-${sessionId}`) });
}

const registration = (id: number) => db().selectFrom("registrations").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
const registrationsOf = (sessionId: number) => db().selectFrom("registrations").selectAll().where("session_id", "=", sessionId).orderBy("id").execute();
const sessionRow = (id: number) => db().selectFrom("sessions").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
const during = () => pinClock(new Date(STARTS.getTime() + 30 * MINUTE));

describe("who may take the register", () => {
  it("lets the session's own trainers and any coordinator in, and no one else", async () => {
    const { sessionId, trainer, courseId } = await world();
    const other = await createTrainer(db(), { qualifiedFor: [courseId] });
    const coordinator = await createCoordinator(db());
    const booker = await createUser(db(), { roles: ["booker"] });
    expect(await canTakeRegister(db(), trainer, sessionId)).toBe(true);
    expect(await canTakeRegister(db(), coordinator, sessionId)).toBe(true);
    expect(await canTakeRegister(db(), other, sessionId)).toBe(false);
    expect(await canTakeRegister(db(), booker, sessionId)).toBe(false);

    const amira = await registerPerson(sessionId, "Amira Hussain", "amira@students.example");
    const refused = await rejection(markAttendance(db(), other, { sessionId, registrationId: amira, present: true }));
    expect(refused.field).toBe("forbidden");
    await rejection(addWalkIn(db(), other, { sessionId, name: "Sneaky", email: null, clientKey: "abcdefgh12345678" }));
    await rejection(closeRegister(db(), other, sessionId));
    expect((await registration(amira)).attendance).toBe("unknown");
  });

  it("counts a trainer who has not answered yet, but not one who declined", async () => {
    const assigned = await world({ trainerStatus: "assigned" });
    expect(await canTakeRegister(db(), assigned.trainer, assigned.sessionId)).toBe(true);
    const declined = await world({ trainerStatus: "declined" });
    expect(await canTakeRegister(db(), declined.trainer, declined.sessionId)).toBe(false);
  });
});

describe("reading the register", () => {
  it("is refused to anyone who may not take it, whether or not the session exists", async () => {
    const { sessionId, courseId } = await world();
    const other = await createTrainer(db(), { qualifiedFor: [courseId] });
    expect((await rejection(getRegister(db(), other, sessionId))).field).toBe("forbidden");
    expect((await rejection(getRegister(db(), other, 999_999))).field).toBe("forbidden");
    expect((await rejection(getRegister(db(), await createCoordinator(db()), 999_999))).field).toBe("not_found");
  });

  it("may be closed from the start, not before, and says whether that time has come", async () => {
    const { sessionId, trainer } = await world();
    pinClock(new Date(STARTS.getTime() - MINUTE));
    const before = await getRegister(db(), trainer, sessionId);
    expect(before.closableFrom.toISOString()).toBe(STARTS.toISOString());
    expect(before.closableNow).toBe(false);
    pinClock(STARTS);
    expect((await getRegister(db(), trainer, sessionId)).closableNow).toBe(true);
  });

  it("is open, closed or cancelled, and has a head count only for a group booking", async () => {
    const booked = await world({ kind: "booked" });
    during();
    await setHeadCount(db(), booked.trainer, { sessionId: booked.sessionId, count: 12 });
    expect(await getRegister(db(), booked.trainer, booked.sessionId)).toMatchObject({ state: "open", headCount: 12, onSession: true });

    const open = await world();
    await db().updateTable("sessions").set({ head_count: 7 }).where("id", "=", open.sessionId).execute();
    expect((await getRegister(db(), open.trainer, open.sessionId)).headCount).toBeNull();
    expect((await getRegister(db(), await createCoordinator(db()), open.sessionId)).onSession).toBe(false);
    await db().updateTable("sessions").set({ status: "delivered" }).where("id", "=", open.sessionId).execute();
    expect((await getRegister(db(), open.trainer, open.sessionId)).state).toBe("closed");
    await db().updateTable("sessions").set({ status: "cancelled" }).where("id", "=", open.sessionId).execute();
    expect((await getRegister(db(), open.trainer, open.sessionId)).state).toBe("cancelled");
  });
});

describe("marking people present", () => {
  it("is idempotent, can be taken back, and only touches this session's people", async () => {
    const { sessionId, trainer } = await world();
    const amira = await registerPerson(sessionId, "Amira Hussain", "amira@students.example");
    await markAttendance(db(), trainer, { sessionId, registrationId: amira, present: true });
    await markAttendance(db(), trainer, { sessionId, registrationId: amira, present: true });
    expect((await registration(amira)).attendance).toBe("present");
    await markAttendance(db(), trainer, { sessionId, registrationId: amira, present: false });
    expect((await registration(amira)).attendance).toBe("unknown");

    const elsewhere = await world();
    const stranger = await registerPerson(elsewhere.sessionId, "Ben Carter", "ben@students.example");
    const refused = await rejection(markAttendance(db(), trainer, { sessionId, registrationId: stranger, present: true }));
    expect(refused.field).toBe("not_found");
    expect((await registration(stranger)).attendance).toBe("unknown");

    const waiting = await registerPerson(sessionId, "Chen Wei", "chen@students.example", "waiting");
    await rejection(markAttendance(db(), trainer, { sessionId, registrationId: waiting, present: true }));
  });

  it("finds a walk-in by the key the phone made for them, only on the session they were added to", async () => {
    const { sessionId, trainer } = await world();
    const added = await addWalkIn(db(), trainer, { sessionId, name: "Kai Walker", email: null, clientKey: "walk-in-key-kai" });
    expect(await markAttendance(db(), trainer, { sessionId, clientKey: "walk-in-key-kai", present: false })).toEqual({
      registrationId: added.registrationId,
      attendance: "unknown",
    });
    expect((await registration(added.registrationId)).attendance).toBe("unknown");

    const elsewhere = await world();
    await insertAssignment(db(), elsewhere.sessionId, trainer.id);
    const refused = await rejection(markAttendance(db(), trainer, { sessionId: elsewhere.sessionId, clientKey: "walk-in-key-kai", present: true }));
    expect(refused.field).toBe("not_found");
    expect((await registration(added.registrationId)).attendance).toBe("unknown");
  });

  it("is refused once the register is closed", async () => {
    const { sessionId, trainer } = await world();
    const amira = await registerPerson(sessionId, "Amira Hussain", "amira@students.example");
    during();
    await closeRegister(db(), trainer, sessionId);
    const refused = await rejection(markAttendance(db(), trainer, { sessionId, registrationId: amira, present: true }));
    expect(refused.field).toBe("closed");
    expect(refused.message).toMatch(/register was closed/);
    expect((await registration(amira)).attendance).toBe("absent");
  });
});

describe("walk-ins", () => {
  it("adds one person for two requests with the same key, present, with the key stored hashed", async () => {
    const { sessionId, trainer } = await world();
    const key = "k3y-for-walk-in-0001";
    const first = await addWalkIn(db(), trainer, { sessionId, name: "Dara O'Neill", email: "Dara@Students.example", clientKey: key });
    const again = await addWalkIn(db(), trainer, { sessionId, name: "Dara O'Neill", email: "dara@students.example", clientKey: key });
    expect(again).toEqual(first);
    expect(first.outcome).toBe("added");
    const rows = await registrationsOf(sessionId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ name: "Dara O'Neill", email: "dara@students.example", status: "registered", walk_in: 1, attendance: "present" });
    expect(rows[0]!.manage_token_hash).toBe(sha256Hex(`walkin:${key}`));

    // A different key is a different person, even with no email.
    await addWalkIn(db(), trainer, { sessionId, name: "Ella Morris", email: null, clientKey: "k3y-for-walk-in-0002" });
    expect(await registrationsOf(sessionId)).toHaveLength(2);
  });

  it("marks an already registered (or waiting) email present instead of adding a second place", async () => {
    const { sessionId, trainer } = await world();
    const femi = await registerPerson(sessionId, "Femi Adeyemi", "femi@students.example");
    const grace = await registerPerson(sessionId, "Grace Kim", "grace@students.example", "waiting");
    const matched = await addWalkIn(db(), trainer, { sessionId, name: "Femi A", email: "FEMI@students.example", clientKey: "walk-in-key-femi" });
    expect(matched).toEqual({ registrationId: femi, outcome: "matched" });
    expect((await registration(femi)).attendance).toBe("present");
    expect((await registration(femi)).name).toBe("Femi Adeyemi");

    const fromWaiting = await addWalkIn(db(), trainer, { sessionId, name: "Grace Kim", email: "grace@students.example", clientKey: "walk-in-key-grace" });
    expect(fromWaiting).toEqual({ registrationId: grace, outcome: "matched" });
    expect(await registration(grace)).toMatchObject({ status: "registered", attendance: "present" });
    expect(await registrationsOf(sessionId)).toHaveLength(2);
  });

  it("can be taken back while the register is open, and not after", async () => {
    const { sessionId, trainer } = await world();
    await addWalkIn(db(), trainer, { sessionId, name: "Harry Patel", email: null, clientKey: "walk-in-key-harry" });
    expect(await removeWalkIn(db(), trainer, { sessionId, clientKey: "walk-in-key-harry" })).toEqual({ removed: true });
    expect(await removeWalkIn(db(), trainer, { sessionId, clientKey: "walk-in-key-harry" })).toEqual({ removed: false });
    expect(await registrationsOf(sessionId)).toHaveLength(0);

    await addWalkIn(db(), trainer, { sessionId, name: "Isla Brown", email: null, clientKey: "walk-in-key-isla" });
    during();
    await closeRegister(db(), trainer, sessionId);
    await rejection(removeWalkIn(db(), trainer, { sessionId, clientKey: "walk-in-key-isla" }));
    await rejection(addWalkIn(db(), trainer, { sessionId, name: "Jack Evans", email: null, clientKey: "walk-in-key-jack" }));
    expect(await registrationsOf(sessionId)).toHaveLength(1);
  });
});

describe("head counts", () => {
  it("are recorded for group bookings, within range, and not for open sessions", async () => {
    const booked = await world({ kind: "booked" });
    during();
    await setHeadCount(db(), booked.trainer, { sessionId: booked.sessionId, count: 23 });
    expect((await sessionRow(booked.sessionId)).head_count).toBe(23);
    expect((await rejection(setHeadCount(db(), booked.trainer, { sessionId: booked.sessionId, count: 2001 }))).field).toBe("count");
    await rejection(setHeadCount(db(), booked.trainer, { sessionId: booked.sessionId, count: -1 }));
    await rejection(setHeadCount(db(), booked.trainer, { sessionId: booked.sessionId, count: 1.5 }));

    const open = await world();
    await rejection(setHeadCount(db(), open.trainer, { sessionId: open.sessionId, count: 10 }));
  });

  it("are refused before the session starts, beside the count, and taken from the start", async () => {
    const booked = await world({ kind: "booked" });
    pinClock(new Date(STARTS.getTime() - MINUTE));
    const early = await rejection(setHeadCount(db(), booked.trainer, { sessionId: booked.sessionId, count: 18 }));
    expect(early.field).toBe("count");
    expect(early.message).toBe("The session has not started yet. You can record the head count from Wed 9 Oct 2030, 15:00.");
    expect((await sessionRow(booked.sessionId)).head_count).toBeNull();
    pinClock(STARTS);
    await setHeadCount(db(), booked.trainer, { sessionId: booked.sessionId, count: 18 });
    expect((await sessionRow(booked.sessionId)).head_count).toBe(18);
  });
});

describe("closing the register", () => {
  it("delivers the session, records no-shows and sends one feedback link to each attendee with an email", async () => {
    const { sessionId, trainer } = await world();
    const amira = await registerPerson(sessionId, "Amira Hussain", "amira@students.example");
    const ben = await registerPerson(sessionId, "Ben Carter", "ben@students.example");
    const chen = await registerPerson(sessionId, "Chen Wei", "chen@students.example");
    const waiting = await registerPerson(sessionId, "Dara O'Neill", "dara@students.example", "waiting");
    await markAttendance(db(), trainer, { sessionId, registrationId: amira, present: true });
    await markAttendance(db(), trainer, { sessionId, registrationId: ben, present: true });
    const walkInNoEmail = await addWalkIn(db(), trainer, { sessionId, name: "Ella Morris", email: null, clientKey: "walk-in-key-ella" });
    const walkIn = await addWalkIn(db(), trainer, { sessionId, name: "Femi Adeyemi", email: "femi@students.example", clientKey: "walk-in-key-femi" });

    during();
    const result = await closeRegister(db(), trainer, sessionId);
    expect(result).toEqual({ present: 4, absent: 1, feedbackRequests: 3 });

    const s = await sessionRow(sessionId);
    expect(s.status).toBe("delivered");
    expect(s.register_closed_at).not.toBeNull();
    expect(s.feedback_code).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect((await registration(chen)).attendance).toBe("absent");
    expect((await registration(waiting)).attendance).toBe("unknown");

    const tokens = await db()
      .selectFrom("feedback_tokens")
      .selectAll()
      .where("registration_id", "in", [amira, ben, chen, waiting, walkInNoEmail.registrationId, walkIn.registrationId])
      .orderBy("registration_id")
      .execute();
    expect(tokens.map((t) => t.registration_id)).toEqual([amira, ben, walkIn.registrationId]);
    for (const t of tokens) {
      expect(t.used_at).toBeNull();
      expect(Date.parse(t.expires_at) - Date.parse(t.created_at)).toBe(30 * 24 * 60 * MINUTE);
    }

    for (const [email, regId] of [
      ["amira@students.example", amira],
      ["ben@students.example", ben],
      ["femi@students.example", walkIn.registrationId],
    ] as const) {
      const mail = await outboxTo(db(), email, "feedback-request");
      expect(mail).toHaveLength(1);
      expect(mail[0]!.subject).toMatch(/^How was Student leader induction\?/);
      expect(mail[0]!.ordering_key).toBe(`registration-${regId}`);
      const token = /http:\/\/localhost:3000\/feedback\/([A-Za-z0-9_-]+)/.exec(mail[0]!.text)?.[1];
      expect(token).toBeDefined();
      const stored = tokens.find((t) => t.registration_id === regId)!;
      // Only the hash is kept: the link's token is not in the database, its SHA-256 is.
      expect(stored.token_hash).toBe(sha256Hex(token!));
      expect(stored.token_hash).not.toBe(token);
    }
    expect(await outboxTo(db(), "chen@students.example", "feedback-request")).toHaveLength(0);
    expect(await outboxTo(db(), "dara@students.example", "feedback-request")).toHaveLength(0);

    const audit = await db()
      .selectFrom("audit_events")
      .selectAll()
      .where("action", "=", "session.register_closed")
      .where("entity_id", "=", String(sessionId))
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor_user_id).toBe(trainer.id);

    const register = await getRegister(db(), trainer, sessionId);
    expect(register.closedAt).toBe(s.register_closed_at);
    expect(register.feedbackRequests).toBe(3);
    expect(register.people.map((p) => p.name)).toEqual(["Amira Hussain", "Ben Carter", "Chen Wei", "Ella Morris", "Femi Adeyemi"]);
  });

  it("refuses to close twice", async () => {
    const { sessionId, trainer } = await world();
    const amira = await registerPerson(sessionId, "Amira Hussain", "amira.twice@students.example");
    await markAttendance(db(), trainer, { sessionId, registrationId: amira, present: true });
    during();
    await closeRegister(db(), trainer, sessionId);
    const refused = await rejection(closeRegister(db(), trainer, sessionId));
    expect(refused.field).toBe("closed");
    expect(await outboxTo(db(), "amira.twice@students.example", "feedback-request")).toHaveLength(1);
    expect(await db().selectFrom("feedback_tokens").select("id").where("registration_id", "=", amira).execute()).toHaveLength(1);
  });

  it("refuses before the session has started, sending nothing, and closes from the start", async () => {
    const { sessionId, trainer } = await world();
    const amira = await registerPerson(sessionId, "Amira Hussain", "amira.early@students.example");
    await markAttendance(db(), trainer, { sessionId, registrationId: amira, present: true });
    pinClock(new Date(STARTS.getTime() - MINUTE));
    const refused = await rejection(closeRegister(db(), trainer, sessionId));
    expect(refused.field).toBe("not_started");
    expect(refused.message).toBe("This session has not started yet. You can close the register from Wed 9 Oct 2030, 15:00, when it starts.");
    expect((await sessionRow(sessionId)).status).toBe("scheduled");
    expect(await outboxTo(db(), "amira.early@students.example", "feedback-request")).toHaveLength(0);

    pinClock(STARTS);
    await closeRegister(db(), trainer, sessionId);
    expect((await sessionRow(sessionId)).status).toBe("delivered");
    expect(await outboxTo(db(), "amira.early@students.example", "feedback-request")).toHaveLength(1);
  });

  it("keeps an existing feedback code, and a coordinator may close a register too", async () => {
    const { sessionId } = await world();
    await db().updateTable("sessions").set({ feedback_code: "already-here" }).where("id", "=", sessionId).execute();
    const coordinator: SessionUser = await createCoordinator(db());
    during();
    expect(await closeRegister(db(), coordinator, sessionId)).toEqual({ present: 0, absent: 0, feedbackRequests: 0 });
    expect((await sessionRow(sessionId)).feedback_code).toBe("already-here");
  });

  it("refuses for a cancelled session, and for one already recorded as delivered without a register", async () => {
    const { sessionId, trainer } = await world();
    await db().updateTable("sessions").set({ status: "cancelled" }).where("id", "=", sessionId).execute();
    during();
    expect((await rejection(closeRegister(db(), trainer, sessionId))).field).toBe("cancelled");

    const earlier = await world();
    await db().updateTable("sessions").set({ status: "delivered" }).where("id", "=", earlier.sessionId).execute();
    expect((await rejection(closeRegister(db(), earlier.trainer, earlier.sessionId))).field).toBe("closed");
    await rejection(addWalkIn(db(), earlier.trainer, { sessionId: earlier.sessionId, name: "Late", email: null, clientKey: "walk-in-key-late" }));
  });
});
