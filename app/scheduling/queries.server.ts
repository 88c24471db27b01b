import type { Kysely } from "kysely";
import type { Database, SessionStatus } from "#db/schema.ts";
import { preferredTimesOf } from "#app/bookings/preferred-times.server.ts";
import { getOrganisation, listCourses } from "#app/reference/reference.server.ts";
import { calendarGrid, groupByLondonDay, type CalendarGrid, type CalendarQuery } from "./calendar-grid.ts";
import { dateProblem, isRealTime, londonTimeProblem, TIME_FORMAT_MESSAGE } from "#app/utils/date-fields.ts";
import { londonWallTimeToUtc } from "#app/utils/dates.ts";
import { containsText } from "#app/utils/search.ts";
import { cachedByRecords } from "#app/utils/record-cache.server.ts";
import { addMs, DAY, MINUTE, nowIso } from "#app/utils/time.ts";
import { roomOptions } from "./availability.server.ts";
import { closureCalendar, sessionTimeProblem } from "./closures.server.ts";
import { readAccessSet } from "./room-access.ts";
import { ScheduleSlotQuerySchema } from "./schemas.ts";
import { ACTIVE_ASSIGNMENTS, isShortOfTrainers, trainersMissing } from "./staffing.ts";

/** Requests with what the coordinator needs to schedule them, and their preferred times: two queries. */
async function coordinatorRequests(db: Kysely<Database>, filter: { requestId?: number; waitingOnly?: boolean; limit?: number; offset?: number }) {
  let q = db
    .selectFrom("booking_requests as br")
    .innerJoin("courses as c", "c.id", "br.course_id")
    .innerJoin("organisations as o", "o.id", "br.organisation_id")
    .innerJoin("users as u", "u.id", "br.requested_by")
    .select([
      "br.id",
      "br.status",
      "br.status_reason",
      "br.session_id",
      "br.group_size",
      "br.audience",
      "br.location_kind",
      "br.address",
      "br.accessibility_needs",
      "br.access_needs",
      "br.notes",
      "br.created_at",
      "c.id as course_id",
      "c.name as course_name",
      "c.colour as course_colour",
      "c.duration_minutes",
      "c.max_group_size",
      "c.trainers_needed",
      "o.name as organisation_name",
      "o.kind as organisation_kind",
      "u.name as booker_name",
      "u.email as booker_email",
    ])
    .orderBy("br.created_at")
    .orderBy("br.id");
  if (filter.requestId) q = q.where("br.id", "=", filter.requestId);
  if (filter.waitingOnly) q = q.where("br.status", "=", "requested");
  if (filter.limit !== undefined) q = q.limit(filter.limit).offset(filter.offset ?? 0);
  const rows = await q.execute();
  const timesByRequest = await preferredTimesOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({ ...r, access_needs: readAccessSet(r.access_needs), preferredTimes: timesByRequest.get(r.id) ?? [] }));
}

/** Requests waiting to be scheduled, oldest first, with what each needs; a page of them when given. */
export function listRequestQueue(db: Kysely<Database>, page: { limit?: number; offset?: number } = {}) {
  return coordinatorRequests(db, { waitingOnly: true, ...page });
}

