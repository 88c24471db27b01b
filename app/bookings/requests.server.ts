import { writeTransaction } from "#app/utils/transaction.server.ts";
import { sql, type Kysely } from "kysely";
import type { Database, RequestStatus, SessionStatus } from "#db/schema.ts";
import BookingRequestReceivedEmail from "#emails/booking-request-received.tsx";
import NewBookingRequestEmail from "#emails/booking-request-new.tsx";
import { listAuditEvents, recordAudit } from "#app/audit/audit.server.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { composeEmail, enqueueEmail } from "#app/email/outbox.server.ts";
import { getBookerOrganisations } from "#app/home/home.server.ts";
import { closureCalendar, sessionTimeProblem, type ClosureCalendar } from "#app/scheduling/closures.server.ts";
import { appUrl, listCoordinators } from "#app/scheduling/notifications.server.ts";
import { storeAccessSet } from "#app/scheduling/room-access.ts";
import { cancelSession } from "#app/scheduling/sessions.server.ts";
import type { Settings } from "#app/settings/schemas.ts";
import { getCoordinatorContact, getSettings } from "#app/settings/settings.server.ts";
import { contactText } from "#app/settings/contact.ts";
import { bookerCancellation, tooLateText } from "./cancellation.ts";
import { formatDateTime, londonToday, londonWallTimeToUtc, londonWeekday, utcToLondonWallTime } from "#app/utils/dates.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { pageWindow } from "#app/utils/paging.ts";
import { addMs, MINUTE, now, nowIso } from "#app/utils/time.ts";
import { preferredTimesOf } from "./preferred-times.server.ts";
import type { BookingRequestInput } from "./schemas.ts";
import { WEEKDAY_NAMES } from "#app/settings/schemas.ts";
import { momentProblem } from "#app/utils/date-fields.ts";
import { plural, PEOPLE } from "#app/utils/plural.ts";

/** Thrown with every field that breaks a rule, so the form can show them all at once. */
export class RequestRuleViolations extends Error {
  constructor(readonly fieldErrors: Record<string, string[]>) {
    super(Object.values(fieldErrors).flat().join(" "));
  }
}

export async function isMemberOf(db: Kysely<Database>, userId: number, organisationId: number) {
  const row = await db
    .selectFrom("organisation_members")
    .select("user_id")
    .where("user_id", "=", userId)
    .where("organisation_id", "=", organisationId)
    .executeTakeFirst();
  return !!row;
}

/**
 * One preferred time as an instant, or why it cannot be one and beside which field: a real moment, in
 * the future, on a day the university is open and a working day, and the whole session inside the
 * working hours.
 */
export function checkPreferredTime(
  date: string,
  time: string,
  durationMinutes: number,
  settings: Settings,
  closures: ClosureCalendar,
): { start: Date; problem: null } | { start: null; problem: { on: "date" | "time"; message: string } } {
  const wrong = (on: "date" | "time", message: string) => ({ start: null, problem: { on, message } });
  const problem = momentProblem(date, time);
  if (problem) return { start: null, problem };
  const start = londonWallTimeToUtc(date, time);
  const endWall = utcToLondonWallTime(addMs(start, durationMinutes * MINUTE));
  const days = settings.workingDays.map((d) => WEEKDAY_NAMES[d - 1]).join(", ");
  const timeProblem = start <= now() ? "Choose a date in the future" : sessionTimeProblem(closures, start, addMs(start, durationMinutes * MINUTE));
  if (timeProblem) return wrong("date", timeProblem);
  if (!settings.workingDays.includes(londonWeekday(start))) return wrong("date", `Sessions run on ${days}`);
  if (time < settings.workingHoursStart || endWall.time > settings.workingHoursEnd || endWall.date !== date)
    return wrong(
      "time",
      `The session lasts ${plural(durationMinutes, "minute")} and must fit between ${settings.workingHoursStart} and ${settings.workingHoursEnd}`,
    );
  return { start, problem: null };
}

