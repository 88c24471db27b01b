import { describe, expect, it } from "vitest";
import { getDb } from "#app/db.server.ts";
import { createLeader, createLeaderRole, createLeaderYear } from "#tests/compliance-fixtures.ts";
import { createCourse, createOrganisation } from "#tests/factories.ts";
import { groupSuggestions, leaderForEdit, requirementsCommonToAllRoles } from "./leader-forms.server.ts";
import type { LeaderRoleSummary } from "./roles.server.ts";
import { requirementRule } from "./rules.ts";

const role = (id: number, courses: [number, "academic_year" | "months", number | null][], isArchived = false): LeaderRoleSummary => ({
  id,
  name: `Role ${id}`,
  description: null,
  isArchived,
  requirements: courses.map(([courseId, validity, validityMonths]) =>
    requirementRule({ roleId: id, courseId, courseName: `Course ${courseId}`, validity, validityMonths }),
  ),
});

describe("requirementsCommonToAllRoles", () => {
  it("is what every current role requires, ignoring archived roles and roles that require nothing yet", () => {
    const roles = [
      role(1, [
        [10, "academic_year", null],
        [11, "months", 24],
      ]),
      role(2, [[10, "academic_year", null]]),
      role(3, [[12, "academic_year", null]], true),
      role(4, []),
    ];
    expect(requirementsCommonToAllRoles(roles)).toEqual([{ courseId: 10, validity: "academic_year", validityMonths: null }]);
  });

  it("is nothing when there are no roles", () => {
    expect(requirementsCommonToAllRoles([])).toEqual([]);
  });
});

describe("groupSuggestions and leaderForEdit", () => {
  it("suggests the year's groups and the organisations once each, and lists a person's roles in a year", async () => {
    const db = getDb();
    await createLeaderYear(db, 2031);
    await createLeaderYear(db, 2032);
    const roleId = await createLeaderRole(db, [{ courseId: await createCourse(db) }]);
    await createOrganisation(db, { name: "Chess Club" });
    const a = await createLeader(db, { roleId, startYear: 2031, groupName: "chess club" });
    await createLeader(db, { roleId, startYear: 2031, groupName: "Zumba Society", endedOn: "2031-12-01" });
    await createLeader(db, { roleId, startYear: 2032, groupName: "Other Year Society" });
    const groups = await groupSuggestions(db, 2031);
    expect(groups.filter((g) => g.toLowerCase() === "chess club")).toEqual(["chess club"]);
    expect(groups).toContain("Zumba Society");
    expect(groups).not.toContain("Other Year Society");

    const edit = await leaderForEdit(db, a.personId, 2031);
    expect(edit?.person).toMatchObject({ id: a.personId, email: a.email });
    expect(edit?.appointments).toHaveLength(1);
    expect(edit?.appointments[0]).toMatchObject({ id: a.appointmentId, groupName: "chess club", endedOn: null });
    expect((await leaderForEdit(db, a.personId, 2032))?.appointments).toEqual([]);
    expect(await leaderForEdit(db, 999_999, 2031)).toBeNull();
  });
});
