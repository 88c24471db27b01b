import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Kysely, KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from "kysely";
import type { Database } from "#db/schema.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { getDb } from "#app/db.server.ts";
import { closeRegister } from "#app/register/register.server.ts";
import { londonWallTimeToUtc } from "#app/utils/dates.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { MINUTE } from "#app/utils/time.ts";
import { createOrganisation, createUser } from "#tests/factories.ts";
import { attend, createLeader, createLeaderRole, createLeaderYear, leaderCourses, leaderSession, unique } from "#tests/compliance-fixtures.ts";
import { createTrainer, insertSession, pinClock } from "#tests/scheduling-fixtures.ts";
import { complianceForYear } from "./roster.server.ts";
import { leaderDetail } from "./leader-detail.server.ts";
import { confirmMatch, dismissMatch, nearMisses } from "./near-misses.server.ts";
import { endAppointment, recordExemption, recordExternalCompletion, withdrawCompletion, withdrawExemption } from "./records.server.ts";
import { addOrUpdateLeader, rollOverYear, updateLeaderPerson } from "./leaders.server.ts";

let db: Kysely<Database>;
let officer: SessionUser;
let courses: Awaited<ReturnType<typeof leaderCourses>>;
beforeAll(async () => {
  db = getDb();
  officer = await createUser(db, { name: "Jordan Ellis", roles: ["officer"] });
  courses = await leaderCourses(db);
});

async function rejection(promise: Promise<unknown>): Promise<RuleViolation> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(RuleViolation);
  return err as RuleViolation;
}

/** Each test gets its own roster years (so counts are its own; the next two stay free) and a role requiring Active Bystander. */
let nextYear = 2040;
async function world(opts: { deadlineDay?: string } = {}) {
  const year = nextYear;
  nextYear += 3;
  await createLeaderYear(db, year, `${year}-${opts.deadlineDay ?? "10-31"}`);
  const roleId = await createLeaderRole(db, [{ courseId: courses.bystander }]);
  pinClock(`${year}-12-01T12:00:00Z`);
  return { year, roleId };
}

const statusOf = async (year: number, personId: number) => (await complianceForYear(db, year)).rows.find((r) => r.personId === personId)?.status;
const auditActions = async (entityId: number) =>
  (
    await db.selectFrom("audit_events").select("action").where("entity_type", "=", "leader").where("entity_id", "=", String(entityId)).orderBy("id").execute()
  ).map((a) => a.action);

describe("attendance counts by itself", () => {
  it("turns a leader compliant when the register is closed: email in any letter case, or student ID; nobody touches the roster", async () => {
    const { year, roleId } = await world();
    const byEmail = await createLeader(db, { roleId, startYear: year, name: "Amira Hussain", email: `amira-${unique()}@students.example.ac.uk` });
    const byId = await createLeader(db, { roleId, startYear: year, name: "Ben Carter", studentId: `S${unique()}`.slice(0, 20).toUpperCase() });
    const sameName = await createLeader(db, { roleId, startYear: year, name: "Chen Wei" });

    const trainer = await createTrainer(db, { qualifiedFor: [courses.bystander] });
    const startsAt = londonWallTimeToUtc(`${year}-11-20`, "18:00");
    const sessionId = await insertSession(db, { courseId: courses.bystander, startsAt, trainerIds: [trainer.id] });
    await db.updateTable("sessions").set({ kind: "open", title: "Leader induction" }).where("id", "=", sessionId).execute();
    await attend(db, sessionId, { name: "Amira H", email: byEmail.email.toUpperCase() });
    await attend(db, sessionId, { name: "Ben C", email: "ben.personal@outlook.example", studentId: byId.studentId!.toLowerCase() });
    await attend(db, sessionId, { name: "Chen Wei", email: "chen.wei@gmail.example" });

    // Present on the register, but the session is not delivered until the register is closed.
    expect(await statusOf(year, byEmail.personId)).toBe("overdue");
    expect(await statusOf(year, byId.personId)).toBe("overdue");

    pinClock(new Date(startsAt.getTime() + 30 * MINUTE));
    await closeRegister(db, trainer, sessionId);
    pinClock(`${year}-12-01T12:00:00Z`);

    const report = await complianceForYear(db, year);
    const row = (p: { personId: number }) => report.rows.find((r) => r.personId === p.personId)!;
    expect(row(byEmail)).toMatchObject({ status: "compliant", missing: [] });
    expect(row(byEmail).requirements[0]!.metBy).toMatchObject({ source: "attendance", completedOn: `${year}-11-20`, sessionId });
    expect(row(byId).status).toBe("compliant");
    // Same name, another email and no student ID: not counted, but shown to the officer.
    expect(row(sameName).status).toBe("overdue");
    const misses = await nearMisses(db, year);
    expect(misses).toHaveLength(1);
    expect(misses[0]).toMatchObject({
      personId: sameName.personId,
      registeredEmail: "chen.wei@gmail.example",
      courseId: courses.bystander,
      attendedOn: `${year}-11-20`,
    });
    expect(await db.selectFrom("leader_completions").select("id").where("person_id", "in", [byEmail.personId, byId.personId]).execute()).toEqual([]);
  });

  it("does not count an absence, a session not delivered, a cancelled place or another course", async () => {
    const { year, roleId } = await world();
    const leaders = await Promise.all([1, 2, 3, 4].map(() => createLeader(db, { roleId, startYear: year })));
    const delivered = await leaderSession(db, courses.bystander, `${year}-10-01`);
    const notYet = await leaderSession(db, courses.bystander, `${year}-10-02`, { status: "scheduled" });
    const otherCourse = await leaderSession(db, courses.consent, `${year}-10-03`);
    await attend(db, delivered, leaders[0]!, { attendance: "absent" });
    await attend(db, notYet, leaders[1]!);
    await attend(db, delivered, leaders[2]!, { status: "cancelled" });
    await attend(db, otherCourse, leaders[3]!);
    const report = await complianceForYear(db, year);
    expect(report.rows.map((r) => r.status)).toEqual(["overdue", "overdue", "overdue", "overdue"]);
  });

  it("counts for a per-year requirement only attendance within the academic year", async () => {
    const { year, roleId } = await world();
    const leader = await createLeader(db, { roleId, startYear: year });
    await attend(db, await leaderSession(db, courses.bystander, `${year}-07-20`), leader);
    expect(await statusOf(year, leader.personId)).toBe("overdue");
    await attend(db, await leaderSession(db, courses.bystander, `${year}-08-02`), leader);
    expect(await statusOf(year, leader.personId)).toBe("compliant");
  });
});

