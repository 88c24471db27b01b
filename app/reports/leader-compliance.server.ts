import type { Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import { complianceForYear } from "#app/compliance/roster.server.ts";
import { getLeaderYear } from "#app/compliance/facts.server.ts";
import { utcToLondonWallTime } from "#app/utils/dates.ts";
import { now } from "#app/utils/time.ts";

export interface ComplianceCounts {
  leaders: number;
  compliant: number;
}

/** Student-leader compliance for the report: at the year's deadline, or today while the deadline is still ahead. */
export interface LeaderComplianceFigures {
  deadline: string;
  asOf: string;
  deadlinePassed: boolean;
  overall: ComplianceCounts;
  byRole: (ComplianceCounts & { roleName: string })[];
  /** Last year's, at its deadline, when there was a roster. */
  previous: ComplianceCounts | null;
}

const live = (c: { total: number; ended: number; compliant: number }): ComplianceCounts => ({ leaders: c.total - c.ended, compliant: c.compliant });

/** The date a year's compliance is counted at: its deadline once passed, else today. */
const countedAt = (deadline: string) => {
  const today = utcToLondonWallTime(now()).date;
  return { deadlinePassed: deadline < today, asOf: deadline < today ? deadline : today };
};

export async function leaderComplianceFigures(db: Kysely<Database>, startYear: number): Promise<LeaderComplianceFigures | null> {
  const year = await getLeaderYear(db, startYear);
  if (!year) return null;
  const { deadlinePassed, asOf } = countedAt(year.deadline);
  const [current, lastYear] = await Promise.all([complianceForYear(db, startYear, { asOf, limit: 0 }), getLeaderYear(db, startYear - 1)]);
  if (current.summary.overall.total === 0) return null;
  const previous = lastYear ? (await complianceForYear(db, startYear - 1, { asOf: lastYear.deadline, limit: 0 })).summary.overall : null;
  return {
    deadline: year.deadline,
    asOf,
    deadlinePassed,
    overall: live(current.summary.overall),
    byRole: current.summary.byRole.map((r) => ({ roleName: r.roleName, ...live(r) })),
    previous: previous && previous.total > 0 ? live(previous) : null,
  };
}

/**
 * Leader roles by the organisation their group belongs to, counted at the same date as the report's
 * compliance figures; a leader with roles in two groups counts in each. Null when the year has no roster.
 */
export async function leaderComplianceByOrganisation(db: Kysely<Database>, startYear: number): Promise<Map<number, ComplianceCounts> | null> {
  const year = await getLeaderYear(db, startYear);
  if (!year) return null;
  const report = await complianceForYear(db, startYear, { asOf: countedAt(year.deadline).asOf, limit: 0 });
  const out = new Map<number, ComplianceCounts>();
  for (const g of report.summary.byGroup) {
    if (g.organisationId === null) continue;
    const sum = out.get(g.organisationId) ?? { leaders: 0, compliant: 0 };
    const counts = live(g);
    out.set(g.organisationId, { leaders: sum.leaders + counts.leaders, compliant: sum.compliant + counts.compliant });
  }
  return out;
}
