import { expect } from "vitest";
import type { Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { getDb } from "#app/db.server.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { createUser } from "#tests/factories.ts";
import { createLeaderRole, createLeaderYear, leaderCourses } from "#tests/compliance-fixtures.ts";
import { pinClock } from "#tests/scheduling-fixtures.ts";
import { complianceForYear } from "./roster.server.ts";

/**
 * What the tests of the leader modules share: an officer, the courses, roster years of each test's
 * own (so its counts are its own), and how they read a refusal, a status and the audit log.
 */

export async function leaderTestSetup() {
  const db = getDb();
  const officer: SessionUser = await createUser(db, { name: "Jordan Ellis", roles: ["officer"] });
  return { db, officer, courses: await leaderCourses(db) };
}

let nextYear = 2040;

/** A roster year of the test's own (the next two stay free for it) with a role requiring Active Bystander; the clock on 1 December. */
export async function rosterYear(db: Kysely<Database>, bystander: number, opts: { deadlineDay?: string } = {}) {
  const year = nextYear;
  nextYear += 3;
  await createLeaderYear(db, year, `${year}-${opts.deadlineDay ?? "10-31"}`);
  const roleId = await createLeaderRole(db, [{ courseId: bystander }]);
  pinClock(`${year}-12-01T12:00:00Z`);
  return { year, roleId };
}

/** The clock on 1 December of a year no test has used yet. */
export const pinClockPastRosterYears = () => pinClock(`${nextYear}-12-01T12:00:00Z`);

export async function rejection(promise: Promise<unknown>): Promise<RuleViolation> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(RuleViolation);
  return err as RuleViolation;
}

/** A person's status on the dashboard (of their first row). */
export const statusOf = async (db: Kysely<Database>, year: number, personId: number) =>
  (await complianceForYear(db, year)).rows.find((r) => r.personId === personId)?.status;

export const auditActions = async (db: Kysely<Database>, entityId: number) =>
  (
    await db.selectFrom("audit_events").select("action").where("entity_type", "=", "leader").where("entity_id", "=", String(entityId)).orderBy("id").execute()
  ).map((a) => a.action);
