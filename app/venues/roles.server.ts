import type { Db } from "#db/schema.ts";
import { writeTransaction } from "#db/transaction.ts";
import { recordAudit } from "#app/audit/audit.server.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { parseInput } from "#app/roster/input.ts";
import { requiredCourseNames } from "#app/roster/required-courses.server.ts";
import { isUniqueViolation } from "#app/utils/db-errors.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { nowIso } from "#app/utils/time.ts";
import { requireCoordinator } from "./access.server.ts";
import { staffRequirementRule, staffValidityText, type StaffRequirementRule } from "./coverage.ts";
import { StaffRoleRequirementsSchema, StaffRoleSchema, type StaffRequirementInput, type StaffRoleInput } from "./schemas.ts";

/**
 * The campaign's staff roles (door supervisor, bar staff, contracted security) and the courses each
 * needs: one list for every venue and staff team, kept by the coordinator.
 */

export interface StaffRoleSummary {
  id: number;
  name: string;
  description: string | null;
  isArchived: boolean;
  requirements: StaffRequirementRule[];
}

/** Every staff role's requirements, by role. */
export async function staffRequirementsByRole(db: Db): Promise<Map<number, StaffRequirementRule[]>> {
  const rows = await db
    .selectFrom("staff_role_requirements as r")
    .innerJoin("courses as c", "c.id", "r.course_id")
    .select(["r.role_id", "r.course_id", "c.name", "r.validity", "r.validity_months"])
    .orderBy("c.name")
    .execute();
  const byRole = new Map<number, StaffRequirementRule[]>();
  for (const r of rows) {
    const rule = staffRequirementRule({
      roleId: r.role_id,
      courseId: r.course_id,
      courseName: r.name,
      validity: r.validity,
      validityMonths: r.validity_months,
    });
    byRole.set(r.role_id, [...(byRole.get(r.role_id) ?? []), rule]);
  }
  return byRole;
}

export async function listStaffRoles(db: Db, opts: { includeArchived?: boolean } = {}): Promise<StaffRoleSummary[]> {
  const [roles, requirements] = await Promise.all([
    db
      .selectFrom("staff_roles")
      .select(["id", "name", "description", "is_archived"])
      .$if(!opts.includeArchived, (q) => q.where("is_archived", "=", 0))
      .orderBy("name")
      .execute(),
    staffRequirementsByRole(db),
  ]);
  return roles.map((r) => ({
    id: r.id,
    name: r.name,
    description: r.description,
    isArchived: r.is_archived === 1,
    requirements: requirements.get(r.id) ?? [],
  }));
}

/** Adds a role (`roleId` null) or renames one. */
export async function saveStaffRole(db: Db, actor: SessionUser, roleId: number | null, input: StaffRoleInput): Promise<number> {
  requireCoordinator(actor, "change the staff roles");
  const v = parseInput(StaffRoleSchema, input);
  try {
    return await writeTransaction(db, async (trx) => {
      const at = nowIso();
      let id: number;
      if (roleId) {
        const row = await trx
          .updateTable("staff_roles")
          .set({ name: v.name, description: v.description, updated_at: at })
          .where("id", "=", roleId)
          .returning("id")
          .executeTakeFirst();
        if (!row) throw new RuleViolation("name", "This role no longer exists");
        id = row.id;
      } else {
        const row = await trx
          .insertInto("staff_roles")
          .values({ name: v.name, description: v.description, created_at: at, updated_at: at })
          .returning("id")
          .executeTakeFirstOrThrow();
        id = row.id;
      }
      await recordAudit(trx, {
        actorUserId: actor.id,
        action: roleId ? "staff_role.updated" : "staff_role.created",
        entityType: "staff_role",
        entityId: id,
        summary: `${actor.name} ${roleId ? "updated" : "added"} the staff role ${v.name}`,
        detail: v,
      });
      return id;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new RuleViolation("name", "There is already a staff role with this name");
    throw err;
  }
}

/** An archived role takes no new staff; those already in it keep what it needs. */
export async function setStaffRoleArchived(db: Db, actor: SessionUser, roleId: number, archived: boolean): Promise<void> {
  requireCoordinator(actor, "change the staff roles");
  await writeTransaction(db, async (trx) => {
    const role = await trx.selectFrom("staff_roles").select("name").where("id", "=", roleId).executeTakeFirst();
    if (!role) throw new RuleViolation("roleId", "This role no longer exists");
    await trx
      .updateTable("staff_roles")
      .set({ is_archived: archived ? 1 : 0, updated_at: nowIso() })
      .where("id", "=", roleId)
      .execute();
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: archived ? "staff_role.archived" : "staff_role.restored",
      entityType: "staff_role",
      entityId: roleId,
      summary: `${actor.name} ${archived ? "archived" : "restored"} the staff role ${role.name}`,
    });
  });
}

/** Replaces what a staff role needs. The change applies at once to everyone in the role, at every venue. */
export async function setStaffRoleRequirements(db: Db, actor: SessionUser, roleId: number, input: { requirements: StaffRequirementInput[] }): Promise<void> {
  requireCoordinator(actor, "change what a staff role needs");
  const { requirements } = parseInput(StaffRoleRequirementsSchema, input);
  await writeTransaction(db, async (trx) => {
    const role = await trx.selectFrom("staff_roles").select("name").where("id", "=", roleId).executeTakeFirst();
    if (!role) throw new RuleViolation("roleId", "This role no longer exists");
    const names = await requiredCourseNames(trx, requirements);
    await trx.deleteFrom("staff_role_requirements").where("role_id", "=", roleId).execute();
    if (requirements.length) {
      await trx
        .insertInto("staff_role_requirements")
        .values(requirements.map((r) => ({ role_id: roleId, course_id: r.courseId, validity: r.validity, validity_months: r.validityMonths })))
        .execute();
    }
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: "staff_role.requirements_set",
      entityType: "staff_role",
      entityId: roleId,
      summary: `${actor.name} set what ${role.name} needs: ${requirements.map((r) => `${names.get(r.courseId)} (${staffValidityText(r)})`).join(", ") || "nothing"}`,
      detail: { requirements },
    });
  });
}
