import type { Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import { utcToLondonWallTime } from "#app/utils/dates.ts";
import { cachedByRecords } from "#app/utils/record-cache.server.ts";
import { listInstitutions, type Institution } from "#app/reference/institutions.server.ts";
import { now } from "#app/utils/time.ts";
import { count, people, share, text, type Figure } from "./figures.ts";
import type { ReportTable } from "./impact-report.ts";
import { periodFigures } from "./impact.server.ts";
import { leaderComplianceByOrganisation } from "./leader-compliance.server.ts";
import { scopeFromQuery, scopeToQuery, type ReportScope } from "./period.ts";

export interface InstitutionComparison {
  scope: ReportScope;
  /** The report's own query string (year or dates, and its filters), without the institutions chosen. */
  query: string;
  institutions: Institution[];
  /** The institutions compared: those asked for that exist, or every one when none was. */
  chosen: number[];
  table: ReportTable;
  /** Whether the leader column has figures: only for an academic year with a roster. */
  hasLeaderFigures: boolean;
}

export const COMPARISON_COLUMNS = [
  "Institution",
  "Sessions delivered",
  "People reached",
  "Student leaders trained",
  "Feedback responses",
  "Would recommend",
  "Confidence rose",
];

/**
 * One row per institution of the partnership, for the period and filters in the address
 * (`?year=2025&institution=1&institution=3`): sessions delivered for its organisations, the people
 * they reached, the share of its student leaders' roles trained, and what their feedback said. Every
 * figure about people keeps the small-number rule.
 */
export async function compareInstitutions(db: Kysely<Database>, params: URLSearchParams): Promise<InstitutionComparison> {
  const scope = scopeFromQuery(params, now());
  const institutions = await listInstitutions(db);
  const asked = new Set(params.getAll("institution").map(Number));
  const chosen = institutions.filter((i) => asked.has(i.id)).map((i) => i.id);
  const compared = chosen.length ? institutions.filter((i) => chosen.includes(i.id)) : institutions;
  const key = JSON.stringify(["institutions", scope.period, scope.filters, scope.academicYear, compared.map((i) => i.id), utcToLondonWallTime(now()).date]);
  const { rows, hasLeaderFigures } = await cachedByRecords(db, key, ["sessions", "attendance", "feedback", "leaders", "reference"], async () => {
    const [leaders, organisations] = await Promise.all([
      scope.academicYear !== null ? leaderComplianceByOrganisation(db, scope.academicYear) : null,
      db.selectFrom("organisations").select(["id", "institution_id"]).where("institution_id", "is not", null).execute(),
    ]);
    const rows: Figure[][] = [];
    for (const inst of compared) {
      const f = await periodFigures(db, scope.period, { ...scope.filters, institutionId: inst.id });
      let leaderCounts: { leaders: number; compliant: number } | null = null;
      if (leaders) {
        leaderCounts = { leaders: 0, compliant: 0 };
        for (const o of organisations) {
          const c = o.institution_id === inst.id ? leaders.get(o.id) : undefined;
          if (c) leaderCounts = { leaders: leaderCounts.leaders + c.leaders, compliant: leaderCounts.compliant + c.compliant };
        }
      }
      rows.push([
        text(inst.name),
        count(f.sessionsDelivered),
        people(f.people),
        !leaderCounts ? text("no roster") : leaderCounts.leaders > 0 ? share(leaderCounts.compliant, leaderCounts.leaders) : text("no leaders"),
        people(f.feedback.responses),
        share(f.feedback.recommendYes, f.feedback.recommendAnswered),
        share(f.feedback.rose, f.feedback.paired),
      ]);
    }
    return { rows, hasLeaderFigures: leaders !== null };
  });
  return {
    scope,
    query: scopeToQuery(scope),
    institutions,
    chosen,
    table: { id: "institutions", title: `Institutions compared, ${scope.period.label}`, columns: COMPARISON_COLUMNS, rows },
    hasLeaderFigures,
  };
}
