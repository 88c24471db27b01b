import { writeTransaction } from "#app/utils/transaction.server.ts";
import type { Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import { recordAudit } from "#app/audit/audit.server.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { buildPublishedCalendar, type CalendarSession } from "#app/calendar/ical.server.ts";
import { appUrl, calendarSession } from "#app/scheduling/notifications.server.ts";
import { getSessionDetail, getSessionDetails, sessionWhere } from "#app/scheduling/session-detail.server.ts";
import { academicYearOf, londonWallTimeToUtc, termOf, utcToLondonWallTime } from "#app/utils/dates.ts";
import { ACTIVE_ASSIGNMENTS, activeTrainerCount, trainersMissing } from "#app/scheduling/staffing.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { cachedByRecords } from "#app/utils/record-cache.server.ts";
import { addMs, DAY, now, nowIso } from "#app/utils/time.ts";
import { randomToken, sha256Hex } from "#app/utils/tokens.server.ts";

// ---- Sessions and hours -----------------------------------------------------------------------

/** A trainer's sessions (not ones they declined), upcoming first or most recent first. */
export async function listTrainerSessions(db: Kysely<Database>, trainerId: number, when: "upcoming" | "past", limit = 50) {
  const at = nowIso();
  let q = db
    .selectFrom("session_trainers as st")
    .innerJoin("sessions as s", "s.id", "st.session_id")
    .innerJoin("courses as c", "c.id", "s.course_id")
    .leftJoin("organisations as o", "o.id", "s.organisation_id")
    .leftJoin("rooms as r", "r.id", "s.room_id")
    .select([
      "s.id",
      "s.status",
      "s.starts_at",
      "s.ends_at",
      "s.address",
      "s.capacity",
      "st.status as assignment",
      "c.name as course_name",
      "c.colour",
      "o.name as organisation_name",
      "r.name as room_name",
      "r.building",
    ])
    .where("st.trainer_id", "=", trainerId)
    .where("st.status", "!=", "declined")
    .limit(limit);
  q = when === "upcoming" ? q.where("s.ends_at", ">", at).orderBy("s.starts_at") : q.where("s.ends_at", "<=", at).orderBy("s.starts_at", "desc");
  const rows = await q.execute();
  return rows.map((r) => ({ ...r, where: r.room_name ? `${r.room_name}, ${r.building}` : (r.address ?? "") }));
}

/**
 * One session as a trainer may see it. A trainer on it sees what delivering it needs: the place,
 * the group, the booker's contact, the co-trainers' names and answers (never their reasons). A
 * trainer who declined sees only that they declined, when, and their own reason: the booker, the
 * group and its needs are no longer theirs to know. A trainer taken off it, or never on it, sees
 * nothing (null), the same as for a session that does not exist.
 */
export async function trainerSessionView(db: Kysely<Database>, trainer: SessionUser, sessionId: number) {
  const s = await getSessionDetail(db, sessionId);
  const mine = s?.trainers.find((t) => t.id === trainer.id);
  if (!s || !mine) return null;
  const outline = { id: s.id, status: s.status, startsAt: s.startsAt, endsAt: s.endsAt, course: { name: s.course.name } };
  if (mine.status === "declined") return { declined: true as const, session: outline, declineReason: mine.declineReason };
  return {
    declined: false as const,
    session: {
      ...outline,
      capacity: s.capacity,
      cancelReason: s.cancelReason,
      course: { name: s.course.name, description: s.course.description },
      organisation: s.organisation ? { name: s.organisation.name } : null,
      room: s.room ? { accessibilityNotes: s.room.accessibilityNotes } : null,
      where: sessionWhere(s),
      request: s.request
        ? { groupSize: s.request.groupSize, audience: s.request.audience, accessibilityNeeds: s.request.accessibilityNeeds, notes: s.request.notes }
        : null,
      booker: s.booker ? { name: s.booker.name, email: s.booker.email } : null,
      ended: s.endsAt <= nowIso(),
    },
    mine: { status: mine.status },
    coTrainers: s.trainers.filter((t) => t.id !== trainer.id && t.status !== "declined").map((t) => ({ id: t.id, name: t.name, status: t.status })),
    trainersStillNeeded: trainersMissing(s, activeTrainerCount(s.trainers)),
  };
}

/** Hours delivered (sessions that have ended and were not cancelled) this term and this academic year. */
export async function trainerHours(db: Kysely<Database>, trainerId: number) {
  const at = now();
  const year = academicYearOf(at);
  const term = termOf(at);
  const rows = await db
    .selectFrom("session_trainers as st")
    .innerJoin("sessions as s", "s.id", "st.session_id")
    .select(["s.starts_at", "s.duration_minutes"])
    .where("st.trainer_id", "=", trainerId)
    .where("st.status", "in", ACTIVE_ASSIGNMENTS)
    .where("s.status", "!=", "cancelled")
    .where("s.starts_at", ">=", year.start.toISOString())
    .where("s.ends_at", "<=", at.toISOString())
    .execute();
  const sum = (from: Date) => rows.filter((r) => r.starts_at >= from.toISOString()).reduce((m, r) => m + r.duration_minutes, 0) / 60;
  return { term: { label: term.label, hours: sum(term.start) }, year: { label: year.label, hours: sum(year.start) } };
}

// ---- Availability, time off, weekly limit -----------------------------------------------------

export interface AvailabilityWindow {
  weekday: number;
  startTime: string;
  endTime: string;
}

export async function getTrainerPlanning(db: Kysely<Database>, trainerId: number) {
  const [windows, timeOff, profile] = await Promise.all([
    db
      .selectFrom("trainer_availability")
      .select(["weekday", "start_time", "end_time"])
      .where("trainer_id", "=", trainerId)
      .orderBy("weekday")
      .orderBy("start_time")
      .execute(),
    db
      .selectFrom("trainer_time_off")
      .select(["id", "starts_at", "ends_at", "reason"])
      .where("trainer_id", "=", trainerId)
      .where("ends_at", ">", addMs(now(), -30 * DAY).toISOString())
      .orderBy("starts_at")
      .execute(),
    db.selectFrom("trainer_profiles").select(["max_sessions_per_week", "feed_token_created_at"]).where("user_id", "=", trainerId).executeTakeFirst(),
  ]);
  return {
    windows: windows.map((w) => ({ weekday: w.weekday, startTime: w.start_time, endTime: w.end_time })),
    timeOff,
    maxSessionsPerWeek: profile?.max_sessions_per_week ?? null,
    feedCreatedAt: profile?.feed_token_created_at ?? null,
  };
}

/** Replaces a trainer's weekly availability. Windows on one day must not overlap. */
export async function setWeeklyAvailability(db: Kysely<Database>, trainer: SessionUser, windows: AvailabilityWindow[]) {
  for (const w of windows) {
    if (w.startTime >= w.endTime) throw new RuleViolation("windows", "Each window must end after it starts");
  }
  const sorted = [...windows].sort((a, b) => a.weekday - b.weekday || a.startTime.localeCompare(b.startTime));
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1]!;
    const b = sorted[i]!;
    if (a.weekday === b.weekday && b.startTime < a.endTime) throw new RuleViolation("windows", "Two windows on the same day overlap");
  }
  await writeTransaction(db, async (trx) => {
    await trx.deleteFrom("trainer_availability").where("trainer_id", "=", trainer.id).execute();
    if (sorted.length) {
      await trx
        .insertInto("trainer_availability")
        .values(sorted.map((w) => ({ trainer_id: trainer.id, weekday: w.weekday, start_time: w.startTime, end_time: w.endTime })))
        .execute();
    }
    await recordAudit(trx, {
      actorUserId: trainer.id,
      action: "trainer.availability_changed",
      entityType: "user",
      entityId: trainer.id,
      summary: `${trainer.name} changed their weekly availability`,
    });
  });
}