/** The preferred times as instants, each checked against the coordinator's working hours and the days the university is closed. */
export function checkPreferredTimes(
  input: BookingRequestInput,
  durationMinutes: number,
  settings: Settings,
  closures: ClosureCalendar,
): { starts: Date[]; errors: Record<string, string[]> } {
  const errors: Record<string, string[]> = {};
  const starts: Date[] = [];
  const pairs: [string, string | undefined, string | undefined][] = [
    ["1", input.date1, input.time1],
    ["2", input.date2, input.time2],
    ["3", input.date3, input.time3],
  ];
  for (const [n, date, time] of pairs) {
    if (!date || !time) continue;
    const { start, problem } = checkPreferredTime(date, time, durationMinutes, settings, closures);
    if (problem) errors[`${problem.on}${n}`] = [problem.message];
    if (!start) continue;
    if (starts.some((s) => s.getTime() === start.getTime())) errors[`time${n}`] = ["This is the same as another choice"];
    starts.push(start);
  }
  return { starts, errors };
}

/** Why a group is too big for a course, and how many sessions to book instead. */
export function groupSizeAdvice(groupSize: number, max: number, course: string) {
  const sessions = Math.ceil(groupSize / max);
  return `${course} works with at most ${plural(max, PEOPLE)}. Book ${sessions} sessions of about ${Math.ceil(groupSize / sessions)} instead (one request each).`;
}

async function validateRequest(db: Kysely<Database>, booker: SessionUser, input: BookingRequestInput) {
  if (!(await isMemberOf(db, booker.id, input.organisationId))) {
    throw new RequestRuleViolations({ organisationId: ["You can only book for your own organisations"] });
  }
  const course = await db.selectFrom("courses").selectAll().where("id", "=", input.courseId).where("is_archived", "=", 0).executeTakeFirst();
  if (!course) throw new RequestRuleViolations({ courseId: ["Choose a course from the list"] });
  const [settings, closures] = await Promise.all([getSettings(db), closureCalendar(db)]);
  const { starts, errors } = checkPreferredTimes(input, course.duration_minutes, settings, closures);
  if (input.groupSize > course.max_group_size) errors.groupSize = [groupSizeAdvice(input.groupSize, course.max_group_size, course.name)];
  if (Object.keys(errors).length) throw new RequestRuleViolations(errors);
  return { course, starts };
}

/** What the booker typed, as booking_requests columns; an address is kept only for their own premises. */
function requestColumns(input: BookingRequestInput, courseId: number) {
  return {
    organisation_id: input.organisationId,
    course_id: courseId,
    group_size: input.groupSize,
    audience: input.audience,
    location_kind: input.locationKind,
    address: input.locationKind === "own_premises" ? input.address : null,
    access_needs: storeAccessSet(input.accessNeeds),
    accessibility_needs: input.accessibilityNeeds,
    notes: input.notes,
  };
}

