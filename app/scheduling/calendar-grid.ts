import { z } from "zod";
import { addDays, addMonths, londonDateOf, londonDayRange, londonDayStart, mondayOf, weekdayOf } from "#app/utils/dates.ts";
import { DateQuery } from "#app/utils/date-fields.ts";

/** The coordinator calendar: a week or a month of London days, and the sessions on each. */

export const CALENDAR_VIEWS = ["week", "month"] as const;
export type CalendarView = (typeof CALENDAR_VIEWS)[number];

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

function gridDays(first: string, last: string, inPeriod: (date: string) => boolean): GridDay[] {
  const days: GridDay[] = [];
  for (let date = first; date <= last; date = addDays(date, 1)) days.push({ date, weekday: weekdayOf(date), inPeriod: inPeriod(date) });
  return days;
}

/** The week (Monday–Sunday) or month (padded to whole weeks) containing the London date `anchor`. */
export function calendarGrid(view: CalendarView, anchor: string): CalendarGrid {
  if (view === "week") {
    const monday = mondayOf(anchor);
    const sunday = addDays(monday, 6);
    return {
      view,
      periodFirst: monday,
      periodLast: sunday,
      start: londonDayStart(monday),
      end: londonDayStart(addDays(sunday, 1)),
      days: gridDays(monday, sunday, () => true),
      previous: addDays(monday, -7),
      next: addDays(monday, 7),
    };
  }
  const first = `${anchor.slice(0, 7)}-01`;
  const next = addMonths(first, 1);
  const previous = addMonths(first, -1);
  const last = addDays(next, -1);
  const gridFirst = mondayOf(first);
  const gridLast = addDays(mondayOf(last), 6);
  return {
    view,
    periodFirst: first,
    periodLast: last,
    start: londonDayStart(gridFirst),
    end: londonDayStart(addDays(gridLast, 1)),
    days: gridDays(gridFirst, gridLast, (date) => date >= first && date <= last),
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
