import type { Kysely } from "kysely";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "#db/schema.ts";
import { getDb } from "#app/db.server.ts";
import { createLeader, createLeaderRole, createLeaderYear, leaderCourses, unique, type TestLeader } from "#tests/compliance-fixtures.ts";
import { pinClock } from "#tests/scheduling-fixtures.ts";
import { GROUP_CHOICES_MAX, parseDashboardQuery } from "./dashboard.ts";
import { leadersPage } from "./leaders-page.server.ts";

const YEAR = 2095;
const NOW = `${YEAR}-11-20T12:00:00Z`;
let db: Kysely<Database>;
let beforeAnyYear: Awaited<ReturnType<typeof leadersPage>>;
let leader: TestLeader;

const page = async (search: string) => {
  const shown = await leadersPage(db, parseDashboardQuery(new URLSearchParams(search)));
  if (shown.state !== "ready") throw new Error("no roster");
  return shown;
};

beforeEach(() => pinClock(NOW));
beforeAll(async () => {
  pinClock(NOW);
  db = getDb();
  beforeAnyYear = await leadersPage(db, parseDashboardQuery(new URLSearchParams()));
  const courses = await leaderCourses(db);
  await createLeaderYear(db, YEAR - 1);
  await createLeaderYear(db, YEAR);
  const roleId = await createLeaderRole(db, [{ courseId: courses.bystander }]);
  leader = await createLeader(db, { roleId, startYear: YEAR, studentId: `S${unique()}`.slice(0, 12), groupName: "Group 0" });
  // Last year: a group for every leader, more than a list of choices holds.
  for (let i = 0; i <= GROUP_CHOICES_MAX; i++) await createLeader(db, { roleId, startYear: YEAR - 1, groupName: `Group ${i}` });
});

describe("the leaders dashboard", () => {
  it("says there is no roster until a year is set up", () => {
    expect(beforeAnyYear).toEqual({ state: "no-roster" });
  });

  it("sends no leader's email address or student ID to the browser", async () => {
    const shown = await page(`year=${YEAR}`);
    expect(shown.rows.map((r) => r.personId)).toContain(leader.personId);
    const sent = JSON.stringify(shown);
    expect(sent).toContain(leader.name);
    expect(sent).not.toContain(leader.email);
    expect(sent).not.toContain(leader.studentId!);
  });

  it("links from the year and page it shows: a year not set up is the current one, a page past the end the last", async () => {
    const shown = await page("year=1999&page=99&status=overdue");
    expect(shown.year.startYear).toBe(YEAR);
    expect(shown.query).toMatchObject({ year: YEAR, page: 1, status: "overdue" });
  });

  it("offers the groups as a list of choices up to its limit, and a box to type in beyond", async () => {
    expect((await page(`year=${YEAR}`)).groups).toEqual(["Group 0"]);
    expect((await page(`year=${YEAR - 1}`)).groups).toBeNull();
  });

  it("shows a year that is over as it stood on its last day, with no reminders to send", async () => {
    const over = await page(`year=${YEAR - 1}`);
    expect(over).toMatchObject({ yearOver: true, asOf: `${YEAR}-07-31` });
    expect(await page(`year=${YEAR}`)).toMatchObject({ yearOver: false, asOf: `${YEAR}-11-20` });
  });
});