describe("near-misses", () => {
  it("confirming one counts the attendance for the leader; dismissing one hides it for good", async () => {
    const { year, roleId } = await world();
    const name = `Dara O'Neill ${unique()}`;
    const dara = await createLeader(db, { roleId, startYear: year, name });
    const sessionId = await leaderSession(db, courses.bystander, `${year}-10-10`);
    const first = await attend(db, sessionId, { name: name.toUpperCase().replace("'", ""), email: "dara@gmail.example" });
    const second = await attend(db, await leaderSession(db, courses.bystander, `${year}-10-11`), { name, email: "dara.other@gmail.example" });
    expect((await nearMisses(db, year)).map((m) => m.registrationId).sort()).toEqual([first, second].sort());

    await dismissMatch(db, officer, { personId: dara.personId, registrationId: second });
    expect((await nearMisses(db, year)).map((m) => m.registrationId)).toEqual([first]);

    const completionId = await confirmMatch(db, officer, { personId: dara.personId, registrationId: first });
    expect(await statusOf(year, dara.personId)).toBe("compliant");
    expect(await nearMisses(db, year)).toEqual([]);
    const recorded = await db.selectFrom("leader_completions").selectAll().where("id", "=", completionId).executeTakeFirstOrThrow();
    expect(recorded).toMatchObject({ source: "confirmed_match", registration_id: first, completed_on: `${year}-10-10`, recorded_by: officer.id });
    expect(recorded.evidence_note).toContain("dara@gmail.example");
    expect((await rejection(confirmMatch(db, officer, { personId: dara.personId, registrationId: first }))).message).toMatch(/already confirmed/);
    expect(await auditActions(dara.personId)).toEqual(["leader.match_dismissed", "leader.match_confirmed"]);
  });

  it("leaves out attendance that is another leader's by email, that is too old to count, or for a leader already done", async () => {
    const { year, roleId } = await world();
    const name = `Femi Adeyemi ${unique()}`;
    const femi = await createLeader(db, { roleId, startYear: year, name });
    // Another leader (on next year's roster) with the same name and their own email: the attendance is theirs.
    await createLeaderYear(db, year + 1);
    const namesake = await createLeader(db, { roleId, startYear: year + 1, name });
    await attend(db, await leaderSession(db, courses.bystander, `${year}-10-01`), { name, email: namesake.email });
    // Last academic year: cannot count for this year's requirement.
    await attend(db, await leaderSession(db, courses.bystander, `${year}-06-01`), { name, email: "femi@gmail.example" });
    expect(await nearMisses(db, year)).toEqual([]);

    const later = await attend(db, await leaderSession(db, courses.bystander, `${year}-10-02`), { name, email: "femi@gmail.example" });
    expect((await nearMisses(db, year)).map((m) => m.registrationId)).toEqual([later]);
    await attend(db, await leaderSession(db, courses.bystander, `${year}-10-03`), femi);
    expect(await nearMisses(db, year)).toEqual([]);
  });

  it("confirms or dismisses only a pair the app proposed: any other leader and registration is refused, and nothing about it is written", async () => {
    const { year, roleId } = await world();
    const name = `Ines Okoro ${unique()}`;
    const ines = await createLeader(db, { roleId, startYear: year, name });
    const other = await createLeader(db, { roleId, startYear: year, name: `Someone Else ${unique()}` });
    const proposed = await attend(db, await leaderSession(db, courses.bystander, `${year}-10-10`), { name, email: "ines@gmail.example" });
    // Somebody at a Handling Disclosures session, with another name: never proposed for anyone.
    const stranger = await attend(db, await leaderSession(db, courses.disclosures, `${year}-10-12`), {
      name: `Private Person ${unique()}`,
      email: "private@gmail.example",
      studentId: "S7654321",
    });
    const before = {
      completions: await db.selectFrom("leader_completions").select("id").execute(),
      dismissals: await db.selectFrom("leader_match_dismissals").selectAll().execute(),
    };

    for (const pair of [
      { personId: ines.personId, registrationId: stranger },
      { personId: other.personId, registrationId: proposed },
      { personId: other.personId, registrationId: stranger },
      { personId: ines.personId, registrationId: 987_654_321 },
    ]) {
      expect((await rejection(confirmMatch(db, officer, pair))).field, JSON.stringify(pair)).toBe("registrationId");
      expect((await rejection(dismissMatch(db, officer, pair))).field, JSON.stringify(pair)).toBe("registrationId");
    }
    expect(await db.selectFrom("leader_completions").select("id").execute()).toEqual(before.completions);
    expect(await db.selectFrom("leader_match_dismissals").selectAll().execute()).toEqual(before.dismissals);
    expect(await auditActions(ines.personId)).toEqual([]);
    expect(await auditActions(other.personId)).toEqual([]);
    const notes = await db.selectFrom("leader_completions").select("evidence_note").execute();
    expect(JSON.stringify(notes)).not.toContain("private@gmail.example");

    // The proposed pair itself still works, and a second dismissal is harmless.
    await dismissMatch(db, officer, { personId: ines.personId, registrationId: proposed });
    await dismissMatch(db, officer, { personId: ines.personId, registrationId: proposed });
    expect(await auditActions(ines.personId)).toEqual(["leader.match_dismissed"]);
  });

  it("refuses to confirm what was not attendance at a delivered session", async () => {
    const { year, roleId } = await world();
    const leader = await createLeader(db, { roleId, startYear: year });
    const absent = await attend(
      db,
      await leaderSession(db, courses.bystander, `${year}-10-01`),
      { name: leader.name, email: "x@gmail.example" },
      { attendance: "absent" },
    );
    expect((await rejection(confirmMatch(db, officer, { personId: leader.personId, registrationId: absent }))).field).toBe("registrationId");
  });
});