export async function addTimeOff(db: Kysely<Database>, trainer: SessionUser, input: { startsAt: Date; endsAt: Date; reason: string | null }) {
  if (input.endsAt <= input.startsAt) throw new RuleViolation("endDate", "Time off must end after it starts");
  await writeTransaction(db, async (trx) => {
    await trx
      .insertInto("trainer_time_off")
      .values({
        trainer_id: trainer.id,
        starts_at: input.startsAt.toISOString(),
        ends_at: input.endsAt.toISOString(),
        reason: input.reason,
        created_at: nowIso(),
      })
      .execute();
    await recordAudit(trx, {
      actorUserId: trainer.id,
      action: "trainer.time_off_added",
      entityType: "user",
      entityId: trainer.id,
      summary: `${trainer.name} added time off`,
    });
  });
}

export async function removeTimeOff(db: Kysely<Database>, trainer: SessionUser, timeOffId: number) {
  await writeTransaction(db, async (trx) => {
    const removed = await trx.deleteFrom("trainer_time_off").where("id", "=", timeOffId).where("trainer_id", "=", trainer.id).executeTakeFirst();
    if (Number(removed.numDeletedRows) > 0) {
      await recordAudit(trx, {
        actorUserId: trainer.id,
        action: "trainer.time_off_removed",
        entityType: "user",
        entityId: trainer.id,
        summary: `${trainer.name} removed time off`,
      });
    }
  });
}

