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

export async function leaderComplianceFigures(db: Kysely<Database>, startYear: number): Promise<LeaderComplianceFigures | null> {
  const year = await getLeaderYear(db, startYear);
  if (!year) return null;
  const today = utcToLondonWallTime(now()).date;
  const deadlinePassed = year.deadline < today;
  const asOf = deadlinePassed ? year.deadline : today;
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
