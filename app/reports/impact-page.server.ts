import type { Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import { academicYearLabel, academicYearStartOf, utcToLondonWallTime } from "#app/utils/dates.ts";
import { cachedByRecords } from "#app/utils/record-cache.server.ts";
import { now } from "#app/utils/time.ts";
import { buildImpactReport, type ImpactReport } from "./impact-report.ts";
import { leaderComplianceFigures } from "./leader-compliance.server.ts";
import { venueCoverageFigures } from "./venue-coverage.server.ts";
import { getThresholdPercent } from "#app/venues/threshold.server.ts";
import { findOrganisations, firstSessionAt, organisationName, periodFigures, reportFilterOptions } from "./impact.server.ts";
import { scopeFromQuery, scopeToQuery, type ReportScope } from "./period.ts";

export interface ImpactPage {
  scope: ReportScope;
  query: string;
  report: ImpactReport;
}

/** Everything the report page, its printable copy and its CSV exports show, from the address's query string. */
export async function loadImpactReport(db: Kysely<Database>, params: URLSearchParams): Promise<ImpactPage> {
  const scope = scopeFromQuery(params, now());
  // The report changes only when records do (or when the day turns, for a year still under way), so
  // it is worked out once and kept against the record versions, for the page, the print and the CSV alike.
  // The venues' accreditation threshold is a setting, which no trigger watches: it is part of the key.
  const thresholdPercent = await getThresholdPercent(db);
  const key = JSON.stringify(["impact", scope.period, scope.previous, scope.filters, scope.academicYear, utcToLondonWallTime(now()).date, thresholdPercent]);
  const report = await cachedByRecords(db, key, ["sessions", "attendance", "feedback", "leaders", "staff", "reference"], async () => {
    const [current, previous, compliance, venues] = await Promise.all([
      periodFigures(db, scope.period, scope.filters),
      periodFigures(db, scope.previous, scope.filters),
      // Leader compliance belongs to an academic year's roster, not to a course or an organisation.
      scope.academicYear !== null ? leaderComplianceFigures(db, scope.academicYear) : null,
      venueCoverageFigures(db, scope, thresholdPercent),
    ]);
    return buildImpactReport(scope, current, previous, compliance, venues);
  });
  return { scope, query: scopeToQuery(scope), report };
}

/** The choices for the filter form: the years with sessions, newest first, and the courses and trainers. */
export async function impactFilterChoices(db: Kysely<Database>) {
  const [options, first] = await cachedByRecords(db, "impact-choices", ["sessions", "reference", "accounts"], () =>
    Promise.all([reportFilterOptions(db), firstSessionAt(db)]),
  );
  const thisYear = academicYearStartOf(now());
  const firstYear = first ? Math.min(academicYearStartOf(new Date(first)), thisYear) : thisYear;
  const years: { value: string; label: string }[] = [];
  for (let y = Math.max(thisYear + 1, firstYear); y >= firstYear; y--) years.push({ value: String(y), label: academicYearLabel(y) });
  return { ...options, years };
}

export interface OrganisationField {
  /** What the field shows: what was typed, or the name of the organisation the report is narrowed to. */
  value: string;
  /** Why what was typed narrowed nothing, shown beside the field. */
  problem: string | null;
  /** The organisations a typed name could mean, when it matched several. */
  matches: { id: number; name: string }[];
}

const MATCHES_OFFERED = 8;

/**
 * The organisation filter is typed, not picked from a list of every organisation: the form sends
 * `organisation_name`, which narrows the report when it names one organisation (exactly, or as the
 * only name containing it). Links and bookmarks carry `organisation` (an id) instead.
 */
export async function resolveOrganisationField(db: Kysely<Database>, params: URLSearchParams): Promise<{ params: URLSearchParams; field: OrganisationField }> {
  const resolved = new URLSearchParams(params);
  resolved.delete("organisation_name");
  const typed = params.get("organisation_name");
  if (typed === null) {
    const id = Number(params.get("organisation"));
    const name = Number.isInteger(id) && id > 0 ? await organisationName(db, id) : null;
    return { params: resolved, field: { value: name ?? "", problem: null, matches: [] } };
  }
  resolved.delete("organisation");
  const wanted = typed.trim();
  if (!wanted) return { params: resolved, field: { value: "", problem: null, matches: [] } };
  const matches = await findOrganisations(db, wanted, MATCHES_OFFERED + 1);
  const exact = matches.filter((m) => m.name.toLowerCase() === wanted.toLowerCase());
  const chosen = exact.length === 1 ? exact[0]! : matches.length === 1 ? matches[0]! : null;
  if (chosen) {
    resolved.set("organisation", String(chosen.id));
    return { params: resolved, field: { value: chosen.name, problem: null, matches: [] } };
  }
  const problem =
    matches.length === 0
      ? `No organisation’s name contains “${wanted}”, so the report is not narrowed to an organisation.`
      : `${matches.length > MATCHES_OFFERED ? `More than ${MATCHES_OFFERED}` : matches.length} organisations match “${wanted}”, so the report is not narrowed to one: choose one below or type more of its name.`;
  return { params: resolved, field: { value: typed, problem, matches: matches.slice(0, MATCHES_OFFERED) } };
}
