import type { Db } from "#db/schema.ts";
import type { LeaderRoleSummary } from "./roles.server.ts";
import type { RequirementInput } from "./schemas.ts";

/** What the forms for adding and changing leaders and roles offer to choose from. */

/** Groups already on a year's roster and the organisations, one spelling each, for suggesting as a group is typed. */
export async function groupSuggestions(db: Db, startYear: number): Promise<string[]> {
  const [groups, orgs] = await Promise.all([
    db.selectFrom("leader_appointments").select("group_name").distinct().where("start_year", "=", startYear).where("group_name", "!=", "").execute(),
    db.selectFrom("organisations").select("name").where("is_archived", "=", 0).execute(),
  ]);
  const byKey = new Map<string, string>();
  for (const name of [...groups.map((g) => g.group_name), ...orgs.map((o) => o.name)]) {
    const key = name.trim().toLowerCase();
    if (key && !byKey.has(key)) byKey.set(key, name);
  }
  return [...byKey.values()].sort((a, b) => a.localeCompare(b, "en-GB"));
}

export interface LeaderForEdit {
  person: { id: number; name: string; email: string; studentId: string | null };
  appointments: {
    id: number;
    roleName: string;
    groupName: string;
    isPresident: boolean;
    startedOn: string;
    endedOn: string | null;
    endReason: string | null;
  }[];
}

/** A person and their roles in one year, ended ones too. */
export async function leaderForEdit(db: Db, personId: number, startYear: number): Promise<LeaderForEdit | null> {
  const [person, appointments] = await Promise.all([
    db.selectFrom("leader_people").select(["id", "name", "email", "student_id"]).where("id", "=", personId).executeTakeFirst(),
    db
      .selectFrom("leader_appointments as a")
      .innerJoin("leader_roles as r", "r.id", "a.role_id")
      .select(["a.id", "r.name as role_name", "a.group_name", "a.is_president", "a.started_on", "a.ended_on", "a.end_reason"])
      .where("a.person_id", "=", personId)
      .where("a.start_year", "=", startYear)
      .orderBy("a.started_on")
      .orderBy("a.id")
      .execute(),
  ]);
  if (!person) return null;
  return {
    person: { id: person.id, name: person.name, email: person.email, studentId: person.student_id },
    appointments: appointments.map((a) => ({
      id: a.id,
      roleName: a.role_name,
      groupName: a.group_name,
      isPresident: a.is_president === 1,
      startedOn: a.started_on,
      endedOn: a.ended_on,
      endReason: a.end_reason,
    })),
  };
}

/**
 * What every current role requires (Active Bystander, in the demo): a new role starts with it, so a
 * role nobody has thought about yet still asks for the training every leader needs.
 */
export function requirementsCommonToAllRoles(roles: readonly LeaderRoleSummary[]): RequirementInput[] {
  const current = roles.filter((r) => !r.isArchived && r.requirements.length > 0);
  if (current.length === 0) return [];
  return current[0]!.requirements
    .filter((req) => current.every((r) => r.requirements.some((o) => o.courseId === req.courseId)))
    .map((req) => ({ courseId: req.courseId, validity: req.validity, validityMonths: req.validityMonths }));
}
