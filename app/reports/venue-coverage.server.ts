import type { Db } from "#db/schema.ts";
import { londonToday } from "#app/utils/dates.ts";
import { venueSummaries } from "#app/venues/coverage.server.ts";
import type { ReportScope } from "./period.ts";
import type { VenueCoverageFigures } from "./venue-coverage.ts";

/**
 * Venue coverage for a report whose period runs to today: staff lists say who works at a venue now,
 * not who did in a past year, so an earlier period has none. A filter by course or trainer does not
 * apply to it; one by organisation kind or organisation narrows it.
 */
export async function venueCoverageFigures(db: Db, scope: ReportScope, thresholdPercent: number): Promise<VenueCoverageFigures | null> {
  const today = londonToday();
  const { filters } = scope;
  if (scope.from > today || scope.to < today || filters.courseId !== null || filters.trainerId !== null) return null;
  if (filters.orgKind !== null && filters.orgKind !== "partner_venue" && filters.orgKind !== "staff_team") return null;
  const venues = (await venueSummaries(db, today, thresholdPercent)).filter(
    (v) => (filters.orgKind === null || v.kind === filters.orgKind) && (filters.organisationId === null || v.id === filters.organisationId),
  );
  return { asOf: today, thresholdPercent, venues };
}
