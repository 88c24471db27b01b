import { describe, expect, it } from "vitest";
import { attend, createLeader, createLeaderYear, leaderSession, unique } from "#tests/compliance-fixtures.ts";
import { auditActions, courses, db, officer, statusOf, setUpLeaderTestWorld, world } from "./leader-test-world.ts";
import { rejection } from "#tests/rule-violations.ts";
import { confirmMatch, dismissMatch, nearMisses } from "./near-misses.server.ts";

setUpLeaderTestWorld();

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
