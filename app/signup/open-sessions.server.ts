import { sql, type Kysely } from "kysely";
import type { Database, SessionStatus } from "#db/schema.ts";
import { writeTransaction } from "#app/utils/transaction.server.ts";
import { recordAudit } from "#app/audit/audit.server.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { newSessionUid } from "#app/calendar/ical.server.ts";
import { roomRefusal } from "#app/scheduling/availability.server.ts";
import { refuseSessionTime } from "#app/scheduling/closures.server.ts";
import { locationOf } from "#app/scheduling/schemas.ts";
import { londonMoment } from "#app/utils/date-fields.ts";
import { formatRange, londonWallTimeToUtc } from "#app/utils/dates.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { pageWindow } from "#app/utils/paging.ts";
import { addMs, DAY, MINUTE, now, nowIso } from "#app/utils/time.ts";
import { OpenSessionFilterSchema, type OpenSessionInput } from "./schemas.ts";
import { seatCounts } from "./registrations.server.ts";
import { plural } from "#app/utils/plural.ts";

/** Emails pasted one per line (or separated by commas or spaces), lower-cased, without repeats. */
export function parseAllowlist(text: string | null): string[] {
  if (!text) return [];
  return Array.from(
    new Set(
      text
        .split(/[\s,;]+/)
        .map((e) => e.trim().toLowerCase())
        .filter((e) => /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(e)),
    ),
  );
}

/**
 * Publishes a session individuals sign up to: no more places than the course takes, on a day the
 * university is open, in a room checked like any other booking.
 */
export async function createOpenSession(db: Kysely<Database>, actor: SessionUser, input: OpenSessionInput): Promise<number> {
  const course = await db.selectFrom("courses").selectAll().where("id", "=", input.courseId).where("is_archived", "=", 0).executeTakeFirst();
  if (!course) throw new RuleViolation("courseId", "Choose a course from the list");
  if (input.capacity > course.max_group_size)
    throw new RuleViolation("capacity", `${course.name} takes at most ${course.max_group_size} people: offer ${course.max_group_size} places or fewer`);
  const start = londonMoment(input.date, input.time, { date: "date", time: "time" });
  const end = addMs(start, course.duration_minutes * MINUTE);
  await refuseSessionTime(db, { start, end }, "date");
  const deadline =
    input.deadlineDate && input.deadlineTime ? londonMoment(input.deadlineDate, input.deadlineTime, { date: "deadlineDate", time: "deadlineTime" }) : null;
  if (deadline && deadline > start) throw new RuleViolation("deadlineDate", "Sign-up must close before the session starts");
  if (deadline && deadline <= now()) throw new RuleViolation("deadlineDate", "That time has passed: sign-up would be closed from the start");
  const allowlist = input.policy === "list" ? parseAllowlist(input.allowlist) : [];
  if (input.policy === "list" && allowlist.length === 0) throw new RuleViolation("allowlist", "We found no email addresses in the list");
  const location = locationOf(input.place, input.address);
  const roomId = "roomId" in location ? location.roomId : null;
  return writeTransaction(db, async (trx) => {
    if (roomId) {
      const refusal = await roomRefusal(trx, roomId, { start, end }, input.capacity);
      if (refusal) throw new RuleViolation("place", refusal);
    }
    const at = nowIso();
    const row = await trx
      .insertInto("sessions")
      .values({
        course_id: course.id,
        booking_request_id: null,
        organisation_id: null,
        starts_at: start.toISOString(),
        ends_at: end.toISOString(),
        duration_minutes: course.duration_minutes,
        room_id: roomId,
        address: roomId ? null : input.address,
        capacity: input.capacity,
        trainers_needed: course.trainers_needed,
        status: "scheduled",
        cancel_reason: null,
        ical_uid: newSessionUid(),
        created_by: actor.id,
        created_at: at,
        updated_at: at,
        kind: "open",
        title: input.title,
        signup_deadline: deadline?.toISOString() ?? null,
        signup_policy: input.policy,
        signup_domain: input.policy === "domain" ? input.domain : null,
        asks_student_id: input.asksStudentId === "yes" ? 1 : 0,
        question: input.question,
        promotion_cutoff_hours: input.promotionCutoffHours,
        register_closed_at: null,
        head_count: null,
        feedback_code: null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    if (allowlist.length)
      await trx
        .insertInto("signup_allowlist")
        .values(allowlist.map((email) => ({ session_id: row.id, email })))
        .execute();
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: "session.published",
      entityType: "session",
      entityId: row.id,
      summary: `${actor.name} opened ${input.title ?? course.name} for sign-up: ${formatRange(start, end)}, ${plural(input.capacity, "place")}`,
    });
    return row.id;
  });
}

export interface OpenSessionListing {
  id: number;
  title: string | null;
  courseId: number;
  courseName: string;
  courseDescription: string;
  colour: string;
  startsAt: string;
  endsAt: string;
  where: string;
  capacity: number;
  registered: number;
  waiting: number;
  seatsLeft: number;
  signupDeadline: string | null;
  signupPolicy: "anyone" | "list" | "domain";
  signupDomain: string | null;
  asksStudentId: boolean;
  question: string | null;
  accessibilityNotes: string | null;
  status: SessionStatus;
  cancelReason: string | null;
  /** Its sign-up deadline has passed (it may still be ahead). */
  signupClosed: boolean;
}

type OpenSessionFilter = { courseId?: number; from?: Date; to?: Date; sessionId?: number; includePast?: boolean; anyStatus?: boolean };

