import { nearMisses } from "./near-misses.server.ts";
import { pageWindow } from "#app/utils/paging.ts";
import type { Db } from "#db/schema.ts";
import { whyShown } from "./near-miss.ts";

/** Near-misses a page: a city's registers can hold thousands, each a card with two forms. */
export const MATCHES_PAGE_SIZE = 25;

/**
 * One page of a year's possible matches, most recent first, each with why it is shown and the
 * roles its leader holds that year (ended ones left out). A page past the end is the last page.
 */
export async function possibleMatchesPage(db: Db, startYear: number, askedPage: string | null) {
  // Worked out for the whole roster once for each version of its records; a page is a slice of it.
  const all = await nearMisses(db, startYear);
  const asked = Number(askedPage);
  const page = pageWindow(all.length, Number.isInteger(asked) && asked > 0 ? asked : 1, MATCHES_PAGE_SIZE);
  const misses = all.slice(page.offset, page.offset + MATCHES_PAGE_SIZE);
  return {
    misses: misses.map((m) => ({ ...m, why: whyShown(m) })),
    page,
    rolesByPerson: await liveRolesByPerson(db, startYear, [...new Set(misses.map((m) => m.personId))]),
  };
}

/** "Hall rep, Rugby Club" for each role these people hold in the year and have not ended. */
async function liveRolesByPerson(db: Db, startYear: number, personIds: readonly number[]): Promise<Record<number, string[]>> {
  const rolesByPerson: Record<number, string[]> = {};
  if (!personIds.length) return rolesByPerson;
  const roles = await db
    .selectFrom("leader_appointments as a")
    .innerJoin("leader_roles as r", "r.id", "a.role_id")
    .select(["a.person_id", "r.name", "a.group_name"])
    .where("a.start_year", "=", startYear)
    .where("a.person_id", "in", personIds)
    .where("a.ended_on", "is", null)
    .orderBy("r.name")
    .execute();
  for (const r of roles) (rolesByPerson[r.person_id] ??= []).push(r.group_name ? `${r.name}, ${r.group_name}` : r.name);
  return rolesByPerson;
}
