import type { OrganisationKind } from "#db/schema.ts";
import { AUDIENCE_LABELS } from "#app/bookings/schemas.ts";
import { ORGANISATION_KIND_LABELS, ORGANISATION_KINDS } from "#app/reference/schemas.ts";
import { academicYearLabel, formatDay, formatMonth, londonWallTimeToUtc } from "#app/utils/dates.ts";
import { change, chartValue, count, formatFigure, formatInt, isSuppressed, hours, mean, none, people, share, text, type Figure } from "./figures.ts";
import { headlines } from "./headlines.ts";
import type { AudienceKey, OrgKindKey, PeriodFigures } from "./impact.server.ts";
import type { LeaderComplianceFigures } from "./leader-compliance.server.ts";
import { venueCoverageSection, type VenueCoverageFigures } from "./venue-coverage.ts";
import { monthsOf, type ReportScope } from "./period.ts";

export const AUDIENCE_KEY_LABELS: Record<AudienceKey, string> = {
  ...AUDIENCE_LABELS,
  mixed: "Mixed groups",
  open: "Open sign-up",
  not_recorded: "Not recorded",
};

export const ORG_KIND_KEY_LABELS: Record<OrgKindKey, string> = {
  ...ORGANISATION_KIND_LABELS,
  open: "Open sign-up (no organisation)",
};

export interface ReportTable {
  /** Used in the CSV's address and file name. */
  id: string;
  title: string;
  columns: string[];
  /** Columns after the first are figures, right-aligned. */
  rows: Figure[][];
}

export interface ChartSeries {
  name: string;
  /** null draws no bar: hidden under the small-number rule, or nothing to show. */
  values: (number | null)[];
  /** The same figures as words, for the table beside the chart. */
  display: string[];
}

export interface ChartData {
  id: string;
  title: string;
  description: string;
  categories: string[];
  series: ChartSeries[];
  /** For confidence, 5; otherwise the largest value. */
  max?: number;
  unit: string;
  /** The table shown beside the chart, with the same figures. */
  table: string;
}

export interface OrganisationsBooked {
  total: number;
  byKind: { kind: string; count: number; busiest: string[] }[];
  /**
   * Whether the page names every organisation. A city's worth of names would make the page slow to
   * send and to read, so past ORGANISATIONS_NAMED the page names the busiest of each kind and the
   * full list is in the CSV.
   */
  allNamed: boolean;
}

export interface ImpactReport {
  label: string;
  previousLabel: string;
  headlines: string[];
  tables: ReportTable[];
  charts: ChartData[];
  organisationsBooked: OrganisationsBooked;
}

/** How many organisations the page names one by one; more than that, and it names the busiest few of each kind. */
export const ORGANISATIONS_NAMED = 40;
const BUSIEST_NAMED = 5;

/** "2025-08" → "August 2025"; "Aug" for a chart's axis. */
const longMonth = (key: string) => formatMonth(londonWallTimeToUtc(`${key}-15`, "12:00"));
const shortMonth = (key: string) => longMonth(key).slice(0, 3);

const day = (d: string) => formatDay(londonWallTimeToUtc(d, "12:00")).slice(4);

const kindOrder = (k: OrgKindKey) => (k === "open" ? 99 : ORGANISATION_KINDS.indexOf(k));