/** A booker asks for a course for their group; the booker and every coordinator are told. */
export async function createBookingRequest(db: Kysely<Database>, booker: SessionUser, input: BookingRequestInput): Promise<number> {
  const { course, starts } = await validateRequest(db, booker, input);
  const at = nowIso();
  return writeTransaction(db, async (trx) => {
    const row = await trx
      .insertInto("booking_requests")
      .values({
        ...requestColumns(input, course.id),
        requested_by: booker.id,
        status: "requested",
        status_reason: null,
        session_id: null,
        created_at: at,
        updated_at: at,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await trx
      .insertInto("booking_request_times")
      .values(starts.map((s, i) => ({ request_id: row.id, position: i + 1, starts_at: s.toISOString() })))
      .execute();
    const org = await trx.selectFrom("organisations").select("name").where("id", "=", input.organisationId).executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actorUserId: booker.id,
      action: "request.created",
      entityType: "request",
      entityId: row.id,
      summary: `${booker.name} requested ${course.name} for ${org.name} (${plural(input.groupSize, PEOPLE)})`,
    });
    const where = input.locationKind === "own_premises" ? (input.address ?? "") : "A campus room, to be confirmed";
    const contact = await getCoordinatorContact(trx);
    const preferred = starts.map((s) => formatDateTime(s));
    const details = { course: course.name, when: preferred.join("; "), where, organisation: org.name, groupSize: input.groupSize };
    await enqueueEmail(
      trx,
      await composeEmail({
        template: "booking-request-received",
        to: { email: booker.email, name: booker.name },
        subject: `We have your request for ${course.name}`,
        react: BookingRequestReceivedEmail({ name: booker.name, session: details, url: appUrl(`/booker/requests/${row.id}`), contact }),
      }),
    );
    for (const c of await listCoordinators(trx)) {
      await enqueueEmail(
        trx,
        await composeEmail({
          template: "booking-request-new",
          to: { email: c.email, name: c.name },
          subject: `New request: ${course.name} for ${org.name}`,
          react: NewBookingRequestEmail({
            name: c.name,
            session: details,
            url: appUrl(`/coordinator/requests/${row.id}`),
            requestedBy: booker.name,
            preferredTimes: preferred,
          }),
        }),
      );
    }
    return row.id;
  });
}

/** Changes a request that has not been scheduled yet. */
export async function updateBookingRequest(db: Kysely<Database>, booker: SessionUser, requestId: number, input: BookingRequestInput) {
  const existing = await getRequestForBooker(db, booker, requestId);
  if (existing.status !== "requested")
    throw new RequestRuleViolations({ form: ["This request has been " + existing.status + "; it can no longer be changed."] });
  const { course, starts } = await validateRequest(db, booker, input);
  await writeTransaction(db, async (trx) => {
    await trx
      .updateTable("booking_requests")
      .set({
        ...requestColumns(input, course.id),
        updated_at: nowIso(),
      })
      .where("id", "=", requestId)
      .where("status", "=", "requested")
      .execute();
    await trx.deleteFrom("booking_request_times").where("request_id", "=", requestId).execute();
    await trx
      .insertInto("booking_request_times")
      .values(starts.map((s, i) => ({ request_id: requestId, position: i + 1, starts_at: s.toISOString() })))
      .execute();
    await recordAudit(trx, {
      actorUserId: booker.id,
      action: "request.changed",
      entityType: "request",
      entityId: requestId,
      summary: `${booker.name} changed the request for ${course.name}`,
    });
  });
}

/**
 * A booker cancels: a request that is not scheduled yet at any time; a scheduled session only up to
 * the cut-off before it starts (after that, they call the coordinator).
 */
export async function cancelByBooker(db: Kysely<Database>, booker: SessionUser, requestId: number, reason: string) {
  const request = await getRequestForBooker(db, booker, requestId);
  const settings = await getSettings(db);
  const cancellation = bookerCancellation(request, settings.bookerCancellationCutoffHours, now());
  if (cancellation?.kind === "request") {
    await writeTransaction(db, async (trx) => {
      await trx.updateTable("booking_requests").set({ status: "cancelled", status_reason: reason, updated_at: nowIso() }).where("id", "=", requestId).execute();
      await recordAudit(trx, {
        actorUserId: booker.id,
        action: "request.cancelled",
        entityType: "request",
        entityId: requestId,
        summary: `${booker.name} withdrew the request for ${request.courseName}: ${reason}`,
      });
    });
    return;
  }
  if (cancellation?.kind === "too-late") {
    const contact = await getCoordinatorContact(db);
    throw new RuleViolation("form", `${tooLateText(cancellation.cutoffHours)} Please contact ${contactText(contact)}.`);
  }
  if (cancellation?.kind !== "session" || !request.session) throw new RuleViolation("form", "This booking cannot be cancelled now.");
  await cancelSession(db, booker, request.session.id, reason);
}

