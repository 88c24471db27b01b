import type { Db } from "#db/schema.ts";
import { writeTransaction } from "#db/transaction.ts";
import { recordAudit } from "#app/audit/audit.server.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { academicYearLabel, academicYearStartOf, formatDay } from "#app/utils/dates.ts";
import { isUniqueViolation } from "#app/utils/db-errors.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { cachedByRecords } from "#app/utils/record-cache.server.ts";
import { now, nowIso } from "#app/utils/time.ts";
import { parseInput } from "#app/roster/input.ts";
import { type RequirementRule } from "./rules.ts";
import { loadRequirementsByRole, type LeaderYearRow } from "./facts.server.ts";
import { LeaderRoleSchema, LeaderYearSchema, RoleRequirementsSchema, type LeaderRoleInput, type LeaderYearInput, type RequirementInput } from "./schemas.ts";
import { plural } from "#app/utils/plural.ts";

/** Leader roles, what each requires, and the roster years with their deadlines. */

export interface LeaderRoleSummary {
  id: number;
  name: string;
  description: string | null;
  isArchived: boolean;
  requirements: RequirementRule[];
}

export async function listLeaderRoles(db: Db, opts: { includeArchived?: boolean } = {}): Promise<LeaderRoleSummary[]> {
  let q = db.selectFrom("leader_roles").select(["id", "name", "description", "is_archived"]).orderBy("name");
  if (!opts.includeArchived) q = q.where("is_archived", "=", 0);
  const [roles, requirements] = await Promise.all([q.execute(), loadRequirementsByRole(db)]);
  return roles.map((r) => ({
    id: r.id,
    name: r.name,
    description: r.description,
    isArchived: r.is_archived === 1,
    requirements: requirements.get(r.id) ?? [],
  }));
}

export async function saveLeaderRole(db: Db, actor: SessionUser, roleId: number | null, input: LeaderRoleInput): Promise<number> {
  const v = parseInput(LeaderRoleSchema, input);
  try {
    return await writeTransaction(db, async (trx) => {
      const at = nowIso();
      let id: number;
      if (roleId) {
        const row = await trx
          .updateTable("leader_roles")
          .set({ name: v.name, description: v.description, updated_at: at })
          .where("id", "=", roleId)
          .returning("id")
          .executeTakeFirst();
        if (!row) throw new RuleViolation("name", "This role no longer exists");
        id = row.id;
      } else {
        id = (
          await trx
            .insertInto("leader_roles")
            .values({ name: v.name, description: v.description, created_at: at, updated_at: at })
            .returning("id")
            .executeTakeFirstOrThrow()
        ).id;
      }
      await recordAudit(trx, {
        actorUserId: actor.id,
        action: roleId ? "leader_role.updated" : "leader_role.created",
        entityType: "leader_role",
        entityId: id,
        summary: `${actor.name} ${roleId ? "updated" : "added"} the leader role ${v.name}`,
        detail: v,
      });
      return id;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new RuleViolation("name", "There is already a role with this name");
    throw err;
  }
}

/** An archived role takes no new leaders; those already in it keep their requirements. */
export async function setLeaderRoleArchived(db: Db, actor: SessionUser, roleId: number, archived: boolean): Promise<void> {
  await writeTransaction(db, async (trx) => {
    const role = await trx.selectFrom("leader_roles").select(["name"]).where("id", "=", roleId).executeTakeFirst();
    if (!role) throw new RuleViolation("roleId", "This role no longer exists");
    await trx
      .updateTable("leader_roles")
      .set({ is_archived: archived ? 1 : 0, updated_at: nowIso() })
      .where("id", "=", roleId)
      .execute();
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: archived ? "leader_role.archived" : "leader_role.restored",
      entityType: "leader_role",
      entityId: roleId,
      summary: `${actor.name} ${archived ? "archived" : "restored"} the leader role ${role.name}`,
    });
  });
}

const describeRequirement = (name: string, r: RequirementInput) =>
  `${name} (${r.validity === "academic_year" ? "this academic year" : plural(r.validityMonths ?? 0, "month")})`;

/** Replaces what a role requires. The change applies at once to everyone in the role. */
export async function setRoleRequirements(db: Db, actor: SessionUser, roleId: number, input: { requirements: RequirementInput[] }): Promise<void> {
  const { requirements } = parseInput(RoleRequirementsSchema, input);
  await writeTransaction(db, async (trx) => {
    const role = await trx.selectFrom("leader_roles").select(["name"]).where("id", "=", roleId).executeTakeFirst();
    if (!role) throw new RuleViolation("roleId", "This role no longer exists");
    const courses = requirements.length
      ? await trx
          .selectFrom("courses")
          .select(["id", "name"])
          .where(
            "id",
            "in",
            requirements.map((r) => r.courseId),
          )
          .execute()
      : [];
    const names = new Map(courses.map((c) => [c.id, c.name]));
    const unknown = requirements.findIndex((r) => !names.has(r.courseId));
    if (unknown >= 0) throw new RuleViolation(`requirements.${unknown}.courseId`, "Choose a course from the list");
    await trx.deleteFrom("leader_role_requirements").where("role_id", "=", roleId).execute();
    if (requirements.length) {
      await trx
        .insertInto("leader_role_requirements")
        .values(requirements.map((r) => ({ role_id: roleId, course_id: r.courseId, validity: r.validity, validity_months: r.validityMonths })))
        .execute();
    }
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: "leader_role.requirements_set",
      entityType: "leader_role",
      entityId: roleId,
      summary: `${actor.name} set what ${role.name} requires: ${requirements.map((r) => describeRequirement(names.get(r.courseId)!, r)).join(", ") || "nothing"}`,
      detail: { requirements },
    });
  });
}

// ---- Roster years -----------------------------------------------------------------------------

export interface LeaderYearSummary extends LeaderYearRow {
  label: string;
  leaders: number;
}

/**
 * Every roster year, newest first, with how many people are on it: counted across every year's
 * appointments, so kept against the record version. The list is shared: never change it.
 */
export function listLeaderYears(db: Db): Promise<readonly LeaderYearSummary[]> {
  return cachedByRecords(db, "leader-years", () => readLeaderYears(db));
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