/** How many requests wait to be scheduled. */
export async function countRequestQueue(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom("booking_requests")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("status", "=", "requested")
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function getRequestForCoordinator(db: Kysely<Database>, requestId: number) {
  const [request] = await coordinatorRequests(db, { requestId });
  return request ?? null;
}

function otherTimeProblem(date: string, time: string): string | null {
  if (!date) return "Enter a date";
  if (!time) return "Enter a start time";
  return dateProblem(date) ?? (isRealTime(time) ? londonTimeProblem(date, time) : TIME_FORMAT_MESSAGE);
}

/**
 * A request as the coordinator schedules it, at the time the address names (`?slot=2`, or
 * `?slot=other&date=…&time=…` with what is wrong with a typed time, for beside the fields) and, for a
 * campus room, the rooms at that time: free and big enough first, and of those the ones meeting the
 * group's access needs. A preferred time that has passed or falls on a closure day says so. Null when
 * there is no such request.
 */
export async function requestScheduling(db: Kysely<Database>, requestId: number, params: URLSearchParams) {
  const [request, closures] = await Promise.all([getRequestForCoordinator(db, requestId), closureCalendar(db)]);
  if (!request) return null;
  const slotProblem = (start: string) => sessionTimeProblem(closures, new Date(start), addMs(new Date(start), request.duration_minutes * MINUTE));
  const query = ScheduleSlotQuerySchema.parse(Object.fromEntries(params));
  const typed = { date: params.get("date") ?? "", time: params.get("time") ?? "" };
  let otherProblem = query.slot === "other" ? otherTimeProblem(typed.date, typed.time) : null;
  let startsAt: string | null = null;
  if (query.slot && query.slot !== "other") startsAt = request.preferredTimes[Number(query.slot) - 1] ?? null;
  else if (query.slot === "other" && query.date && query.time && !londonTimeProblem(query.date, query.time)) {
    startsAt = londonWallTimeToUtc(query.date, query.time).toISOString();
    otherProblem = slotProblem(startsAt);
  }
  // A time that cannot be scheduled offers no rooms: it says why beside the time instead.
  const choiceProblems = request.status === "requested" ? request.preferredTimes.map(slotProblem) : [];
  if (startsAt && (otherProblem || (query.slot !== "other" && choiceProblems[Number(query.slot) - 1]))) startsAt = null;
  const rooms =
    startsAt && request.location_kind === "campus"
      ? await roomOptions(db, { start: new Date(startsAt), end: addMs(new Date(startsAt), request.duration_minutes * MINUTE) }, request.group_size, {
          needs: request.access_needs,
        })
      : [];
  return { request, query, startsAt, rooms, typed, otherProblem, choiceProblems };
}

/**
 * Upcoming sessions short of trainers (see `trainersMissing`): the other half of the queue, and a
 * figure on the overview. Kept against the record versions: a session only joins the list through a
 * write, and time only takes sessions off it (as they start), so the kept list is filtered by the
 * clock on each read.
 */
export async function listSessionsNeedingTrainers(db: Kysely<Database>) {
  const list = await cachedByRecords(db, "sessions-needing-trainers", ["sessions", "reference"], () => querySessionsNeedingTrainers(db));
  const now = nowIso();
  return list.filter((s) => s.starts_at > now);
}

async function querySessionsNeedingTrainers(db: Kysely<Database>) {
  const upcoming = await db
    .selectFrom("sessions as s")
    .innerJoin("courses as c", "c.id", "s.course_id")
    .leftJoin("organisations as o", "o.id", "s.organisation_id")
    .leftJoin("session_trainers as st", (j) => j.onRef("st.session_id", "=", "s.id").on("st.status", "in", ACTIVE_ASSIGNMENTS))
    .select((eb) => [
      "s.id",
      "s.starts_at",
      "s.ends_at",
      "s.trainers_needed",
      "c.name as course_name",
      "c.colour as course_colour",
      "o.name as organisation_name",
      eb.fn.count<number>("st.trainer_id").as("trainer_count"),
    ])
    .where("s.status", "=", "scheduled")
    .where("s.starts_at", ">", nowIso())
    .groupBy(["s.id", "s.starts_at", "s.ends_at", "s.trainers_needed", "c.name", "c.colour", "o.name"])
    .orderBy("s.starts_at")
    .execute();
  return upcoming.filter((s) => trainersMissing({ status: "scheduled", trainersNeeded: s.trainers_needed }, Number(s.trainer_count)) > 0);
}

export interface CalendarEntry {
  id: number;
  status: SessionStatus;
  startsAt: string;
  endsAt: string;
  courseId: number;
  courseName: string;
  colour: string;
  organisationName: string | null;
  where: string;
  trainersNeeded: number;
  trainers: { id: number; name: string; status: string }[];
}

type CalendarFilter = { courseId?: number; trainerId?: number; organisationId?: number; organisationName?: string; includeCancelled?: boolean };

/** Month cells show this many sessions; the rest are behind "+N more", which opens that day's week. A busy month stays a page, not a list of hundreds. */
export const MONTH_CELL_LIMIT = 2;

/** What a month cell shows of a session. */
export type MonthEntry = Pick<CalendarEntry, "id" | "status" | "startsAt" | "endsAt" | "courseName" | "colour" | "organisationName"> & { short: boolean };

export interface CalendarPeriod {
  /** The period's own sessions; one that began before the grid and runs into it is shown, not counted. */
  count: number;
  /** Of those, how many are short of trainers. */
  short: number;
  /** A week's sessions in full (none for a month). */
  entries: CalendarEntry[];
  /** A month's first few sessions each day, with only what a cell shows (none for a week). */
  monthEntries: MonthEntry[];
  /** A month's days with more sessions than a cell shows: how many more. */
  more: Record<string, number>;
}

/**
 * What the calendar shows for a week or a month, kept against the record versions: a coordinator
 * moves between weeks and months all day, and the sessions in them change far less often than
 * they are looked at. Only a month's first few sessions a day, and only what a cell shows of each,
 * go to the page.
 */
export function calendarPeriod(db: Kysely<Database>, grid: CalendarGrid, filter: CalendarFilter = {}): Promise<CalendarPeriod> {
  const key = JSON.stringify(["calendar", grid.view, grid.start.toISOString(), grid.end.toISOString(), filter]);
  return cachedByRecords(db, key, ["sessions", "reference", "accounts"], async () => summarisePeriod(grid, await listSessionsInRange(db, grid, filter)));
}

/**
 * The coordinator's calendar as the address asks for it: the period's sessions, and the choices its
 * filters offer. A link to one organisation's sessions names it in the filter, so the page says what
 * it shows.
 */
export async function coordinatorCalendar(db: Kysely<Database>, query: CalendarQuery) {
  const grid = calendarGrid(query.view, query.date);
  const [period, courses, organisation, trainers, closures] = await Promise.all([
    calendarPeriod(db, grid, {
      courseId: query.courseId,
      trainerId: query.trainerId,
      organisationId: query.organisationId,
      organisationName: query.organisationName,
      includeCancelled: query.includeCancelled,
    }),
    listCourses(db, { includeArchived: true }),
    query.organisationId ? getOrganisation(db, query.organisationId) : undefined,
    trainerChoices(db),
    closureCalendar(db),
  ]);
  const days = grid.days.map((d) => d.date);
  return {
    ...period,
    /** The grid's closed days, with the holiday's or the period's name. */
    closures: Object.fromEntries(closures.between(days[0]!, days[days.length - 1]!).map((d) => [d.date, d.name])) as Record<string, string>,
    organisationLabel: query.organisationName ?? organisation?.name ?? "",
    courses: courses.map((c) => ({ id: c.id, name: c.is_archived ? `${c.name} (archived)` : c.name })),
    trainers,
  };
}

function summarisePeriod(grid: CalendarGrid, entries: CalendarEntry[]): CalendarPeriod {
  const byDay = groupByLondonDay(entries, grid.days);
  const gridStart = grid.start.toISOString();
  const inPeriod = grid.days.filter((d) => d.inPeriod).flatMap((d) => (byDay.get(d.date) ?? []).filter((e) => e.startsAt >= gridStart));
  const more: Record<string, number> = {};
  const monthEntries =
    grid.view === "month"
      ? [...byDay].flatMap(([date, list]) => {
          if (list.length > MONTH_CELL_LIMIT) more[date] = list.length - MONTH_CELL_LIMIT;
          return list.slice(0, MONTH_CELL_LIMIT).map(toMonthEntry);
        })
      : [];
  return { count: inPeriod.length, short: inPeriod.filter(isShortOfTrainers).length, entries: grid.view === "week" ? entries : [], monthEntries, more };
}

function toMonthEntry(e: CalendarEntry): MonthEntry {
  return {
    id: e.id,
    status: e.status,
    startsAt: e.startsAt,
    endsAt: e.endsAt,
    courseName: e.courseName,
    colour: e.colour,
    organisationName: e.organisationName,
    short: isShortOfTrainers(e),
  };
}

/** Everyone who has the trainer role, for the filters and pickers: deactivated people marked. */
export function trainerChoices(db: Kysely<Database>): Promise<{ id: number; name: string }[]> {
  return cachedByRecords(db, "trainer-choices", ["accounts"], async () => {
    const rows = await db
      .selectFrom("users as u")
      .innerJoin("user_roles as ur", "ur.user_id", "u.id")
      .select(["u.id", "u.name", "u.is_active"])
      .where("ur.role", "=", "trainer")
      .orderBy("u.name")
      .orderBy("u.id")
      .execute();
    return rows.map((t) => ({ id: t.id, name: t.is_active ? t.name : `${t.name} (deactivated)` }));
  });
}

/** Sessions overlapping a range, with their trainers, in two queries. Filters narrow it. */
export async function listSessionsInRange(db: Kysely<Database>, range: { start: Date; end: Date }, filter: CalendarFilter = {}): Promise<CalendarEntry[]> {
  let q = db
    .selectFrom("sessions as s")
    .innerJoin("courses as c", "c.id", "s.course_id")
    .leftJoin("organisations as o", "o.id", "s.organisation_id")
    .leftJoin("rooms as r", "r.id", "s.room_id")
    .select([
      "s.id",
      "s.status",
      "s.starts_at",
      "s.ends_at",
      "s.trainers_needed",
      "s.address",
      "c.id as course_id",
      "c.name as course_name",
      "c.colour",
      "o.name as organisation_name",
      "r.name as room_name",
      "r.building",
    ])
    .where("s.starts_at", "<", range.end.toISOString())
    // A course lasts at most eight hours, so a session overlapping the range began less than a day before it:
    // this bound lets the index on starts_at read only the range, not all the years before it.
    .where("s.starts_at", ">", addMs(range.start, -DAY).toISOString())
    .where("s.ends_at", ">", range.start.toISOString())
    .orderBy("s.starts_at");
  if (!filter.includeCancelled) q = q.where("s.status", "!=", "cancelled");
  if (filter.courseId) q = q.where("s.course_id", "=", filter.courseId);
  if (filter.organisationId) q = q.where("s.organisation_id", "=", filter.organisationId);
  if (filter.organisationName) {
    const name = filter.organisationName;
    q = q.where((eb) => containsText(eb.ref("o.name"), name));
  }
  if (filter.trainerId) {
    const trainerId = filter.trainerId;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom("session_trainers as f")
          .select("f.session_id")
          .whereRef("f.session_id", "=", "s.id")
          .where("f.trainer_id", "=", trainerId)
          .where("f.status", "!=", "declined"),
      ),
    );
  }
  const rows = await q.execute();
  const trainers = rows.length
    ? await db
        .selectFrom("session_trainers as st")
        .innerJoin("users as u", "u.id", "st.trainer_id")
        .select(["st.session_id", "u.id", "u.name", "st.status"])
        .where(
          "st.session_id",
          "in",
          rows.map((r) => r.id),
        )
        .where("st.status", "!=", "declined")
        .execute()
    : [];
  const trainersBySession = new Map<number, { id: number; name: string; status: string }[]>();
  for (const t of trainers) {
    const list = trainersBySession.get(t.session_id);
    if (list) list.push({ id: t.id, name: t.name, status: t.status });
    else trainersBySession.set(t.session_id, [{ id: t.id, name: t.name, status: t.status }]);
  }
  return rows.map((r) => ({
    id: r.id,
    status: r.status,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    courseId: r.course_id,
    courseName: r.course_name,
    colour: r.colour,
    organisationName: r.organisation_name,
    where: r.room_name ? `${r.room_name}, ${r.building}` : (r.address ?? ""),
    trainersNeeded: r.trainers_needed,
    trainers: trainersBySession.get(r.id) ?? [],
  }));
}
