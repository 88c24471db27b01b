import type { Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import { utcToLondonWallTime } from "#app/utils/dates.ts";
import { cachedByRecords } from "#app/utils/record-cache.server.ts";
import { now } from "#app/utils/time.ts";
import { buildImpactReport, type ImpactReport } from "./impact-report.ts";
import { leaderComplianceFigures } from "./leader-compliance.server.ts";
import { firstSessionAt, periodFigures, reportFilterOptions } from "./impact.server.ts";
import { academicYearLabel, scopeFromQuery, scopeToQuery, startYearOf, type ReportScope } from "./period.ts";

export interface ImpactPage {
  scope: ReportScope;
  query: string;
  report: ImpactReport;
}

/** Everything the report page, its printable copy and its CSV exports show, from the address's query string. */
export async function loadImpactReport(db: Kysely<Database>, params: URLSearchParams): Promise<ImpactPage> {
  const scope = scopeFromQuery(params, now());
  // The figures change only when records do (or when the day turns, for a year still under way), so
  // they are worked out once and kept against the record version.
  const key = JSON.stringify(["impact", scope.period, scope.previous, scope.filters, scope.academicYear, utcToLondonWallTime(now()).date]);
  const [current, previous, compliance] = await cachedByRecords(db, key, () =>
    Promise.all([
      periodFigures(db, scope.period, scope.filters),
      periodFigures(db, scope.previous, scope.filters),
      // Leader compliance belongs to an academic year's roster, not to a course or an organisation.
      scope.academicYear !== null ? leaderComplianceFigures(db, scope.academicYear) : null,
    ]),
  );
  return { scope, query: scopeToQuery(scope), report: buildImpactReport(scope, current, previous, compliance) };
}

/** The choices for the filter form: the years with sessions, newest first, and the courses, organisations and trainers. */
export async function impactFilterChoices(db: Kysely<Database>) {
  const [options, first] = await cachedByRecords(db, "impact-choices", () => Promise.all([reportFilterOptions(db), firstSessionAt(db)]));
  const thisYear = startYearOf(now());
  const firstYear = first ? Math.min(startYearOf(new Date(first)), thisYear) : thisYear;
  const years: { value: string; label: string }[] = [];
  for (let y = Math.max(thisYear + 1, firstYear); y >= firstYear; y--) years.push({ value: String(y), label: academicYearLabel(y) });
  return { ...options, years };
}
