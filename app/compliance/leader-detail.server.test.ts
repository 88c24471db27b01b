import { describe, expect, it } from "vitest";
import { attend, createLeader, createLeaderRole, createLeaderYear, leaderSession, unique } from "#tests/compliance-fixtures.ts";
import { leaderDetail } from "./leader-detail.server.ts";
import { courses, db, officer, setUpLeaderTestWorld, world } from "./leader-test-world.ts";
import { recordExemption, recordExternalCompletion } from "./records.server.ts";
import { sendReminders } from "./reminders.server.ts";
import { academicYearLabel } from "#app/utils/dates.ts";

setUpLeaderTestWorld();

describe("one leader's page", () => {
  it("shows the year's evaluation, the attendance that counted under the name it was registered as, what officers recorded, exemptions, reminders, other years' roles and near-misses", async () => {
    const { year } = await world();
    const roleName = `Hall rep ${unique()}`;
    const roleId = await createLeaderRole(db, [{ courseId: courses.bystander }, { courseId: courses.disclosures, validity: "months", months: 24 }], roleName);
    const leader = await createLeader(db, { roleId, startYear: year, name: "Amira Hussain" });
    await createLeaderYear(db, year + 1);
    await createLeader(db, { roleId, startYear: year + 1, personId: leader.personId, groupName: "Rugby Club" });

    const induction = await leaderSession(db, courses.bystander, `${year}-10-01`);
    await attend(db, induction, { name: "Ben Carter", email: "ben.carter@gmail.example" });
    const counted = await attend(db, induction, { name: "A. Hussain", email: leader.email.toUpperCase() });
    // Under the leader's name with another email: a near-miss, not counted.
    const maybe = await attend(db, await leaderSession(db, courses.disclosures, `${year}-10-02`), { name: "Amira Hussain", email: "amira@gmail.example" });
    const recorded = await recordExternalCompletion(db, officer, {
      personId: leader.personId,
      courseId: courses.consent,
      completedOn: `${year}-09-01`,
      provider: "Bath Spa SU",
    });
    const exemption = await recordExemption(db, officer, {
      personId: leader.personId,
      courseId: "all",
      startYear: year + 1,
      reason: "Trains others",
      grantedBy: "VP Welfare",
    });
    await sendReminders(db, officer, year, { to: [leader.personId] });

    const detail = (await leaderDetail(db, leader.personId, year))!;
    expect(detail.person).toMatchObject({ id: leader.personId, name: "Amira Hussain", email: leader.email });
    expect(detail.year).toMatchObject({ startYear: year, label: academicYearLabel(year) });
    expect(detail.appointments.map((a) => a.roleName)).toEqual([roleName]);
    expect(detail.result.status).toBe("overdue");
    expect(detail.result.requirements.map((r) => [r.courseId, r.state])).toEqual([
      [courses.bystander, "met"],
      [courses.disclosures, "missing"],
    ]);
    expect(detail.attendance).toEqual([
      expect.objectContaining({
        registrationId: counted,
        sessionId: induction,
        completedOn: `${year}-10-01`,
        registeredAs: "A. Hussain",
        sessionTitle: "Leader induction",
      }),
    ]);
    expect(detail.attendance[0]!.courseName).toMatch(/^Active Bystander/);
    expect(detail.recorded).toEqual([
      expect.objectContaining({ id: recorded, courseId: courses.consent, provider: "Bath Spa SU", recordedByName: "Jordan Ellis" }),
    ]);
    expect(detail.exemptions).toEqual([
      expect.objectContaining({ id: exemption, courseId: null, courseName: null, startYear: year + 1, reason: "Trains others", withdrawnAt: null }),
    ]);
    expect(detail.reminders).toEqual([expect.objectContaining({ sentByName: "Jordan Ellis", startYear: year })]);
    expect(detail.otherYears).toEqual([{ startYear: year + 1, roleName, groupName: "Rugby Club", endedOn: null }]);
    expect(detail.nearMisses.map((m) => [m.registrationId, m.courseId])).toEqual([[maybe, courses.disclosures]]);
  });

  it("is nothing for someone not on file", async () => {
    const { year } = await world();
    expect(await leaderDetail(db, 987_654_321, year)).toBeNull();
  });
});
