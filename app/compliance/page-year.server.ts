import type { Db } from "#db/schema.ts";
import { notFound } from "#app/auth/guards.server.ts";
import { getLeaderYear, type LeaderYearRow } from "./facts.server.ts";
import { currentLeaderYear } from "./roles.server.ts";
import { StartYearSchema } from "./schemas.ts";

/**
 * The roster year an officer's page shows: `?year=` when given (a 404 if that year is not set up),
 * otherwise the current one; null when no year is set up yet.
 */
export async function yearFromQuery(db: Db, request: Request): Promise<LeaderYearRow | null> {
  const asked = new URL(request.url).searchParams.get("year");
  if (asked) {
    const parsed = StartYearSchema.safeParse(asked);
    const year = parsed.success ? await getLeaderYear(db, parsed.data) : null;
    if (!year) throw notFound("That roster year is not set up.");
    return year;
  }
  return currentLeaderYear(db);
}