function openSessionsQuery(db: Kysely<Database>, filter: OpenSessionFilter) {
  let q = db.selectFrom("sessions as s").where("s.kind", "=", "open");
  if (!filter.anyStatus) q = q.where("s.status", "=", "scheduled");
  if (!filter.includePast) q = q.where("s.starts_at", ">", nowIso());
  if (filter.sessionId) q = q.where("s.id", "=", filter.sessionId);
  if (filter.courseId) q = q.where("s.course_id", "=", filter.courseId);
  if (filter.from) q = q.where("s.starts_at", ">=", filter.from.toISOString());
  if (filter.to) q = q.where("s.starts_at", "<", filter.to.toISOString());
  return q;
}

/** How many open sessions match, for paging. */
export async function countOpenSessions(db: Kysely<Database>, filter: OpenSessionFilter = {}): Promise<number> {
  const row = await openSessionsQuery(db, filter)
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The courses that have open sessions still ahead, by name: what the listing can be filtered by. */
export function coursesWithOpenSessions(db: Kysely<Database>) {
  // Each course looks for its first open session, rather than every open session being read to
  // find the few courses among them.
  return db
    .selectFrom("courses as c")
    .select(["c.id", "c.name"])
    .where(({ exists }) => exists(openSessionsQuery(db, {}).select(sql.lit(1).as("one")).where("s.course_id", "=", sql.ref<number>("c.id"))))
    .orderBy("c.name")
    .execute();
}

/** Open sessions still ahead, soonest first, with seats left; filter by course and a date range, a page at a time. Two queries. */
export async function listOpenSessions(
  db: Kysely<Database>,
  filter: OpenSessionFilter & { limit?: number; offset?: number } = {},
): Promise<OpenSessionListing[]> {
  let q = openSessionsQuery(db, filter)
    .innerJoin("courses as c", "c.id", "s.course_id")
    .leftJoin("rooms as r", "r.id", "s.room_id")
    .select([
      "s.id",
      "s.title",
      "s.starts_at",
      "s.ends_at",
      "s.capacity",
      "s.address",
      "s.signup_deadline",
      "s.signup_policy",
      "s.signup_domain",
      "s.asks_student_id",
      "s.question",
      "s.status",
      "s.cancel_reason",
      "c.id as course_id",
      "c.name as course_name",
      "c.description as course_description",
      "c.colour",
      "r.name as room_name",
      "r.building",
      "r.accessibility_notes",
    ])
    .orderBy("s.starts_at")
    .orderBy("s.id");
  if (filter.limit !== undefined) q = q.limit(filter.limit).offset(filter.offset ?? 0);
  const rows = await q.execute();
  const at = nowIso();
  const counts = await seatCounts(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => {
    const c = counts.get(r.id) ?? { registered: 0, waiting: 0 };
    return {
      id: r.id,
      title: r.title,
      courseId: r.course_id,
      courseName: r.course_name,
      courseDescription: r.course_description,
      colour: r.colour,
      startsAt: r.starts_at,
      endsAt: r.ends_at,
      where: r.room_name ? `${r.room_name}, ${r.building}` : (r.address ?? ""),
      capacity: r.capacity,
      registered: c.registered,
      waiting: c.waiting,
      seatsLeft: Math.max(0, r.capacity - c.registered),
      signupDeadline: r.signup_deadline,
      signupPolicy: r.signup_policy,
      signupDomain: r.signup_domain,
      asksStudentId: r.asks_student_id === 1,
      question: r.question,
      accessibilityNotes: r.accessibility_notes,
      status: r.status,
      cancelReason: r.cancel_reason,
      signupClosed: !!r.signup_deadline && r.signup_deadline <= at,
    };
  });
}

/** What a public card for an open session shows: nothing more travels to the browser. */
export function openSessionCard(s: OpenSessionListing) {
  return {
    id: s.id,
    title: s.title ?? s.courseName,
    courseName: s.courseName,
    colour: s.colour,
    startsAt: s.startsAt,
    endsAt: s.endsAt,
    where: s.where,
    capacity: s.capacity,
    seatsLeft: s.seatsLeft,
    waiting: s.waiting,
    signupDeadline: s.signupDeadline,
    signupPolicy: s.signupPolicy,
    signupDomain: s.signupDomain,
    signupClosed: s.signupClosed,
  };
}

/** One open session for its public page, whatever its state (a cancelled one still explains itself). */
export async function getOpenSession(db: Kysely<Database>, sessionId: number): Promise<OpenSessionListing | null> {
  const [session] = await listOpenSessions(db, { sessionId, includePast: true, anyStatus: true });
  return session ?? null;
}

/** Soonest first, a page at a time: enough to choose from on a phone. */
export const PUBLIC_PAGE_SIZE = 24;

/**
 * The public list of open sessions, filtered as the address asks: by course, and from one London day
 * to another, both whole days. A range that ends before it starts keeps only its start.
 */
export async function publicOpenSessions(db: Kysely<Database>, params: URLSearchParams) {
  const filter = OpenSessionFilterSchema.parse(Object.fromEntries(params));
  const from = filter.from ? londonWallTimeToUtc(filter.from, "00:00") : undefined;
  let to = filter.to
    ? londonWallTimeToUtc(
        addMs(new Date(`${filter.to}T12:00:00Z`), DAY)
          .toISOString()
          .slice(0, 10),
        "00:00",
      )
    : undefined;
  if (from && to && to <= from) {
    to = undefined;
    filter.to = undefined;
  }
  const where = { courseId: filter.course, from, to };
  const [courses, total] = await Promise.all([coursesWithOpenSessions(db), countOpenSessions(db, where)]);
  const page = pageWindow(total, filter.page, PUBLIC_PAGE_SIZE);
  const sessions = total ? await listOpenSessions(db, { ...where, limit: page.size, offset: page.offset }) : [];
  return { filter, filtered: Boolean(filter.course || from || to), courses, page, sessions };
}
