import type { Db } from "#db/schema.ts";
import { writeTransaction } from "#app/utils/transaction.server.ts";
import { recordAudit } from "#app/audit/audit.server.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { academicYearLabel, academicYearStartOf, formatDay } from "#app/utils/dates.ts";
import { cachedByRecords } from "#app/utils/record-cache.server.ts";
import { now, nowIso } from "#app/utils/time.ts";
import { parseInput } from "#app/roster/input.ts";
import { LEADER_ROLES, listRoles, replaceRoleRequirements, saveRole, setRoleArchived, type RoleSummary } from "#app/roster/roles.server.ts";
import { type RequirementRule } from "./rules.ts";
import { loadRequirementsByRole, type LeaderYearRow } from "./facts.server.ts";
import { LeaderRoleSchema, LeaderYearSchema, RoleRequirementsSchema, type LeaderRoleInput, type LeaderYearInput, type RequirementInput } from "./schemas.ts";
import { plural } from "#app/utils/plural.ts";

/** Leader roles, what each requires, and the roster years with their deadlines. */

export type LeaderRoleSummary = RoleSummary<RequirementRule>;

export function listLeaderRoles(db: Db, opts: { includeArchived?: boolean } = {}): Promise<LeaderRoleSummary[]> {
  return listRoles(db, LEADER_ROLES, loadRequirementsByRole(db), opts);
}

export async function saveLeaderRole(db: Db, actor: SessionUser, roleId: number | null, input: LeaderRoleInput): Promise<number> {
  return saveRole(db, actor, LEADER_ROLES, roleId, parseInput(LeaderRoleSchema, input));
}

/** An archived role takes no new leaders; those already in it keep their requirements. */
export function setLeaderRoleArchived(db: Db, actor: SessionUser, roleId: number, archived: boolean): Promise<void> {
  return setRoleArchived(db, actor, LEADER_ROLES, roleId, archived);
}

const describeRequirement = (name: string, r: RequirementInput) =>
  `${name} (${r.validity === "academic_year" ? "this academic year" : plural(r.validityMonths ?? 0, "month")})`;

/** Replaces what a role requires. The change applies at once to everyone in the role. */
export async function setRoleRequirements(db: Db, actor: SessionUser, roleId: number, input: { requirements: RequirementInput[] }): Promise<void> {
  const { requirements } = parseInput(RoleRequirementsSchema, input);
  await replaceRoleRequirements(db, actor, LEADER_ROLES, roleId, requirements, describeRequirement);
}

// ---- Roster years -----------------------------------------------------------------------------

export interface LeaderYearSummary extends LeaderYearRow {
  label: string;
  leaders: number;
}

/**
 * Every roster year, newest first, with how many people are on it: counted across every year's
 * appointments, so kept against the record versions. The list is shared: never change it.
 */
export function listLeaderYears(db: Db): Promise<readonly LeaderYearSummary[]> {
  return cachedByRecords(db, "leader-years", ["leaders"], () => readLeaderYears(db));
}

async function readLeaderYears(db: Db): Promise<LeaderYearSummary[]> {
  const rows = await db
    .selectFrom("leader_years as y")
    .leftJoin("leader_appointments as a", "a.start_year", "y.start_year")
    .select((eb) => ["y.start_year", "y.deadline", eb.fn.count<number>("a.person_id").distinct().as("leaders")])
    .groupBy(["y.start_year", "y.deadline"])
    .orderBy("y.start_year", "desc")
    .execute();
  return rows.map((r) => ({ startYear: r.start_year, deadline: r.deadline, label: academicYearLabel(r.start_year), leaders: Number(r.leaders) }));
}

/** The year an officer sees first: this academic year if it is set up, otherwise the latest before it. */
export async function currentLeaderYear(db: Db, at: Date = now()): Promise<LeaderYearRow | null> {
  const thisYear = academicYearStartOf(at);
  const row = await db
    .selectFrom("leader_years")
    .select(["start_year", "deadline"])
    .where("start_year", "<=", thisYear)
    .orderBy("start_year", "desc")
    .limit(1)
    .executeTakeFirst();
  return row ? { startYear: row.start_year, deadline: row.deadline } : null;
}

/** Creates a roster year or moves its deadline. */
export async function saveLeaderYear(db: Db, actor: SessionUser, input: LeaderYearInput): Promise<void> {
  const v = parseInput(LeaderYearSchema, input);
  await writeTransaction(db, async (trx) => {
    const at = nowIso();
    const before = await trx.selectFrom("leader_years").select("deadline").where("start_year", "=", v.startYear).executeTakeFirst();
    if (before?.deadline === v.deadline) return;
    await trx
      .insertInto("leader_years")
      .values({ start_year: v.startYear, deadline: v.deadline, created_at: at, updated_at: at })
      .onConflict((oc) => oc.column("start_year").doUpdateSet({ deadline: v.deadline, updated_at: at }))
      .execute();
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: before ? "leader_year.deadline_changed" : "leader_year.created",
      entityType: "leader_year",
      entityId: v.startYear,
      summary: before
        ? `${actor.name} moved the ${academicYearLabel(v.startYear)} training deadline from ${formatDay(before.deadline)} to ${formatDay(v.deadline)}`
        : `${actor.name} set up ${academicYearLabel(v.startYear)} with the training deadline ${formatDay(v.deadline)}`,
      detail: v,
    });
  });
}