export function buildImpactReport(
  scope: ReportScope,
  current: PeriodFigures,
  previous: PeriodFigures,
  compliance: LeaderComplianceFigures | null = null,
  venues: VenueCoverageFigures | null = null,
): ImpactReport {
  const label = scope.period.label;
  const previousLabel = scope.academicYear !== null ? scope.previous.label : "the same dates a year earlier";
  const c = current;
  const p = previous;
  const vs = (now: Figure, before: Figure) => [now, before, change(now, before)];

  const summary: ReportTable = {
    id: "summary",
    title: "The year in figures",
    columns: ["Figure", label, scope.previous.label, "Change"],
    rows: [
      [text("People trained"), ...vs(people(c.people), people(p.people))],
      [text("Attendances"), ...vs(people(c.attendances), people(p.attendances))],
      [text("Sessions delivered"), ...vs(count(c.sessionsDelivered), count(p.sessionsDelivered))],
      [text("Sessions cancelled"), ...vs(count(c.sessionsCancelled), count(p.sessionsCancelled))],
      [text("Hours of training"), ...vs(hours(c.trainingMinutes), hours(p.trainingMinutes))],
      [text("Trainer hours"), ...vs(hours(c.trainerMinutes), hours(p.trainerMinutes))],
      [text("Feedback responses"), ...vs(people(c.feedback.responses), people(p.feedback.responses))],
      [
        text("Response rate (responses per attendance)"),
        ...vs(share(Math.min(c.feedback.responses, c.attendances), c.attendances), share(Math.min(p.feedback.responses, p.attendances), p.attendances)),
      ],
      [
        text("Would recommend to a friend"),
        ...vs(share(c.feedback.recommendYes, c.feedback.recommendAnswered), share(p.feedback.recommendYes, p.feedback.recommendAnswered)),
      ],
      [text("Answered the recommend question"), ...vs(people(c.feedback.recommendAnswered), people(p.feedback.recommendAnswered))],
      [text("Rated confidence before and after"), ...vs(people(c.feedback.paired), people(p.feedback.paired))],
      [text("Mean confidence before (1–5)"), ...vs(mean(c.feedback.sumBefore, c.feedback.paired), mean(p.feedback.sumBefore, p.feedback.paired))],
      [text("Mean confidence after (1–5)"), ...vs(mean(c.feedback.sumAfter, c.feedback.paired), mean(p.feedback.sumAfter, p.feedback.paired))],
      [text("Confidence rose"), ...vs(share(c.feedback.rose, c.feedback.paired), share(p.feedback.rose, p.feedback.paired))],
    ],
  };

  const audienceKeys = unionKeys(c.byAudience, p.byAudience).sort((a, b) => AUDIENCE_KEY_LABELS[a].localeCompare(AUDIENCE_KEY_LABELS[b]));
  const audience: ReportTable = {
    id: "audiences",
    title: "By audience",
    columns: ["Audience", "People trained", "Attendances", `Attendances ${scope.previous.label}`, "Change"],
    rows: audienceKeys.map((k) => {
      const now = c.byAudience.get(k);
      const before = p.byAudience.get(k);
      return [text(AUDIENCE_KEY_LABELS[k]), people(now?.people ?? 0), ...vs(people(now?.attendances ?? 0), people(before?.attendances ?? 0))];
    }),
  };

  const orgKinds = unionKeys(c.byOrgKind, p.byOrgKind).sort((a, b) => kindOrder(a) - kindOrder(b));
  const byKind: ReportTable = {
    id: "organisation-kinds",
    title: "By kind of organisation",
    columns: ["Kind of organisation", "Organisations that booked", "People trained", "Attendances", `Attendances ${scope.previous.label}`, "Change"],
    rows: orgKinds.map((k) => {
      const now = c.byOrgKind.get(k);
      const before = p.byOrgKind.get(k);
      const orgs = k === "open" ? none : count(c.organisations.get(k)?.length ?? 0);
      return [text(ORG_KIND_KEY_LABELS[k]), orgs, people(now?.people ?? 0), ...vs(people(now?.attendances ?? 0), people(before?.attendances ?? 0))];
    }),
  };

  const previousCourses = new Map(p.courses.map((x) => [x.id, x]));
  const courseRows = c.courses.length
    ? c.courses
    : p.courses.map((x) => ({ ...x, attendances: 0, sessions: 0, paired: 0, sumBefore: 0, sumAfter: 0, rose: 0 }));
  const courses: ReportTable = {
    id: "courses",
    title: "Courses by popularity",
    columns: [
      "Course",
      "Sessions",
      "Attendances",
      `Attendances ${scope.previous.label}`,
      "Change",
      "Rated before and after",
      "Confidence before",
      "Confidence after",
      "Confidence rose",
    ],
    rows: courseRows.map((x) => [
      text(x.name),
      count(x.sessions),
      ...vs(people(x.attendances), people(previousCourses.get(x.id)?.attendances ?? 0)),
      people(x.paired),
      mean(x.sumBefore, x.paired),
      mean(x.sumAfter, x.paired),
      share(x.rose, x.paired),
    ]),
  };

  const orgKindsBooked = ORGANISATION_KINDS.filter((k) => (c.organisations.get(k)?.length ?? 0) > 0);
  const organisations: ReportTable = {
    id: "organisations",
    title: "Organisations that booked",
    columns: ["Kind of organisation", "Organisation"],
    rows: orgKindsBooked.flatMap((k) => (c.organisations.get(k) ?? []).map((name) => [text(ORGANISATION_KIND_LABELS[k as OrganisationKind]), text(name)])),
  };

  const organisationsBooked: OrganisationsBooked = {
    total: organisations.rows.length,
    byKind: orgKindsBooked.map((k) => {
      const names = c.organisationsByAttendances.get(k) ?? [];
      return { kind: ORGANISATION_KIND_LABELS[k], count: names.length, busiest: names.slice(0, BUSIEST_NAMED) };
    }),
    allNamed: organisations.rows.length <= ORGANISATIONS_NAMED,
  };

  const months = monthsOf(scope.period);
  const previousMonths = monthsOf(scope.previous);
  const monthTable: ReportTable = {
    id: "months",
    title: "Attendances by month",
    columns: ["Month", label, scope.previous.label],
    rows: months.map((m, i) => [text(longMonth(m)), people(c.months.get(m) ?? 0), people(previousMonths[i] ? (p.months.get(previousMonths[i]!) ?? 0) : 0)]),
  };

  const charts: ChartData[] = [
    {
      id: "chart-months",
      title: `Attendances by month, ${label} against ${scope.previous.label}`,
      description: `Bars for each month: ${label} beside ${scope.previous.label}.`,
      categories: months.map(shortMonth),
      series: [
        series(
          label,
          monthTable.rows.map((r) => r[1]!),
        ),
        series(
          scope.previous.label,
          monthTable.rows.map((r) => r[2]!),
        ),
      ],
      unit: "attendances",
      table: monthTable.id,
    },
    {
      id: "chart-courses",
      title: `Attendances by course, ${label}`,
      description: "One bar per course, most attended first.",
      categories: courses.rows.map((r) => (r[0] as { text: string }).text),
      series: [
        series(
          label,
          courses.rows.map((r) => r[2]!),
        ),
      ],
      unit: "attendances",
      table: courses.id,
    },
    {
      id: "chart-confidence",
      title: `Confidence before and after, by course, ${label}`,
      description: "Mean confidence on a scale of 1 to 5 before and after each course, from people who answered both.",
      categories: courses.rows.map((r) => (r[0] as { text: string }).text),
      series: [
        series(
          "Before",
          courses.rows.map((r) => r[6]!),
        ),
        series(
          "After",
          courses.rows.map((r) => r[7]!),
        ),
      ],
      max: 5,
      unit: "out of 5",
      table: courses.id,
    },
    {
      id: "chart-organisations",
      title: `Organisations that booked, by kind, ${label}`,
      description: "How many organisations of each kind booked training.",
      categories: orgKindsBooked.map((k) => ORGANISATION_KIND_LABELS[k]),
      series: [
        series(
          label,
          orgKindsBooked.map((k) => count(c.organisations.get(k)?.length ?? 0)),
        ),
      ],
      unit: "organisations",
      table: byKind.id,
    },
  ];

  const tables = [summary, monthTable, courses, audience, byKind, organisations];
  const sentences = headlines({ label, previousLabel, current: c, previous: p, oneCourse: scope.filters.courseId !== null });
  if (compliance) {
    const c2 = compliance;
    const when = c2.deadlinePassed ? `At the ${day(c2.deadline)} deadline` : `On ${day(c2.asOf)}`;
    tables.push({
      id: "leader-compliance",
      title: `Student-leader compliance, ${c2.deadlinePassed ? `at the ${day(c2.deadline)} deadline` : `on ${day(c2.asOf)} (deadline ${day(c2.deadline)})`}`,
      columns: ["Role", "Leaders", "Completed their training", "Share"],
      rows: [
        [text("All student leaders"), people(c2.overall.leaders), people(c2.overall.compliant), share(c2.overall.compliant, c2.overall.leaders)],
        ...c2.byRole.map((r) => [text(r.roleName), people(r.leaders), people(r.compliant), share(r.compliant, r.leaders)]),
        ...(c2.previous
          ? [
              [
                text(`All student leaders, ${academicYearLabel((scope.academicYear ?? 0) - 1)} at its deadline`),
                people(c2.previous.leaders),
                people(c2.previous.compliant),
                share(c2.previous.compliant, c2.previous.leaders),
              ],
            ]
          : []),
      ],
    });
    const shown = share(c2.overall.compliant, c2.overall.leaders);
    if (!isSuppressed(shown) && c2.overall.leaders > 0) {
      sentences.push(
        `${when}, ${formatFigure(shown)} of the ${formatInt(c2.overall.leaders)} student leaders ${c2.deadlinePassed ? "had" : "have"} completed their required training${c2.deadlinePassed ? "" : ` (deadline ${day(c2.deadline)})`}.`,
      );
    }
  }

  const coverage = venues ? venueCoverageSection(venues) : null;
  if (coverage) {
    tables.push(coverage.table);
    if (coverage.sentence) sentences.push(coverage.sentence);
  }

  return { label, previousLabel, headlines: sentences, tables, charts, organisationsBooked };
}

/**
 * The report as a page shows it: when there are too many organisations to name one by one, their
 * names stay out of the page (the CSV, made from the whole report, still has every one).
 */
export function reportForPage(report: ImpactReport): ImpactReport {
  if (report.organisationsBooked.allNamed) return report;
  return { ...report, tables: report.tables.map((t) => (t.id === "organisations" ? { ...t, rows: [] } : t)) };
}

function series(name: string, figures: Figure[]): ChartSeries {
  return { name, values: figures.map(chartValue), display: figures.map(formatFigure) };
}

function unionKeys<K>(a: Map<K, unknown>, b: Map<K, unknown>): K[] {
  return [...new Set([...a.keys(), ...b.keys()])];
}
