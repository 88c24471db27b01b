import { describe, expect, it } from "vitest";
import { createOrganisation } from "#tests/factories.ts";
import { createLeader, createLeaderRole, unique } from "#tests/compliance-fixtures.ts";
import { addOrUpdateLeader, rollOverYear, updateLeaderPerson } from "./leaders.server.ts";
import { auditActions, courses, db, officer, setUpLeaderTestWorld, world } from "./leader-test-world.ts";
import { rejection } from "#tests/rule-violations.ts";

setUpLeaderTestWorld();

describe("adding and changing leaders", () => {
  it("adds a leader by hand, updates them by email, links their group to an organisation, and guards student IDs", async () => {
    const { year, roleId } = await world();
    const orgName = `Rowing Club ${unique()}`;
    const organisationId = await createOrganisation(db, { name: orgName, kind: "sports_club" });
    const email = `grace-${unique()}@students.example.ac.uk`;
    const added = await addOrUpdateLeader(db, officer, year, {
      name: "Grace Kim",
      email: email.toUpperCase(),
      studentId: "s123",
      roleId,
      groupName: orgName.toLowerCase(),
      isPresident: "on",
    });
    expect(added.created).toBe(true);
    const appointment = await db.selectFrom("leader_appointments").selectAll().where("id", "=", added.appointmentId).executeTakeFirstOrThrow();
    expect(appointment).toMatchObject({ organisation_id: organisationId, is_president: 1, started_on: `${year}-12-01` });
    const again = await addOrUpdateLeader(db, officer, year, { name: "Grace Kim-Lee", email, roleId, groupName: orgName.toLowerCase() });
    expect(again).toEqual({ personId: added.personId, appointmentId: added.appointmentId, created: false });
    expect(await db.selectFrom("leader_people").select(["name", "email", "student_id"]).where("id", "=", added.personId).executeTakeFirstOrThrow()).toEqual({
      name: "Grace Kim-Lee",
      email,
      student_id: "S123",
    });
    const refused = await rejection(addOrUpdateLeader(db, officer, year, { name: "Someone", email: `x-${unique()}@example.ac.uk`, studentId: "S123", roleId }));
    expect(refused.field).toBe("studentId");
    expect(refused.message).toContain("Grace Kim-Lee");
    const other = await createLeader(db, { roleId, startYear: year });
    expect((await rejection(updateLeaderPerson(db, officer, { personId: other.personId, name: other.name, email }))).field).toBe("email");
    await updateLeaderPerson(db, officer, { personId: other.personId, name: "Renamed", email: other.email, studentId: "S999" });
    expect(await auditActions(added.personId)).toEqual(["leader.added", "leader.updated"]);
  });

  it("rolls the roles that continue over into a new year, once", async () => {
    const { year, roleId: continuing } = await world({ deadlineDay: "10-15" });
    const leaving = await createLeaderRole(db, [{ courseId: courses.bystander }]);
    const stays = await createLeader(db, { roleId: continuing, startYear: year, groupName: "Women's Network", isPresident: true });
    await createLeader(db, { roleId: continuing, startYear: year, endedOn: `${year}-11-01` });
    await createLeader(db, { roleId: leaving, startYear: year });
    const result = await rollOverYear(db, officer, { fromYear: year, toYear: year + 1, roleIds: [continuing] });
    expect(result).toEqual({ copied: 1, alreadyThere: 0 });
    const next = await db
      .selectFrom("leader_appointments")
      .selectAll()
      .where("start_year", "=", year + 1)
      .execute();
    expect(next).toEqual([
      expect.objectContaining({
        person_id: stays.personId,
        role_id: continuing,
        group_name: "Women's Network",
        is_president: 1,
        started_on: `${year + 1}-08-01`,
        ended_on: null,
      }),
    ]);
    expect(
      await db
        .selectFrom("leader_years")
        .select("deadline")
        .where("start_year", "=", year + 1)
        .executeTakeFirstOrThrow(),
    ).toEqual({ deadline: `${year + 1}-10-15` });
    expect(await rollOverYear(db, officer, { fromYear: year, toYear: year + 1, roleIds: [continuing] })).toEqual({ copied: 0, alreadyThere: 1 });
    expect((await rejection(rollOverYear(db, officer, { fromYear: year, toYear: year, roleIds: [continuing] }))).field).toBe("toYear");
  });
});