describe("the dashboard", () => {
  it("counts by role and group, filters, sorts and pages", async () => {
    const { year, roleId: captainRole } = await world();
    const repRole = await createLeaderRole(db, [{ courseId: courses.bystander }, { courseId: courses.disclosures, validity: "months", months: 24 }]);
    const session = await leaderSession(db, courses.bystander, `${year}-09-20`);
    const a = await createLeader(db, { roleId: captainRole, startYear: year, name: "Aaron Zed", groupName: "Rugby Club" });
    const b = await createLeader(db, { roleId: captainRole, startYear: year, name: "Beth Young", groupName: "Rugby Club" });
    const c = await createLeader(db, { roleId: repRole, startYear: year, name: "Cara Xu", groupName: "Hall Reps", startedOn: `${year}-11-25` });
    const d = await createLeader(db, { roleId: repRole, startYear: year, name: "Dev White", groupName: "Hall Reps", endedOn: `${year}-11-01` });
    // Cara also captains: one person, two rows; the person's status is the worse of the two.
    const c2 = await createLeader(db, { roleId: captainRole, startYear: year, personId: c.personId, groupName: "Netball Club" });
    await attend(db, session, a);
    await attend(db, session, c);

    const report = await complianceForYear(db, year);
    expect(report.year).toMatchObject({ startYear: year, deadline: `${year}-10-31`, label: `${year}–${String((year + 1) % 100).padStart(2, "0")}` });
    expect(report.total).toBe(5);
    expect(report.rows.map((r) => [r.name, r.status])).toEqual([
      ["Beth Young", "overdue"],
      ["Cara Xu", "due"],
      ["Aaron Zed", "compliant"],
      ["Cara Xu", "compliant"],
      ["Dev White", "ended"],
    ]);
    expect(report.rows.find((r) => r.appointmentId === c2.appointmentId)).toMatchObject({ status: "compliant", personStatus: "due" });
    expect(report.rows.find((r) => r.appointmentId === c.appointmentId)).toMatchObject({
      missing: [expect.stringContaining("Handling Disclosures")],
      dueOn: `${year}-12-23`,
    });
    expect(report.summary.overall).toEqual({ total: 4, compliant: 1, due: 1, due_soon: 0, overdue: 1, ended: 1, percentCompliant: 33.3 });
    expect(report.summary.byGroup.map((g) => [g.groupName, g.compliant, g.total, g.percentCompliant])).toEqual([
      ["Hall Reps", 0, 2, 0],
      ["Netball Club", 1, 1, 100],
      ["Rugby Club", 1, 2, 50],
    ]);
    expect(report.summary.byRole.find((r) => r.roleId === repRole)).toMatchObject({ total: 2, due: 1, ended: 1, percentCompliant: 0 });

    const hallReps = await complianceForYear(db, year, { filters: { group: "Hall Reps" } });
    expect(hallReps.rows.map((r) => r.name)).toEqual(["Cara Xu", "Dev White"]);
    expect(hallReps.summary.overall.total).toBe(2);
    const overdue = await complianceForYear(db, year, { filters: { status: "overdue" } });
    expect(overdue.rows.map((r) => r.personId)).toEqual([b.personId]);
    expect(overdue.summary.overall.total).toBe(4); // the status filter narrows rows, not counts
    expect((await complianceForYear(db, year, { filters: { role: repRole } })).rows.map((r) => r.roleId)).toEqual([repRole, repRole]);
    expect((await complianceForYear(db, year, { filters: { search: "XU" } })).rows.map((r) => r.name)).toEqual(["Cara Xu", "Cara Xu"]);
    expect((await complianceForYear(db, year, { filters: { search: d.email } })).rows.map((r) => r.name)).toEqual(["Dev White"]);
    expect((await complianceForYear(db, year, { filters: { sort: "name" } })).rows.map((r) => r.name)).toEqual([
      "Aaron Zed",
      "Beth Young",
      "Cara Xu",
      "Cara Xu",
      "Dev White",
    ]);
    const paged = await complianceForYear(db, year, { filters: { sort: "name" }, limit: 2, offset: 2 });
    expect([paged.total, paged.rows.map((r) => r.name)]).toEqual([5, ["Cara Xu", "Cara Xu"]]);
  });

  it("asks the database the same few questions for 3 leaders as for 60", async () => {
    const counted = async (year: number) => {
      let queries = 0;
      // Called once for each statement executed.
      const plugin: KyselyPlugin = {
        transformQuery: (args: PluginTransformQueryArgs): RootOperationNode => args.node,
        transformResult: async (args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> => {
          queries++;
          return args.result;
        },
      };
      await complianceForYear(db.withPlugin(plugin), year);
      return queries;
    };
    const small = await world();
    const large = await world();
    const session = await leaderSession(db, courses.bystander, `${large.year}-09-20`);
    for (let i = 0; i < 3; i++) await createLeader(db, { roleId: small.roleId, startYear: small.year });
    for (let i = 0; i < 60; i++) {
      const leader = await createLeader(db, { roleId: large.roleId, startYear: large.year, studentId: `L${unique()}`.slice(0, 20).toUpperCase() });
      if (i % 2) await attend(db, session, leader);
    }
    const few = await counted(small.year);
    // Eight, and the record version the roster is kept against.
    expect(few).toBeLessThanOrEqual(9);
    expect(await counted(large.year)).toBe(few);
    expect((await complianceForYear(db, large.year)).summary.overall.compliant).toBe(30);
  });

  it("sees a year that is over as it stood on 31 July", async () => {
    const { year } = await world();
    const roleId = await createLeaderRole(db, [{ courseId: courses.disclosures, validity: "months", months: 12 }]);
    const leader = await createLeader(db, { roleId, startYear: year });
    await attend(db, await leaderSession(db, courses.disclosures, `${year}-09-01`), leader);
    pinClock(`${year + 2}-01-10T12:00:00Z`);
    expect(await statusOf(year, leader.personId)).toBe("compliant");
    expect((await complianceForYear(db, year, { asOf: `${year + 2}-01-10` })).rows[0]!.status).toBe("overdue");
  });

  it("refuses a year that is not set up", async () => {
    expect((await rejection(complianceForYear(db, 1999))).field).toBe("startYear");
  });
});

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

beforeEach(() => pinClock(`${nextYear}-12-01T12:00:00Z`));
