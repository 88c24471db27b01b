import { describe, expect, it } from "vitest";
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from "kysely";
import { closeRegister } from "#app/register/register.server.ts";
import { londonWallTimeToUtc } from "#app/utils/dates.ts";
import { MINUTE } from "#app/utils/time.ts";
import { attend, createLeader, createLeaderRole, leaderSession, unique } from "#tests/compliance-fixtures.ts";
import { createTrainer, insertSession, pinClock, signUpAs } from "#tests/scheduling-fixtures.ts";
import { separateConnections } from "#tests/connections.ts";
import { cancelWithToken, register } from "#app/signup/registrations.server.ts";
import { courses, db, officer, statusOf, setUpLeaderTestWorld, world } from "./leader-test-world.ts";
import { recordExternalCompletion } from "./records.server.ts";
import { rejection } from "#tests/rule-violations.ts";
import { nearMisses } from "./near-misses.server.ts";
import { complianceForYear } from "./roster.server.ts";

setUpLeaderTestWorld();

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

describe("the roster kept between requests", () => {
  it("stays through sign-ups and cancellations, and is worked out again when a leader's records or anyone's attendance change, on any connection", async () => {
    const { year, roleId } = await world();
    const recorded = await createLeader(db, { roleId, startYear: year });
    const present = await createLeader(db, { roleId, startYear: year });
    const ahead = await leaderSession(db, courses.bystander, `${year + 1}-01-20`, { status: "scheduled" });
    const delivered = await leaderSession(db, courses.bystander, `${year}-09-20`);
    let statements = 0;
    const counting = db.withPlugin({
      transformQuery: (args: PluginTransformQueryArgs): RootOperationNode => args.node,
      transformResult: async (args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> => {
        statements++;
        return args.result;
      },
    });
    /** Both leaders' statuses, and whether the roster was worked out (more than the versions read). */
    const ask = async () => {
      statements = 0;
      const { rows } = await complianceForYear(counting, year);
      const status = (p: { personId: number }) => rows.find((r) => r.personId === p.personId)?.status;
      return { statuses: [status(recorded), status(present)], workedOut: statements > 1 };
    };
    expect(await ask()).toEqual({ statuses: ["overdue", "overdue"], workedOut: true });
    expect(await ask()).toEqual({ statuses: ["overdue", "overdue"], workedOut: false });

    // Someone signs up for an induction ahead and another cancels a place: nobody's attendance changed.
    const place = await register(db, ahead, signUpAs("Sam"));
    expect(place.outcome).toBe("registered");
    await register(db, ahead, { ...signUpAs("Priya"), email: present.email });
    await cancelWithToken(db, (place as { manageToken: string }).manageToken);
    expect(await ask()).toEqual({ statuses: ["overdue", "overdue"], workedOut: false });

    // Training done elsewhere, recorded by an officer in another app process.
    const [elsewhere] = separateConnections(1);
    await recordExternalCompletion(elsewhere!, officer, {
      personId: recorded.personId,
      courseId: courses.bystander,
      completedOn: `${year}-09-02`,
      provider: "St John Ambulance",
    });
    expect(await ask()).toEqual({ statuses: ["compliant", "overdue"], workedOut: true });

    // On the register of an induction that was delivered: counted once marked present.
    const registration = await attend(db, delivered, present, { attendance: "unknown" });
    expect(await ask()).toEqual({ statuses: ["compliant", "overdue"], workedOut: false });
    await db.updateTable("registrations").set({ attendance: "present" }).where("id", "=", registration).execute();
    expect(await ask()).toEqual({ statuses: ["compliant", "compliant"], workedOut: true });
  });
});
