import { z } from "zod";
import type { OrganisationKind } from "#db/schema.ts";
import {
  academicYear,
  academicYearDates,
  academicYearLabel,
  academicYearStartOf,
  addDays,
  addMonths,
  formatDay,
  londonDateOf,
  londonDayStart,
  londonWallTimeToUtc,
  type Period,
} from "#app/utils/dates.ts";
import { dateProblem, isRealDate } from "#app/utils/date-fields.ts";

/**
 * What a report covers: an academic year (1 August – 31 July, London) or any range of London
 * dates, compared with the same dates a year earlier, and optionally narrowed to one course,
 * kind of organisation, organisation or trainer.
 */
export interface ReportScope {
  period: Period;
  previous: Period;
  /** "2025-26" for an academic year; null for a custom range. */
  academicYear: number | null;
  /** London dates, inclusive: what the date fields show. */
  from: string;
  to: string;
  filters: ReportFilters;
}

/** "open" selects sessions people signed up to individually, which belong to no organisation. */
export type OrgKindFilter = OrganisationKind | "open";

export interface ReportFilters {
  courseId: number | null;
  orgKind: OrgKindFilter | null;
  organisationId: number | null;
  trainerId: number | null;
  /** Sessions booked by organisations of one institution of a city partnership (the comparison sets it). */
  institutionId?: number | null;
}

const ORG_KIND_VALUES = ["department", "sports_club", "society", "leader_programme", "partner_venue", "staff_team", "open"] as const;

const optionalId = z
  .string()
  .optional()
  .transform((v) => (v && /^\d{1,9}$/.test(v) ? Number(v) : null));
const isoDate = z.string().refine(isRealDate);

/** Query strings are typed by people and by bookmarks: anything unusable falls back, never fails. */
export const ReportQuerySchema = z.object({
  year: z
    .string()
    .optional()
    .transform((v) => (v && /^\d{4}$/.test(v) ? Number(v) : null)),
  from: isoDate.optional().catch(undefined),
  to: isoDate.optional().catch(undefined),
  course: optionalId,
  kind: z.enum(ORG_KIND_VALUES).optional().catch(undefined),
  organisation: optionalId,
  trainer: optionalId,
});

/** The same day `years` years away; 29 February becomes 28 February. */
const shiftYear = (date: string, years: number) => addMonths(date, 12 * years);

function rangePeriod(from: string, to: string, label: string): Period {
  return { label, start: londonDayStart(from), end: londonDayStart(addDays(to, 1)) };
}

function rangeLabel(from: string, to: string): string {
  const f = formatDay(londonWallTimeToUtc(from, "12:00")).slice(4);
  const t = formatDay(londonWallTimeToUtc(to, "12:00")).slice(4);
  return `${f} – ${t}`;
}

/** Turns the address's query string into what to report on; the current academic year by default. */
export function scopeFromQuery(params: URLSearchParams, at: Date): ReportScope {
  const q = ReportQuerySchema.parse(Object.fromEntries(params));
  const filters: ReportFilters = { courseId: q.course, orgKind: q.kind ?? null, organisationId: q.organisation, trainerId: q.trainer };
  if (q.from && q.to && !q.year) {
    const [from, to] = q.from <= q.to ? [q.from, q.to] : [q.to, q.from];
    const pf = shiftYear(from, -1);
    const pt = shiftYear(to, -1);
    return {
      period: rangePeriod(from, to, rangeLabel(from, to)),
      previous: rangePeriod(pf, pt, rangeLabel(pf, pt)),
      academicYear: null,
      from,
      to,
      filters,
    };
  }
  const startYear = q.year && q.year >= 2000 && q.year <= 2100 ? q.year : academicYearStartOf(at);
  const { first: from, last: to } = academicYearDates(startYear);
  const today = londonDateOf(at);
  if (today >= from && today < to) {
    // A year still under way is compared with the same point last year, not with a whole year.
    const short = formatDay(londonWallTimeToUtc(today, "12:00")).slice(4, -5);
    return {
      period: rangePeriod(from, today, `${academicYearLabel(startYear)} so far`),
      previous: rangePeriod(shiftYear(from, -1), shiftYear(today, -1), `${academicYearLabel(startYear - 1)} to ${short}`),
      academicYear: startYear,
      from,
      to: today,
      filters,
    };
  }
  return {
    period: academicYear(startYear),
    previous: academicYear(startYear - 1),
    academicYear: startYear,
    from,
    to,
    filters,
  };
}

/** The same scope as a query string, for links to exports and the printable page. */
export function scopeToQuery(scope: ReportScope): string {
  const p = new URLSearchParams();
  if (scope.academicYear !== null) p.set("year", String(scope.academicYear));
  else {
    p.set("from", scope.from);
    p.set("to", scope.to);
  }
  const f = scope.filters;
  if (f.courseId) p.set("course", String(f.courseId));
  if (f.orgKind) p.set("kind", f.orgKind);
  if (f.organisationId) p.set("organisation", String(f.organisationId));
  if (f.trainerId) p.set("trainer", String(f.trainerId));
  return p.toString();
}

/** London "YYYY-MM" months from the period's start up to its end. */
export function monthsOf(period: Period): string[] {
  const last = londonDateOf(new Date(period.end.getTime() - 1)).slice(0, 7);
  const out: string[] = [];
  for (let month = `${londonDateOf(period.start).slice(0, 7)}-01`; out.length < 240; month = addMonths(month, 1)) {
    out.push(month.slice(0, 7));
    if (month.slice(0, 7) >= last) break;
  }
  return out;
}

/** What is wrong with a custom range the person asked for, if anything (shown beside the date fields). */
export function rangeProblem(params: URLSearchParams): { from?: string; to?: string } | null {
  if (params.get("year") !== "") return null;
  const from = params.get("from") ?? "";
  const to = params.get("to") ?? "";
  const problem: { from?: string; to?: string } = {};
  if (!from) problem.from = "Enter the first day to report on";
  else if (dateProblem(from)) problem.from = dateProblem(from)!;
  if (!to) problem.to = "Enter the last day to report on";
  else if (dateProblem(to)) problem.to = dateProblem(to)!;
  return Object.keys(problem).length ? problem : null;
}

/** One line saying what the report covers and, for a report that shows it, what it is compared with. */
export function describeScope(scope: ReportScope, { compared = true }: { compared?: boolean } = {}): string {
  const day = (d: string) => formatDay(londonWallTimeToUtc(d, "12:00")).slice(4);
  const span = `${day(scope.from)} – ${day(scope.to)}`;
  const soFar = scope.period.label.endsWith("so far");
  const covers =
    scope.academicYear === null
      ? span
      : soFar
        ? `The academic year ${academicYearLabel(scope.academicYear)} so far (${span})`
        : `The academic year ${scope.period.label} (${span})`;
  if (!compared) return `${covers}.`;
  if (scope.academicYear === null) return `${covers}, each figure beside the same dates a year earlier.`;
  return `${covers}, each figure beside ${soFar ? `the same dates in ${academicYearLabel(scope.academicYear - 1)}` : scope.previous.label}.`;
}