export interface BookerRequestRow {
  id: number;
  status: RequestStatus;
  statusReason: string | null;
  courseName: string;
  organisationName: string;
  organisationId: number;
  groupSize: number;
  createdAt: string;
  preferredTimes: string[];
  session: { id: number; status: SessionStatus; startsAt: string; endsAt: string; where: string } | null;
}

/**
 * Which of a booker's requests: "current" are waiting for an answer or scheduled and still to
 * come (a session the coordinator delivered or cancelled is over, whatever the request says);
 * "past" is everything else.
 */
type BookerRequestPart = "current" | "past";

function bookerRequestsQuery(db: Kysely<Database>, booker: SessionUser, opts: { requestId?: number; requestIds?: number[]; part?: BookerRequestPart }) {
  let q = db
    .selectFrom("booking_requests as br")
    .innerJoin("organisation_members as om", (j) => j.onRef("om.organisation_id", "=", "br.organisation_id").on("om.user_id", "=", booker.id))
    .leftJoin("sessions as s", "s.id", "br.session_id");
  if (opts.requestId) q = q.where("br.id", "=", opts.requestId);
  if (opts.requestIds) q = q.where("br.id", "in", opts.requestIds);
  if (opts.part) {
    const at = nowIso();
    const current = sql<boolean>`(coalesce(s.status, 'none') not in ('delivered', 'cancelled') and (br.status = 'requested' or (br.status = 'scheduled' and s.starts_at > ${at})))`;
    q = q.where(opts.part === "current" ? current : sql<boolean>`not ${current}`);
  }
  return q;
}

/** The requests of the organisations a booker belongs to, newest first, in two queries. */
export async function listRequestsForBooker(
  db: Kysely<Database>,
  booker: SessionUser,
  opts: { requestId?: number; requestIds?: number[]; part?: BookerRequestPart; limit?: number; offset?: number } = {},
): Promise<BookerRequestRow[]> {
  let q = bookerRequestsQuery(db, booker, opts)
    .innerJoin("courses as c", "c.id", "br.course_id")
    .innerJoin("organisations as o", "o.id", "br.organisation_id")
    .leftJoin("rooms as r", "r.id", "s.room_id")
    .select([
      "br.id",
      "br.status",
      "br.status_reason",
      "br.group_size",
      "br.created_at",
      "br.organisation_id",
      "c.name as course_name",
      "o.name as organisation_name",
      "s.id as session_id",
      "s.status as session_status",
      "s.starts_at",
      "s.ends_at",
      "s.address",
      "r.name as room_name",
      "r.building",
    ])
    .orderBy("br.created_at", "desc")
    .orderBy("br.id", "desc");
  if (opts.limit !== undefined) q = q.limit(opts.limit).offset(opts.offset ?? 0);
  const rows = await q.execute();
  const timesByRequest = await preferredTimesOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({
    id: r.id,
    status: r.status,
    statusReason: r.status_reason,
    courseName: r.course_name,
    organisationName: r.organisation_name,
    organisationId: r.organisation_id,
    groupSize: r.group_size,
    createdAt: r.created_at,
    preferredTimes: timesByRequest.get(r.id) ?? [],
    session:
      r.session_id && r.starts_at && r.ends_at && r.session_status
        ? {
            id: r.session_id,
            status: r.session_status,
            startsAt: r.starts_at,
            endsAt: r.ends_at,
            where: r.room_name ? `${r.room_name}, ${r.building}` : (r.address ?? ""),
          }
        : null,
  }));
}

