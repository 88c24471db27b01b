import type { Db } from "#db/schema.ts";
import { writeTransaction } from "#app/utils/transaction.server.ts";
import { recordAudit } from "#app/audit/audit.server.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { isUniqueViolation } from "#db/dialect.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { nowIso } from "#app/utils/time.ts";
import { requiredCourseNames } from "./required-courses.server.ts";

/**
 * A roster's roles and what each requires, kept the same way for every roster: leader roles and
 * venue staff roles have tables of their own with the same columns.
 */
export interface RoleTables {
  roles: "leader_roles" | "staff_roles";
  requirements: "leader_role_requirements" | "staff_role_requirements";
  /** What the audit log calls one: "leader_role". */
  entity: "leader_role" | "staff_role";
  /** As a person says it: "leader role". */
  noun: string;
}

export const LEADER_ROLES: RoleTables = { roles: "leader_roles", requirements: "leader_role_requirements", entity: "leader_role", noun: "leader role" };
export const STAFF_ROLES: RoleTables = { roles: "staff_roles", requirements: "staff_role_requirements", entity: "staff_role", noun: "staff role" };

export interface RoleSummary<Rule> {
  id: number;
  name: string;
  description: string | null;
  isArchived: boolean;
  requirements: Rule[];
}

/** The roles by name, each with what it requires; archived ones only when asked for. */
export async function listRoles<Rule>(
  db: Db,
  t: RoleTables,
  requirementsByRole: Promise<Map<number, Rule[]>>,
  opts: { includeArchived?: boolean } = {},
): Promise<RoleSummary<Rule>[]> {
  const [roles, requirements] = await Promise.all([
    db
      .selectFrom(t.roles)
      .select(["id", "name", "description", "is_archived"])
      .$if(!opts.includeArchived, (q) => q.where("is_archived", "=", 0))
      .orderBy("name")
      .execute(),
    requirementsByRole,
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
export async function saveRole(
  db: Db,
  actor: SessionUser,
  t: RoleTables,
  roleId: number | null,
  v: { name: string; description: string | null },
): Promise<number> {
  try {
    return await writeTransaction(db, async (trx) => {
      const at = nowIso();
      let id: number;
      if (roleId) {
        const row = await trx
          .updateTable(t.roles)
          .set({ name: v.name, description: v.description, updated_at: at })
          .where("id", "=", roleId)
          .returning("id")
          .executeTakeFirst();
        if (!row) throw new RuleViolation("name", "This role no longer exists");
        id = row.id;
      } else {
        const row = await trx
          .insertInto(t.roles)
          .values({ name: v.name, description: v.description, created_at: at, updated_at: at })
          .returning("id")
          .executeTakeFirstOrThrow();
        id = row.id;
      }
      await recordAudit(trx, {
        actorUserId: actor.id,
        action: roleId ? `${t.entity}.updated` : `${t.entity}.created`,
        entityType: t.entity,
        entityId: id,
        summary: `${actor.name} ${roleId ? "updated" : "added"} the ${t.noun} ${v.name}`,
        detail: v,
      });
      return id;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new RuleViolation("name", "There is already a role with this name");
    throw err;
  }
}

/** An archived role takes nobody new; those already in it keep what it requires. */
export async function setRoleArchived(db: Db, actor: SessionUser, t: RoleTables, roleId: number, archived: boolean): Promise<void> {
  await writeTransaction(db, async (trx) => {
    const role = await trx.selectFrom(t.roles).select("name").where("id", "=", roleId).executeTakeFirst();
    if (!role) throw new RuleViolation("roleId", "This role no longer exists");
    await trx
      .updateTable(t.roles)
      .set({ is_archived: archived ? 1 : 0, updated_at: nowIso() })
      .where("id", "=", roleId)
      .execute();
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: archived ? `${t.entity}.archived` : `${t.entity}.restored`,
      entityType: t.entity,
      entityId: roleId,
      summary: `${actor.name} ${archived ? "archived" : "restored"} the ${t.noun} ${role.name}`,
    });
  });
}

/** Replaces what a role requires; the change applies at once to everyone in the role. `describe` says one requirement in words. */
export async function replaceRoleRequirements<R extends { courseId: number; validity: string; validityMonths: number | null }>(
  db: Db,
  actor: SessionUser,
  t: RoleTables,
  roleId: number,
  requirements: readonly R[],
  describe: (courseName: string, r: R) => string,
): Promise<void> {
  await writeTransaction(db, async (trx) => {
    const role = await trx.selectFrom(t.roles).select("name").where("id", "=", roleId).executeTakeFirst();
    if (!role) throw new RuleViolation("roleId", "This role no longer exists");
    const names = await requiredCourseNames(trx, requirements);
    await trx.deleteFrom(t.requirements).where("role_id", "=", roleId).execute();
    if (requirements.length) {
      await trx
        .insertInto(t.requirements)
        .values(requirements.map((r) => ({ role_id: roleId, course_id: r.courseId, validity: r.validity as never, validity_months: r.validityMonths })))
        .execute();
    }
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: `${t.entity}.requirements_set`,
      entityType: t.entity,
      entityId: roleId,
      summary: `${actor.name} set what ${role.name} requires: ${requirements.map((r) => describe(names.get(r.courseId)!, r)).join(", ") || "nothing"}`,
      detail: { requirements },
    });
  });
}
