import { describe, expect, it } from "vitest";
import type { AssignmentStatus, SessionStatus } from "#db/schema.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { getDb } from "#app/db.server.ts";
import { evaluateTrainers } from "#app/scheduling/availability.server.ts";
import { DEFAULT_SETTINGS } from "#app/settings/schemas.ts";
import { londonWallTimeToUtc } from "#app/utils/dates.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { MINUTE, nowIso, setClockOffsetForTests } from "#app/utils/time.ts";
import { insertAssignment } from "#tests/scheduling-fixtures.ts";
import { createCourse, createOrganisation, createUser } from "#tests/factories.ts";
import {
  addTimeOff,
  feedForToken,
  getTrainerPlanning,
  issueFeedToken,
  listTrainerSessions,
  revokeFeedToken,
  setWeeklyAvailability,
  trainerHours,
} from "./trainers.server.ts";

const db = () => getDb();
let uidCounter = 0;

async function qualifiedTrainer(courseId: number): Promise<SessionUser> {
  const trainer = await createUser(db(), { roles: ["trainer"] });
  await db().insertInto("trainer_qualifications").values({ user_id: trainer.id, course_id: courseId, qualified_at: nowIso() }).execute();
  return trainer;
}

/** A session row as scheduling would leave it; the rules under test only read these columns. */
async function insertSession(opts: { courseId: number; startsAt: Date; minutes?: number; status?: SessionStatus }) {
  const minutes = opts.minutes ?? 90;
  const at = nowIso();
  const uid = `t${++uidCounter}-${Date.now().toString(36)}@neverok.example`;
  const row = await db()
    .insertInto("sessions")
    .values({
      course_id: opts.courseId,
      booking_request_id: null,
      organisation_id: await createOrganisation(db()),
      starts_at: opts.startsAt.toISOString(),
      ends_at: new Date(opts.startsAt.getTime() + minutes * MINUTE).toISOString(),
      duration_minutes: minutes,
      room_id: null,
      address: "1 Test Street",
      capacity: 20,
      status: opts.status ?? "scheduled",
      cancel_reason: opts.status === "cancelled" ? "Called off" : null,
      ical_uid: uid,
      created_by: null,
      created_at: at,
      updated_at: at,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return { id: row.id, uid };
}

async function putOn(sessionId: number, trainerId: number, status: AssignmentStatus = "accepted") {
  await insertAssignment(db(), sessionId, trainerId, {
    status,
    responded_at: status === "assigned" ? null : nowIso(),
    decline_reason: status === "declined" ? "Away" : null,
  });
}

/** Moves the app clock so "now" is a fixed London moment. */
function setNow(iso: string) {
  setClockOffsetForTests(new Date(iso).getTime() - Date.now());
}

describe("weekly availability", () => {
  it("refuses a window that ends before it starts", async () => {
    const trainer = await createUser(db(), { roles: ["trainer"] });
    await expect(setWeeklyAvailability(db(), trainer, [{ weekday: 1, startTime: "17:00", endTime: "09:00" }])).rejects.toThrow(RuleViolation);
    await expect(setWeeklyAvailability(db(), trainer, [{ weekday: 1, startTime: "09:00", endTime: "09:00" }])).rejects.toThrow(
      "Each window must end after it starts",
    );
  });

  it("refuses overlapping windows on one day, but not the same hours on different days", async () => {
    const trainer = await createUser(db(), { roles: ["trainer"] });
    await expect(
      setWeeklyAvailability(db(), trainer, [
        { weekday: 2, startTime: "13:00", endTime: "17:00" },
        { weekday: 2, startTime: "09:00", endTime: "13:30" },
      ]),
    ).rejects.toThrow("Two windows on the same day overlap");
    await setWeeklyAvailability(db(), trainer, [
      { weekday: 2, startTime: "09:00", endTime: "13:00" },
      { weekday: 2, startTime: "13:00", endTime: "17:00" },
      { weekday: 3, startTime: "09:00", endTime: "13:00" },
    ]);
    expect((await getTrainerPlanning(db(), trainer.id)).windows).toHaveLength(3);
  });

  it("replaces the previous set rather than adding to it", async () => {
    const trainer = await createUser(db(), { roles: ["trainer"] });
    await setWeeklyAvailability(db(), trainer, [
      { weekday: 1, startTime: "09:00", endTime: "17:00" },
      { weekday: 5, startTime: "10:00", endTime: "12:00" },
    ]);
    await setWeeklyAvailability(db(), trainer, [{ weekday: 3, startTime: "12:00", endTime: "18:00" }]);
    expect((await getTrainerPlanning(db(), trainer.id)).windows).toEqual([{ weekday: 3, startTime: "12:00", endTime: "18:00" }]);
    await setWeeklyAvailability(db(), trainer, []);
    expect((await getTrainerPlanning(db(), trainer.id)).windows).toEqual([]);
  });

  it("a refused change leaves the old week in place", async () => {
    const trainer = await createUser(db(), { roles: ["trainer"] });
    await setWeeklyAvailability(db(), trainer, [{ weekday: 4, startTime: "09:00", endTime: "17:00" }]);
    await expect(setWeeklyAvailability(db(), trainer, [{ weekday: 4, startTime: "18:00", endTime: "08:00" }])).rejects.toThrow(RuleViolation);
    expect((await getTrainerPlanning(db(), trainer.id)).windows).toEqual([{ weekday: 4, startTime: "09:00", endTime: "17:00" }]);
  });
});

describe("time off", () => {
  it("refuses time off that ends before (or when) it starts", async () => {
    const trainer = await createUser(db(), { roles: ["trainer"] });
    const start = londonWallTimeToUtc("2030-03-10", "00:00");
    const err = await addTimeOff(db(), trainer, { startsAt: start, endsAt: londonWallTimeToUtc("2030-03-09", "00:00"), reason: null }).catch((e) => e);
    expect(err).toBeInstanceOf(RuleViolation);
    expect(err.field).toBe("endDate");
    await expect(addTimeOff(db(), trainer, { startsAt: start, endsAt: start, reason: null })).rejects.toThrow(RuleViolation);
    expect((await getTrainerPlanning(db(), trainer.id)).timeOff).toEqual([]);
  });

  it("a trainer on time off over a session is excluded with code time_off, and only that", async () => {
    const course = await createCourse(db());
    const trainer = await qualifiedTrainer(course);
    // Monday 2 Dec 2030, 10:00–11:30 London; available all Monday.
    await setWeeklyAvailability(db(), trainer, [{ weekday: 1, startTime: "09:00", endTime: "17:00" }]);
    const slot = { start: londonWallTimeToUtc("2030-12-02", "10:00"), end: londonWallTimeToUtc("2030-12-02", "11:30") };
    const shape = { courseId: course, slot, place: { kind: "address" as const, address: "1 Test Street" } };
    const before = (await evaluateTrainers(db(), shape, DEFAULT_SETTINGS)).find((c) => c.id === trainer.id)!;
    expect(before.exclusions).toEqual([]);

    await addTimeOff(db(), trainer, {
      startsAt: londonWallTimeToUtc("2030-12-01", "00:00"),
      endsAt: londonWallTimeToUtc("2030-12-03", "00:00"),
      reason: "Annual leave",
    });
    const after = (await evaluateTrainers(db(), shape, DEFAULT_SETTINGS)).find((c) => c.id === trainer.id)!;
    expect(after.exclusions.map((e) => e.code)).toEqual(["time_off"]);
    expect(after.exclusions[0]!.hard).toBe(false);
    expect(after.exclusions[0]!.message).toContain("Annual leave");
  });

  it("time off that ends as the session starts does not exclude the trainer", async () => {
    const course = await createCourse(db());
    const trainer = await qualifiedTrainer(course);
    await setWeeklyAvailability(db(), trainer, [{ weekday: 1, startTime: "00:00", endTime: "23:59" }]);
    await addTimeOff(db(), trainer, { startsAt: londonWallTimeToUtc("2030-12-01", "00:00"), endsAt: londonWallTimeToUtc("2030-12-02", "00:00"), reason: null });
    const slot = { start: londonWallTimeToUtc("2030-12-02", "09:00"), end: londonWallTimeToUtc("2030-12-02", "10:30") };
    const candidate = (await evaluateTrainers(db(), { courseId: course, slot, place: { kind: "address", address: "x" } }, DEFAULT_SETTINGS)).find(
      (c) => c.id === trainer.id,
    )!;
    expect(candidate.exclusions).toEqual([]);
  });
});

describe("the private calendar feed", () => {
  it("a new token's feed has the trainer's session and no ATTENDEE line", async () => {
    const course = await createCourse(db());
    const trainer = await qualifiedTrainer(course);
    const session = await insertSession({ courseId: course, startsAt: new Date(Date.now() + 7 * 86_400_000) });
    await putOn(session.id, trainer.id, "assigned");
    const token = await issueFeedToken(db(), trainer);
    expect(token.length).toBeGreaterThanOrEqual(40);
    const feed = await feedForToken(db(), token);
    expect(feed).toContain("BEGIN:VCALENDAR");
    expect(feed).toContain(`UID:${session.uid}`);
    expect(feed).not.toContain("ATTENDEE");
    expect(feed).not.toContain("METHOD:");
    expect(feed).not.toContain(trainer.email);
  });

  it("keeps only a hash of the token", async () => {
    const trainer = await createUser(db(), { roles: ["trainer"] });
    const token = await issueFeedToken(db(), trainer);
    const row = await db().selectFrom("trainer_profiles").selectAll().where("user_id", "=", trainer.id).executeTakeFirstOrThrow();
    expect(row.feed_token_hash).not.toContain(token);
    expect(JSON.stringify(row)).not.toContain(token);
  });

  it("issuing a new token stops the old one; revoking stops the new one", async () => {
    const trainer = await createUser(db(), { roles: ["trainer"] });
    const first = await issueFeedToken(db(), trainer);
    expect(await feedForToken(db(), first)).not.toBeNull();
    const second = await issueFeedToken(db(), trainer);
    expect(second).not.toBe(first);
    expect(await feedForToken(db(), first)).toBeNull();
    expect(await feedForToken(db(), second)).not.toBeNull();
    await revokeFeedToken(db(), trainer);
    expect(await feedForToken(db(), second)).toBeNull();
    expect((await getTrainerPlanning(db(), trainer.id)).feedCreatedAt).toBeNull();
  });

  it("an unknown, empty or absurd token gets null", async () => {
    expect(await feedForToken(db(), "not-a-real-token")).toBeNull();
    expect(await feedForToken(db(), "")).toBeNull();
    expect(await feedForToken(db(), "x".repeat(5000))).toBeNull();
  });

  it("leaves out sessions the trainer declined, and another trainer's sessions", async () => {
    const course = await createCourse(db());
    const trainer = await qualifiedTrainer(course);
    const other = await qualifiedTrainer(course);
    const soon = (days: number) => new Date(Date.now() + days * 86_400_000);
    const accepted = await insertSession({ courseId: course, startsAt: soon(3) });
    const declined = await insertSession({ courseId: course, startsAt: soon(4) });
    const notMine = await insertSession({ courseId: course, startsAt: soon(5) });
    await putOn(accepted.id, trainer.id, "accepted");
    await putOn(declined.id, trainer.id, "declined");
    await putOn(notMine.id, other.id, "accepted");
    const feed = (await feedForToken(db(), await issueFeedToken(db(), trainer)))!;
    expect(feed).toContain(`UID:${accepted.uid}`);
    expect(feed).not.toContain(declined.uid);
    expect(feed).not.toContain(notMine.uid);
  });

  it("a deactivated trainer's feed stops", async () => {
    const trainer = await createUser(db(), { roles: ["trainer"] });
    const token = await issueFeedToken(db(), trainer);
    await db().updateTable("users").set({ is_active: 0 }).where("id", "=", trainer.id).execute();
    expect(await feedForToken(db(), token)).toBeNull();
  });
});

describe("hours delivered", () => {
  it("counts only ended, not-cancelled sessions the trainer did not decline, in this term and this academic year", async () => {
    // Spring term 2026 (January–March), in academic year 2025–26.
    setNow("2026-02-15T12:00:00Z");
    const course = await createCourse(db());
    const trainer = await qualifiedTrainer(course);
    const at = (date: string, time: string) => londonWallTimeToUtc(date, time);
    const sessions: [Date, number, SessionStatus, AssignmentStatus][] = [
      [at("2025-11-10", "10:00"), 90, "delivered", "accepted"], // autumn: this year, not this term
      [at("2026-02-10", "14:00"), 120, "delivered", "accepted"], // this term
      [at("2026-02-11", "14:00"), 60, "scheduled", "assigned"], // this term: ended, though nobody has marked it delivered yet
      [at("2026-02-12", "14:00"), 60, "cancelled", "accepted"], // cancelled
      [at("2026-02-13", "14:00"), 60, "delivered", "declined"], // somebody else delivered it
      [at("2026-02-15", "11:30"), 60, "scheduled", "accepted"], // still going on at noon
      [at("2026-02-20", "10:00"), 90, "scheduled", "accepted"], // upcoming
      [at("2025-06-01", "10:00"), 90, "delivered", "accepted"], // last academic year
    ];
    for (const [startsAt, minutes, status, assignment] of sessions) {
      const s = await insertSession({ courseId: course, startsAt, minutes, status });
      await putOn(s.id, trainer.id, assignment);
    }
    const hours = await trainerHours(db(), trainer.id);
    expect(hours.term).toEqual({ label: "Spring 2026", hours: 3 });
    expect(hours.year).toEqual({ label: "2025–26", hours: 4.5 });
  });

  it("lists upcoming and past sessions apart, leaving out declined ones", async () => {
    setNow("2026-02-15T12:00:00Z");
    const course = await createCourse(db());
    const trainer = await qualifiedTrainer(course);
    const past = await insertSession({ courseId: course, startsAt: londonWallTimeToUtc("2026-02-10", "10:00") });
    const next = await insertSession({ courseId: course, startsAt: londonWallTimeToUtc("2026-02-17", "10:00") });
    const declined = await insertSession({ courseId: course, startsAt: londonWallTimeToUtc("2026-02-18", "10:00") });
    await putOn(past.id, trainer.id);
    await putOn(next.id, trainer.id, "assigned");
    await putOn(declined.id, trainer.id, "declined");
    expect((await listTrainerSessions(db(), trainer.id, "upcoming")).map((s) => [s.id, s.assignment])).toEqual([[next.id, "assigned"]]);
    expect((await listTrainerSessions(db(), trainer.id, "past")).map((s) => s.id)).toEqual([past.id]);
  });
});
