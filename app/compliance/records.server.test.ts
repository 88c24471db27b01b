import { describe, expect, it } from "vitest";
import { createLeader, createLeaderYear } from "#tests/compliance-fixtures.ts";
import { academicYearLabel, formatDay } from "#app/utils/dates.ts";
import { leaderDetail } from "./leader-detail.server.ts";
import { auditActions, courses, db, officer, statusOf, setUpLeaderTestWorld, world } from "./leader-test-world.ts";
import { rejection } from "#tests/rule-violations.ts";
import { endAppointment, recordExemption, recordExternalCompletion, withdrawCompletion, withdrawExemption } from "./records.server.ts";
import { complianceForYear } from "./roster.server.ts";

setUpLeaderTestWorld();

const courseName = async (id: number) => (await db.selectFrom("courses").select("name").where("id", "=", id).executeTakeFirstOrThrow()).name;
const lastAudit = async (action: string, personId: number) => {
  const row = await db
    .selectFrom("audit_events")
    .select(["summary", "detail_json"])
    .where("action", "=", action)
    .where("entity_id", "=", String(personId))
    .orderBy("id", "desc")
    .executeTakeFirstOrThrow();
  return { summary: row.summary, detail: JSON.parse(row.detail_json!) as unknown };
};

describe("what an officer records", () => {
  it("training done elsewhere counts from its date, cannot be in the future, and is audited; withdrawn, it stops counting", async () => {
    const { year, roleId } = await world();
    const leader = await createLeader(db, { roleId, startYear: year });
    const input = { personId: leader.personId, courseId: courses.bystander, provider: "Bath Spa SU", evidenceNote: "Certificate seen" };
    expect((await rejection(recordExternalCompletion(db, officer, { ...input, completedOn: `${year}-12-02` }))).field).toBe("completedOn");
    expect((await rejection(recordExternalCompletion(db, officer, { ...input, provider: " ", completedOn: `${year}-09-02` }))).field).toBe("provider");
    const id = await recordExternalCompletion(db, officer, { ...input, completedOn: `${year}-09-02` });
    expect(await statusOf(year, leader.personId)).toBe("compliant");
    await withdrawCompletion(db, officer, { personId: leader.personId, id, reason: "Entered for the wrong person" });
    expect(await statusOf(year, leader.personId)).toBe("overdue");
    expect((await rejection(withdrawCompletion(db, officer, { personId: leader.personId, id, reason: "Again" }))).message).toMatch(/already withdrawn/);
    expect(await auditActions(leader.personId)).toEqual(["leader.completion_recorded", "leader.completion_withdrawn"]);
    expect(await lastAudit("leader.completion_withdrawn", leader.personId)).toEqual({
      summary: `Jordan Ellis withdrew ${await courseName(courses.bystander)} on ${formatDay(`${year}-09-02`)} for ${leader.name}: Entered for the wrong person`,
      detail: { completionId: id },
    });
    const detail = (await leaderDetail(db, leader.personId, year))!;
    expect(detail.recorded[0]).toMatchObject({
      provider: "Bath Spa SU",
      recordedByName: "Jordan Ellis",
      withdrawnByName: "Jordan Ellis",
      withdrawReason: "Entered for the wrong person",
    });
  });

  it("an exemption with a reason and who granted it satisfies the year; withdrawn, it does not", async () => {
    const { year, roleId } = await world();
    const leader = await createLeader(db, { roleId, startYear: year });
    expect(
      (await rejection(recordExemption(db, officer, { personId: leader.personId, courseId: "all", startYear: year, reason: "", grantedBy: "VP Welfare" })))
        .field,
    ).toBe("reason");
    const id = await recordExemption(db, officer, {
      personId: leader.personId,
      courseId: "all",
      startYear: year,
      reason: "Trains others",
      grantedBy: "VP Welfare",
    });
    const row = (await complianceForYear(db, year)).rows[0]!;
    expect(row.status).toBe("compliant");
    expect(row.requirements[0]).toMatchObject({ state: "exempt", exemption: { reason: "Trains others", grantedBy: "VP Welfare" } });
    // Not next year.
    await createLeaderYear(db, year + 1);
    await createLeader(db, { roleId, startYear: year + 1, personId: leader.personId });
    expect((await complianceForYear(db, year + 1, { asOf: `${year + 1}-12-01` })).rows[0]!.status).toBe("overdue");
    await withdrawExemption(db, officer, { personId: leader.personId, id, reason: "Granted in error" });
    expect(await statusOf(year, leader.personId)).toBe("overdue");
    expect(await auditActions(leader.personId)).toEqual(["leader.exemption_recorded", "leader.exemption_withdrawn"]);
    expect(await lastAudit("leader.exemption_withdrawn", leader.personId)).toEqual({
      summary: `Jordan Ellis withdrew the ${academicYearLabel(year)} exemption of ${leader.name}: Granted in error`,
      detail: { exemptionId: id },
    });
  });

  it("ending a role mid-year keeps it in the history and stops it asking for training", async () => {
    const { year, roleId } = await world();
    const leader = await createLeader(db, { roleId, startYear: year, startedOn: `${year}-09-01` });
    expect(
      (
        await rejection(
          endAppointment(db, officer, { personId: leader.personId, appointmentId: leader.appointmentId, endedOn: `${year}-08-15`, reason: "Left" }),
        )
      ).field,
    ).toBe("endedOn");
    await endAppointment(db, officer, { personId: leader.personId, appointmentId: leader.appointmentId, endedOn: `${year}-11-15`, reason: "Stepped down" });
    const row = (await complianceForYear(db, year)).rows[0]!;
    expect(row).toMatchObject({ status: "ended", endedOn: `${year}-11-15`, endReason: "Stepped down", requirements: [] });
    expect((await complianceForYear(db, year)).summary.overall).toMatchObject({ total: 1, ended: 1, percentCompliant: null });
    // Before it ended it was overdue.
    expect((await complianceForYear(db, year, { asOf: `${year}-11-14` })).rows[0]!.status).toBe("overdue");
    expect(
      (
        await rejection(
          endAppointment(db, officer, { personId: leader.personId, appointmentId: leader.appointmentId, endedOn: `${year}-11-20`, reason: "Again" }),
        )
      ).message,
    ).toMatch(/already ended/);
    expect((await leaderDetail(db, leader.personId, year))!.appointments[0]).toMatchObject({ endedOn: `${year}-11-15` });
    expect(await auditActions(leader.personId)).toEqual(["leader.role_ended"]);
  });

  it("withdraws, exempts and ends only what belongs to the leader named: another leader's record, role or year is refused", async () => {
    const { year, roleId } = await world();
    const leader = await createLeader(db, { roleId, startYear: year });
    const other = await createLeader(db, { roleId, startYear: year });
    const input = { courseId: courses.bystander, provider: "Bath Spa SU", completedOn: `${year}-09-02` };
    const theirCompletion = await recordExternalCompletion(db, officer, { ...input, personId: other.personId });
    const theirExemption = await recordExemption(db, officer, {
      personId: other.personId,
      courseId: "all",
      startYear: year,
      reason: "Trains others",
      grantedBy: "VP Welfare",
    });

    expect((await rejection(withdrawCompletion(db, officer, { personId: leader.personId, id: theirCompletion, reason: "Wrong" }))).field).toBe("id");
    expect((await rejection(withdrawExemption(db, officer, { personId: leader.personId, id: theirExemption, reason: "Wrong" }))).field).toBe("id");
    expect(
      (
        await rejection(
          endAppointment(db, officer, { personId: leader.personId, appointmentId: other.appointmentId, endedOn: `${year}-11-15`, reason: "Left" }),
        )
      ).field,
    ).toBe("appointmentId");
    // A year set up, but not one the leader holds a role in.
    await createLeaderYear(db, year + 1);
    expect(
      (
        await rejection(
          recordExemption(db, officer, { personId: leader.personId, courseId: "all", startYear: year + 1, reason: "Trains others", grantedBy: "VP Welfare" }),
        )
      ).field,
    ).toBe("startYear");

    expect(await db.selectFrom("leader_completions").select("withdrawn_at").where("id", "=", theirCompletion).executeTakeFirstOrThrow()).toEqual({
      withdrawn_at: null,
    });
    expect(await db.selectFrom("leader_exemptions").select("withdrawn_at").where("id", "=", theirExemption).executeTakeFirstOrThrow()).toEqual({
      withdrawn_at: null,
    });
    expect(await db.selectFrom("leader_appointments").select("ended_on").where("id", "=", other.appointmentId).executeTakeFirstOrThrow()).toEqual({
      ended_on: null,
    });
    expect(await auditActions(leader.personId)).toEqual([]);
  });
});