/** How many of a booker's requests are current or past, for paging. */
export async function countRequestsForBooker(db: Kysely<Database>, booker: SessionUser, part: BookerRequestPart): Promise<number> {
  const row = await bookerRequestsQuery(db, booker, { part })
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Earlier requests come a page at a time, newest first. */
export const BOOKER_PAST_PAGE_SIZE = 20;

/**
 * What the booker's home shows: every request still waiting or coming up, and one page of the
 * earlier ones, so the page stays the same size however many years an organisation has booked.
 */
export async function bookerDashboard(db: Kysely<Database>, booker: SessionUser, pastPage: number) {
  const [current, pastTotal] = await Promise.all([listRequestsForBooker(db, booker, { part: "current" }), countRequestsForBooker(db, booker, "past")]);
  const page = pageWindow(pastTotal, pastPage, BOOKER_PAST_PAGE_SIZE);
  const past = pastTotal ? await listRequestsForBooker(db, booker, { part: "past", limit: page.size, offset: page.offset }) : [];
  return { current, past, pastPage: page };
}

/** One request, only if the booker belongs to its organisation: anyone else gets "not found". */
export async function getRequestForBooker(db: Kysely<Database>, booker: SessionUser, requestId: number): Promise<BookerRequestRow> {
  const [row] = await listRequestsForBooker(db, booker, { requestId });
  if (!row) throw new RuleViolation("not_found", "We could not find that request.");
  return row;
}

export async function getRequestForEditing(db: Kysely<Database>, booker: SessionUser, requestId: number) {
  await getRequestForBooker(db, booker, requestId);
  const request = await db.selectFrom("booking_requests").selectAll().where("id", "=", requestId).executeTakeFirstOrThrow();
  const times = await db.selectFrom("booking_request_times").select("starts_at").where("request_id", "=", requestId).orderBy("position").execute();
  return { request, times: times.map((t) => utcToLondonWallTime(t.starts_at)) };
}

export function requestHistory(db: Kysely<Database>, requestId: number, sessionId: number | null) {
  return Promise.all([
    listAuditEvents(db, { entityType: "request", entityId: requestId, limit: 50 }),
    sessionId ? listAuditEvents(db, { entityType: "session", entityId: sessionId, limit: 50 }) : Promise.resolve([]),
  ]).then(([a, b]) => [...a, ...b].sort((x, y) => y.id - x.id));
}

/** What the request form offers a booker: their organisations, the active courses, the working hours and the closure days ahead. */
export async function requestFormOptions(db: Kysely<Database>, booker: SessionUser) {
  const [organisations, courses, settings, closures] = await Promise.all([
    getBookerOrganisations(db, booker.id),
    db.selectFrom("courses").select(["id", "name", "duration_minutes", "max_group_size"]).where("is_archived", "=", 0).orderBy("name").execute(),
    getSettings(db),
    closureCalendar(db),
  ]);
  return {
    organisations: organisations.map((o) => ({ id: o.id, name: o.name })),
    courses: courses.map((c) => ({ id: c.id, name: c.name, durationMinutes: c.duration_minutes, maxGroupSize: c.max_group_size })),
    hours: { days: settings.workingDays, start: settings.workingHoursStart, end: settings.workingHoursEnd },
    closures: closures.upcoming(londonToday()),
    cancellationCutoffHours: settings.bookerCancellationCutoffHours,
  };
}

/**
 * What a booker's history shows: their request's own changes and what happened to the session as a
 * whole. Chosen by name, so an event added later stays out until someone decides it is the booker's
 * business: the register's entries name attendees and walk-ins, and trainers' answers carry their
 * own reasons and the coordinator's overrides.
 */
export const BOOKER_HISTORY_ACTIONS: ReadonlySet<string> = new Set([
  "request.created",
  "request.changed",
  "request.cancelled",
  "request.declined",
  "session.scheduled",
  "session.rescheduled",
  "session.cancelled",
  "session.register_closed",
  "register.head_count",
]);

export async function requestHistoryForBooker(db: Kysely<Database>, booker: SessionUser, requestId: number) {
  const request = await getRequestForBooker(db, booker, requestId);
  const events = await requestHistory(db, request.id, request.session?.id ?? null);
  return events.filter((e) => BOOKER_HISTORY_ACTIONS.has(e.action));
}
