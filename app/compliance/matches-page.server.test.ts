import type { Kysely } from "kysely";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "#db/schema.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { getDb } from "#app/db.server.ts";
import { attend, createLeader, createLeaderRole, createLeaderYear, leaderCourses, leaderSession, unique, type TestLeader } from "#tests/compliance-fixtures.ts";
import { createUser } from "#tests/factories.ts";
import { pinClock } from "#tests/scheduling-fixtures.ts";
import { decideMatch } from "./match-decision.server.ts";
import { possibleMatchesPage } from "./matches-page.server.ts";

const YEAR = 2093;
const NOW = `${YEAR}-12-01T12:00:00Z`;
let db: Kysely<Database>;
let officer: SessionUser;
let leader: TestLeader;
let registrationId: number;

beforeEach(() => pinClock(NOW));
beforeAll(async () => {
  pinClock(NOW);
  db = getDb();
  officer = await createUser(db, { roles: ["officer"] });
  const courses = await leaderCourses(db);
  await createLeaderYear(db, YEAR - 1);
  await createLeaderYear(db, YEAR);
  const hallRep = await createLeaderRole(db, [{ courseId: courses.bystander }], `Hall rep ${unique()}`);
  const captain = await createLeaderRole(db, [{ courseId: courses.bystander }], `Captain ${unique()}`);
  const buddy = await createLeaderRole(db, [{ courseId: courses.bystander }], `Buddy ${unique()}`);
  leader = await createLeader(db, { roleId: hallRep, startYear: YEAR, name: `Priya Near ${unique()}`, groupName: "Cavendish Hall" });
  await createLeader(db, { roleId: captain, startYear: YEAR, personId: leader.personId });
  await createLeader(db, { roleId: buddy, startYear: YEAR, personId: leader.personId, endedOn: `${YEAR}-10-01` });
  await createLeader(db, { roleId: buddy, startYear: YEAR - 1, personId: leader.personId });
  registrationId = await attend(db, await leaderSession(db, courses.bystander, `${YEAR}-10-20`), { name: leader.name, email: `${unique()}@gmail.example` });
});

describe("the possible matches page", () => {
  it("lists each leader's roles that year still held, by name, and no other year's", async () => {
    const { misses, rolesByPerson } = await possibleMatchesPage(db, YEAR, null);
    expect(misses.map((m) => [m.personId, m.registrationId, m.why])).toEqual([
      [leader.personId, registrationId, "Same name, different email, no student ID on the register"],
    ]);
    expect(rolesByPerson).toEqual({ [leader.personId]: [expect.stringMatching(/^Captain \d+$/), expect.stringMatching(/^Hall rep \d+, Cavendish Hall$/)] });
  });

  it("reads a page number it cannot use as the first page, and one past the end as the last", async () => {
    for (const asked of [null, "", "abc", "0", "-2", "1.5", "7"]) {
      const { page, misses } = await possibleMatchesPage(db, YEAR, asked);
      expect(page, String(asked)).toMatchObject({ total: 1, pages: 1, current: 1 });
      expect(misses).toHaveLength(1);
    }
  });
});

describe("an officer's decision on a possible match", () => {
  it("says which attendance it could not tell, and refuses a pair the app did not propose, writing nothing", async () => {
    expect(await decideMatch(db, officer, "confirm", { personId: "x", registrationId: String(registrationId) })).toEqual({
      kind: "error",
      message: "We could not tell which attendance you meant. Please try again.",
    });
    const stranger = await attend(db, await leaderSession(db, (await leaderCourses(db)).consent, `${YEAR}-10-21`), {
      name: "Somebody Else",
      email: `${unique()}@gmail.example`,
    });
    expect(await decideMatch(db, officer, "dismiss", { personId: leader.personId, registrationId: stranger })).toMatchObject({
      kind: "error",
      message: expect.stringMatching(/^This attendance is not a possible match for this leader/),
    });
    expect(await db.selectFrom("leader_match_dismissals").select("registration_id").where("person_id", "=", leader.personId).execute()).toEqual([]);
  });

  it("names the leader when it is settled, and a second dismissal is no error", async () => {
    const said = `Noted: not ${leader.name}. It will not be shown for them again.`;
    expect(await decideMatch(db, officer, "dismiss", { personId: leader.personId, registrationId })).toEqual({ kind: "success", message: said });
    expect(await decideMatch(db, officer, "dismiss", { personId: String(leader.personId), registrationId: String(registrationId) })).toEqual({
      kind: "success",
      message: said,
    });
    expect(await db.selectFrom("leader_match_dismissals").select("registration_id").where("person_id", "=", leader.personId).execute()).toEqual([
      { registration_id: registrationId },
    ]);
    expect((await possibleMatchesPage(db, YEAR, null)).misses).toEqual([]);
  });
});
