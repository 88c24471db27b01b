import type { Db } from "#db/schema.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { parseInput } from "#app/roster/input.ts";
import { listRoles, replaceRoleRequirements, saveRole, setRoleArchived, STAFF_ROLES, type RoleSummary } from "#app/roster/roles.server.ts";
import { requireCoordinator } from "./access.server.ts";
import { staffRequirementRule, staffValidityText, type StaffRequirementRule } from "./coverage.ts";
import { StaffRoleRequirementsSchema, StaffRoleSchema, type StaffRequirementInput, type StaffRoleInput } from "./schemas.ts";

/**
 * The campaign's staff roles (door supervisor, bar staff, contracted security) and the courses each
 * needs: one list for every venue and staff team, kept by the coordinator.
 */

export type StaffRoleSummary = RoleSummary<StaffRequirementRule>;

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

export function listStaffRoles(db: Db, opts: { includeArchived?: boolean } = {}): Promise<StaffRoleSummary[]> {
  return listRoles(db, STAFF_ROLES, staffRequirementsByRole(db), opts);
}

/** Adds a role (`roleId` null) or renames one. */
export async function saveStaffRole(db: Db, actor: SessionUser, roleId: number | null, input: StaffRoleInput): Promise<number> {
  requireCoordinator(actor, "change the staff roles");
  return saveRole(db, actor, STAFF_ROLES, roleId, parseInput(StaffRoleSchema, input));
}

/** An archived role takes no new staff; those already in it keep what it needs. */
export async function setStaffRoleArchived(db: Db, actor: SessionUser, roleId: number, archived: boolean): Promise<void> {
  requireCoordinator(actor, "change the staff roles");
  await setRoleArchived(db, actor, STAFF_ROLES, roleId, archived);
}

/** Replaces what a staff role needs. The change applies at once to everyone in the role, at every venue. */
export async function setStaffRoleRequirements(db: Db, actor: SessionUser, roleId: number, input: { requirements: StaffRequirementInput[] }): Promise<void> {
  requireCoordinator(actor, "change what a staff role needs");
  const { requirements } = parseInput(StaffRoleRequirementsSchema, input);
  await replaceRoleRequirements(db, actor, STAFF_ROLES, roleId, requirements, (name, r) => `${name} (${staffValidityText(r)})`);
}
