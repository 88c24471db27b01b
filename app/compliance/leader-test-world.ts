import { beforeAll, beforeEach } from "vitest";
import type { Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { getDb } from "#app/db.server.ts";
import { createUser } from "#tests/factories.ts";
import { createLeaderRole, createLeaderYear, leaderCourses } from "#tests/compliance-fixtures.ts";
import { pinClock } from "#tests/scheduling-fixtures.ts";
import { complianceForYear } from "./roster.server.ts";

/**
 * What the tests of the leader modules share: an officer, the courses, roster years of each test's
 * own (so its counts are its own), and how they read a status and the audit log.
 */

export let db: Kysely<Database>;
export let officer: SessionUser;
export let courses: Awaited<ReturnType<typeof leaderCourses>>;

/** Call once at the top of a test file: `db`, `officer` and `courses` are ready before its tests run. */
export function setUpLeaderTestWorld() {
  beforeAll(async () => {
    db = getDb();
    officer = await createUser(db, { name: "Jordan Ellis", roles: ["officer"] });
    courses = await leaderCourses(db);
  });
  // Tests that make no year of their own still see a day after every year made so far.
  beforeEach(() => pinClock(`${nextYear}-12-01T12:00:00Z`));
}

let nextYear = 2040;

/** A roster year of the test's own (the next two stay free for it) with a role requiring Active Bystander; the clock on 1 December. */
export async function world(opts: { deadlineDay?: string } = {}) {
  const year = nextYear;
  nextYear += 3;
  await createLeaderYear(db, year, `${year}-${opts.deadlineDay ?? "10-31"}`);
  const roleId = await createLeaderRole(db, [{ courseId: courses.bystander }]);
  pinClock(`${year}-12-01T12:00:00Z`);
  return { year, roleId };
}

/** A person's status on the dashboard (of their first row). */
export const statusOf = async (year: number, personId: number) => (await complianceForYear(db, year)).rows.find((r) => r.personId === personId)?.status;

export const auditActions = async (entityId: number) =>
  (
    await db.selectFrom("audit_events").select("action").where("entity_type", "=", "leader").where("entity_id", "=", String(entityId)).orderBy("id").execute()
  ).map((a) => a.action);
