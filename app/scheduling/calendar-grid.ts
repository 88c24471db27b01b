import { z } from "zod";
import { londonWeekOf } from "#app/utils/academic-year.ts";
import { londonWallTimeToUtc, utcToLondonWallTime } from "#app/utils/dates.ts";
import { DateQuery, isRealDate } from "#app/utils/date-fields.ts";

/**
 * The coordinator calendar's date arithmetic, on London calendar dates ("YYYY-MM-DD").
 * Days are counted on the calendar, never by adding 24 hours to an instant, so a day with a
 * clock change is still one whole London day (23 or 25 hours long).
 */

export const CALENDAR_VIEWS = ["week", "month"] as const;
export type CalendarView = (typeof CALENDAR_VIEWS)[number];

/** A real day written "YYYY-MM-DD", within years the app could plausibly show. */
export const isCalendarDate = isRealDate;

function parts(date: string): [number, number, number] {
  return date.split("-").map(Number) as [number, number, number];
}

const iso = (d: Date) => d.toISOString().slice(0, 10);

/** The calendar date `n` days after `date` (before, when negative). */
export function addDays(date: string, n: number): string {
  const [y, m, d] = parts(date);
  return iso(new Date(Date.UTC(y, m - 1, d + n, 12)));
}

/** 1 = Monday … 7 = Sunday. */
export function weekdayOf(date: string): number {
  const [y, m, d] = parts(date);
  return ((new Date(Date.UTC(y, m - 1, d, 12)).getUTCDay() + 6) % 7) + 1;
}

/** The London calendar date an instant falls on. */
export function londonDateOf(at: Date | string): string {
  return utcToLondonWallTime(at).date;
}

/** Midnight to midnight in London: 23 hours in March, 25 in October. */
export function londonDayRange(date: string): { start: Date; end: Date } {
  return { start: londonWallTimeToUtc(date, "00:00"), end: londonWallTimeToUtc(addDays(date, 1), "00:00") };
}

export interface GridDay {
  date: string;
  /** 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** False for the days of the neighbouring months that fill a month grid's first and last week. */
  inPeriod: boolean;
}

export interface CalendarGrid {
  view: CalendarView;
  /** The first and last day of the week or month being shown (the month, not the padded grid). */
  periodFirst: string;
  periodLast: string;
  /** The instants the grid covers, for the query: Monday 00:00 London to Monday 00:00 London. */
  start: Date;
  end: Date;
  /** Whole weeks, Monday first. */
  days: GridDay[];
  /** Anchors for the previous and next week or month. */
  previous: string;
  next: string;
}

function daysBetween(first: string, last: string, inPeriod: (date: string) => boolean): GridDay[] {
  const days: GridDay[] = [];
  for (let date = first; date <= last; date = addDays(date, 1)) days.push({ date, weekday: weekdayOf(date), inPeriod: inPeriod(date) });
  return days;
}

/** The week (Monday–Sunday) or month (padded to whole weeks) containing the London date `anchor`. */
export function calendarGrid(view: CalendarView, anchor: string): CalendarGrid {
  if (view === "week") {
    const week = londonWeekOf(londonWallTimeToUtc(anchor, "12:00"));
    const monday = londonDateOf(week.start);
    const sunday = addDays(monday, 6);
    return {
      view,
      periodFirst: monday,
      periodLast: sunday,
      start: week.start,
      end: week.end,
      days: daysBetween(monday, sunday, () => true),
      previous: addDays(monday, -7),
      next: addDays(monday, 7),
    };
  }
  const [y, m] = parts(anchor);
  const first = `${y}-${String(m).padStart(2, "0")}-01`;
  const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, "0")}-01`;
  const previous = m === 1 ? `${y - 1}-12-01` : `${y}-${String(m - 1).padStart(2, "0")}-01`;
  const last = addDays(next, -1);
  const gridFirst = londonDateOf(londonWeekOf(londonWallTimeToUtc(first, "12:00")).start);
  const gridEnd = londonWeekOf(londonWallTimeToUtc(last, "12:00")).end;
  const gridLast = addDays(londonDateOf(gridEnd), -1);
  return {
    view,
    periodFirst: first,
    periodLast: last,
    start: londonWallTimeToUtc(gridFirst, "00:00"),
    end: gridEnd,
    days: daysBetween(gridFirst, gridLast, (date) => date >= first && date <= last),
    previous,
    next,
  };
}

/**
 * Entries by the London day they start on, every day of the grid present, each day in start order.
 * An entry that began before the grid (and runs into it) is shown on the first day.
 */
export function groupByLondonDay<T extends { startsAt: string; endsAt?: string }>(entries: readonly T[], days: readonly GridDay[]): Map<string, T[]> {
  const byDay = new Map<string, T[]>(days.map((d) => [d.date, []]));
  const first = days[0]?.date;
  const gridStart = first === undefined ? undefined : londonDayRange(first).start.getTime();
  // ISO instants sort as plain strings; a locale-aware comparison would cost far more for the same order.
  const sorted = [...entries].sort((a, b) => (a.startsAt < b.startsAt ? -1 : a.startsAt > b.startsAt ? 1 : 0));
  for (const entry of sorted) {
    const date = londonDateOf(entry.startsAt);
    const runsIntoGrid = first !== undefined && date < first && entry.endsAt !== undefined && new Date(entry.endsAt).getTime() > gridStart!;
    const bucket = byDay.get(date) ?? (runsIntoGrid ? byDay.get(first) : undefined);
    bucket?.push(entry);
  }
  return byDay;
}

const optionalId = z.coerce.number().int().positive().optional().catch(undefined);

/** The calendar's query string. Anything unreadable falls back: the week view, today, no filter. */
export const CalendarQuerySchema = z.object({
  view: z.enum(CALENDAR_VIEWS).catch("week"),
  date: DateQuery,
  course: optionalId,
  trainer: optionalId,
  organisation: optionalId,
  org: z
    .string()
    .trim()
    .max(100)
    .optional()
    .transform((v) => v || undefined)
    .catch(undefined),
  cancelled: z
    .string()
    .optional()
    .transform((v) => v === "1" || v === "on")
    .catch(false),
});

export interface CalendarQuery {
  view: CalendarView;
  date: string;
  courseId?: number;
  trainerId?: number;
  organisationId?: number;
  /** Part of an organisation's name: there are too many organisations to choose from a list. */
  organisationName?: string;
  includeCancelled: boolean;
}

export function parseCalendarQuery(params: URLSearchParams, today: string): CalendarQuery {
  const q = CalendarQuerySchema.parse(Object.fromEntries(params));
  return {
    view: q.view,
    date: q.date ?? today,
    courseId: q.course,
    trainerId: q.trainer,
    organisationId: q.organisation,
    organisationName: q.org,
    includeCancelled: q.cancelled,
  };
}

/** The calendar's address for a query, leaving out what is unset so links stay short. */
export function calendarHref(query: CalendarQuery, change: Partial<CalendarQuery> = {}): string {
  const q = { ...query, ...change };
  const params = new URLSearchParams({ view: q.view, date: q.date });
  if (q.courseId) params.set("course", String(q.courseId));
  if (q.trainerId) params.set("trainer", String(q.trainerId));
  if (q.organisationId) params.set("organisation", String(q.organisationId));
  if (q.organisationName) params.set("org", q.organisationName);
  if (q.includeCancelled) params.set("cancelled", "1");
  return `/coordinator/calendar?${params}`;
}