// ---- Calendar feed ----------------------------------------------------------------------------

/**
 * A new private feed token, shown once. Only its hash is kept, and issuing a new one replaces the
 * old, which stops working at once.
 */
export async function issueFeedToken(db: Kysely<Database>, trainer: SessionUser): Promise<string> {
  const token = randomToken(32);
  const at = nowIso();
  await db
    .insertInto("trainer_profiles")
    .values({ user_id: trainer.id, feed_token_hash: sha256Hex(token), feed_token_created_at: at })
    .onConflict((oc) => oc.column("user_id").doUpdateSet({ feed_token_hash: sha256Hex(token), feed_token_created_at: at }))
    .execute();
  await recordAudit(db, {
    actorUserId: trainer.id,
    action: "trainer.feed_token_issued",
    entityType: "user",
    entityId: trainer.id,
    summary: `${trainer.name} made a new calendar feed link (the old one stopped working)`,
  });
  return token;
}

export async function revokeFeedToken(db: Kysely<Database>, trainer: SessionUser) {
  await writeTransaction(db, async (trx) => {
    await trx.updateTable("trainer_profiles").set({ feed_token_hash: null, feed_token_created_at: null }).where("user_id", "=", trainer.id).execute();
    await recordAudit(trx, {
      actorUserId: trainer.id,
      action: "trainer.feed_token_revoked",
      entityType: "user",
      entityId: trainer.id,
      summary: `${trainer.name} turned off their calendar feed link`,
    });
  });
}

/** The trainer's published calendar for a feed token, or null for an unknown or replaced token. */
export async function feedForToken(db: Kysely<Database>, token: string): Promise<string | null> {
  if (!token || token.length > 200) return null;
  const owner = await db
    .selectFrom("trainer_profiles")
    .innerJoin("users", "users.id", "trainer_profiles.user_id")
    .select(["users.id", "users.name", "users.is_active"])
    .where("trainer_profiles.feed_token_hash", "=", sha256Hex(token))
    .executeTakeFirst();
  if (!owner || owner.is_active !== 1) return null;
  return trainerCalendar(db, owner);
}

/**
 * A trainer's sessions from 90 days back, as a published calendar. Calendar apps ask for it often
 * and writing it out costs far more than reading it, so it is kept against the record versions (rooms
 * included, since the feed names them) for the London day: the window moves a day at a time.
 */
export function trainerCalendar(db: Kysely<Database>, trainer: { id: number; name: string }): Promise<string> {
  const today = utcToLondonWallTime(now()).date;
  return cachedByRecords(db, `trainer-feed:${trainer.id}:${today}`, ["sessions", "calendar", "reference", "accounts"], async () => {
    const from = londonWallTimeToUtc(
      addMs(new Date(`${today}T12:00:00Z`), -90 * DAY)
        .toISOString()
        .slice(0, 10),
      "00:00",
    );
    const ids = await db
      .selectFrom("session_trainers as st")
      .innerJoin("sessions as s", "s.id", "st.session_id")
      .select("s.id")
      .where("st.trainer_id", "=", trainer.id)
      .where("st.status", "!=", "declined")
      .where("s.starts_at", ">", from.toISOString())
      .orderBy("s.starts_at")
      .execute();
    const sessions: CalendarSession[] = (
      await getSessionDetails(
        db,
        ids.map((r) => r.id),
      )
    ).map((s) => calendarSession(s, appUrl(`/trainer/sessions/${s.id}`)));
    return buildPublishedCalendar(`NeverOK Training: ${trainer.name}`, sessions);
  });
}
