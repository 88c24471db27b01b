import type { Kysely } from "kysely";
import { openDatabase } from "#db/connection.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "#db/schema.ts";
import { complianceForYear, rosterMembers } from "#app/compliance/roster.server.ts";
import { nearMisses } from "#app/compliance/near-misses.server.ts";
import { dashboardPage, groupNamesForYear } from "#app/compliance/dashboard.server.ts";
import { listLeaderYears } from "#app/compliance/roles.server.ts";
import { getDb } from "#app/db.server.ts";
import { impactFilterChoices, loadImpactReport } from "#app/reports/impact-page.server.ts";
import { termTotals } from "#app/feedback/feedback.server.ts";
import { calendarGrid } from "#app/scheduling/calendar-grid.ts";
import { calendarPeriod, listSessionsNeedingTrainers, trainerChoices } from "#app/scheduling/queries.server.ts";
import { trainerCalendar } from "#app/trainers/trainers.server.ts";
import { londonDateOf, termOf } from "#app/utils/dates.ts";
import { setRecordCacheEnabled } from "#app/utils/record-cache.server.ts";
import { nowIso } from "#app/utils/time.ts";
import {
  attend,
  createLeader,
  createLeaderRole,
  createLeaderYear,
  insertCompletion,
  insertExemption,
  leaderCourses,
  leaderSession,
} from "#tests/compliance-fixtures.ts";
import { createCourse, createUser } from "#tests/factories.ts";
import { createRoom, createTrainer, insertAssignment, insertSession } from "#tests/scheduling-fixtures.ts";
import { createStaffMember, createStaffRole, createVenue } from "#tests/staff-fixtures.ts";
import { venueSummaries } from "#app/venues/coverage.server.ts";
import { onPostgres } from "#tests/connections.ts";

/**
 * Cached figures are only as fresh as the record version, which triggers raise when a watched table is
 * written. Every table the cached computations read must therefore be watched: this runs them with the
 * cache off, writes down every table their statements name, and compares with the triggers in the database.
 */

let logged: Kysely<Database>;
const tablesRead = new Set<string>();

beforeAll(() => {
  logged = openDatabase(globalThis.__neverokDb!.target, {
    log: (e) => {
      if (e.level !== "query") return;
      for (const m of e.query.sql.matchAll(/\b(?:from|join)\s+"([a-z_]+)"/gi)) tablesRead.add(m[1]!);
    },
  });
  setRecordCacheEnabled(false);
});

afterAll(async () => {
  setRecordCacheEnabled(true);
  await logged.destroy();
});

async function watchedTables(): Promise<Set<string>> {
  const triggers = await getDb()
    .selectFrom("sqlite_master" as never)
    .select(["tbl_name" as never, "name" as never])
    .where("type" as never, "=", "trigger" as never)
    .execute();
  return new Set((triggers as { tbl_name: string; name: string }[]).filter((t) => t.name.endsWith("_bumps_version")).map((t) => t.tbl_name));
}

// Reads SQLite's triggers; PostgreSQL's record versions are kept by triggers of their own.
describe.skipIf(onPostgres)("the record version covers what the cached figures read", () => {
  it("watches every table the impact report and its filter choices read", async () => {
    const years = ["", "year=2025", "from=2025-09-01&to=2025-12-31", "course=1&kind=department", "trainer=1"];
    for (const q of years) await loadImpactReport(logged, new URLSearchParams(q));
    await impactFilterChoices(logged);

    tablesRead.delete("record_versions");
    // The venues' accreditation threshold is read before the cache and is part of its key.
    tablesRead.delete("settings");
    expect(tablesRead.size, "the statements were written down").toBeGreaterThan(3);
    const watched = await watchedTables();
    expect([...tablesRead].filter((t) => !watched.has(t)).sort()).toEqual([]);
  });

  it("watches every table a trainer's calendar feed and a term's feedback totals read", async () => {
    tablesRead.clear();
    const db = getDb();
    const course = await createCourse(db);
    const trainer = await createTrainer(db, { qualifiedFor: [course] });
    const session = await insertSession(db, { courseId: course, startsAt: new Date(Date.now() + 86_400_000), roomId: await createRoom(db) });
    await insertAssignment(db, session, trainer.id);
    expect(await trainerCalendar(logged, trainer)).toContain("BEGIN:VEVENT");
    await termTotals(logged, termOf(new Date()));
    // The coordinator's calendar and its trainer filter.
    const tomorrow = londonDateOf(new Date(Date.now() + 86_400_000));
    await calendarPeriod(logged, calendarGrid("week", tomorrow), { trainerId: trainer.id, organisationName: "a" });
    expect((await calendarPeriod(logged, calendarGrid("week", tomorrow))).entries.map((e) => e.id)).toContain(session);
    await calendarPeriod(logged, calendarGrid("month", tomorrow));
    expect((await trainerChoices(logged)).map((t) => t.id)).toContain(trainer.id);
    // The queue's sessions short of trainers.
    await listSessionsNeedingTrainers(logged);

    tablesRead.delete("record_versions");
    expect([...tablesRead].sort()).toEqual(
      expect.arrayContaining(["rooms", "session_trainers", "sessions", "feedback_responses", "organisations", "user_roles"]),
    );
    const watched = await watchedTables();
    expect([...tablesRead].filter((t) => !watched.has(t)).sort()).toEqual([]);
  });

  it("watches every table the kept leader roster, its near-misses, its groups and the roster years read", async () => {
    // A roster with something in each table the figures read, so that no statement is skipped for want of rows.
    const db = getDb();
    const YEAR = 2071;
    const asOf = `${YEAR}-11-20`;
    await createLeaderYear(db, YEAR);
    const courses = await leaderCourses(db);
    const roleId = await createLeaderRole(db, [{ courseId: courses.bystander }, { courseId: courses.consent, validity: "months", months: 12 }]);
    const attended = await createLeader(db, { roleId, startYear: YEAR, groupName: "Rowing Club", isPresident: true, studentId: "RV0000001" });
    const missed = await createLeader(db, { roleId, startYear: YEAR, groupName: "Rowing Club", name: "Nia Okafor" });
    const exempt = await createLeader(db, { roleId, startYear: YEAR, groupName: "Chess Society" });
    const session = await leaderSession(db, courses.bystander, `${YEAR}-09-20`);
    await attend(db, session, attended);
    await attend(db, session, { name: "Nia Okafor", email: "nia.personal@mail.example" });
    const officer = await createUser(db, { roles: ["officer"] });
    const at = nowIso();
    await insertCompletion(db, {
      person_id: missed.personId,
      course_id: courses.consent,
      completed_on: `${YEAR}-09-01`,
      recorded_by: officer.id,
      created_at: at,
    });
    await insertExemption(db, {
      person_id: exempt.personId,
      start_year: YEAR,
      reason: "Trained as a nurse",
      granted_by: "Head of Student Life",
      recorded_by: officer.id,
      created_at: at,
    });
    await db.insertInto("leader_reminders").values({ person_id: missed.personId, start_year: YEAR, sent_at: at, sent_by: officer.id }).execute();

    tablesRead.clear();
    const filters = [{}, { status: "overdue" as const }, { group: "Rowing Club" }, { role: roleId, sort: "name" as const }, { search: "nia" }];
    for (const f of filters) {
      const report = await complianceForYear(logged, YEAR, { asOf, filters: f });
      expect(report.summary.overall.total, JSON.stringify(f)).toBeGreaterThan(0);
      await complianceForYear(logged, YEAR, { filters: f, limit: 1 });
      await rosterMembers(logged, YEAR, { asOf, filters: f });
      await dashboardPage(logged, YEAR, f, 1, { asOf });
    }
    expect((await complianceForYear(logged, YEAR, { asOf })).rows.find((r) => r.personId === missed.personId)?.lastRemindedAt).toBe(at);
    expect((await nearMisses(logged, YEAR, { asOf })).map((m) => m.personId)).toEqual([missed.personId]);
    await nearMisses(logged, YEAR);
    expect(await groupNamesForYear(logged, YEAR)).toEqual(["Chess Society", "Rowing Club"]);
    expect((await listLeaderYears(logged)).some((y) => y.startYear === YEAR)).toBe(true);

    tablesRead.delete("record_versions");
    for (const table of ["leader_appointments", "leader_people", "leader_completions", "leader_exemptions", "leader_reminders", "registrations", "sessions"]) {
      expect(tablesRead, "the statements were written down").toContain(table);
    }
    const watched = await watchedTables();
    expect([...tablesRead].filter((t) => !watched.has(t)).sort()).toEqual([]);
  });

  it("watches every table the venues' and staff teams' kept coverage reads", async () => {
    const db = getDb();
    const courses = await leaderCourses(db);
    const venueId = await createVenue(db);
    const roleId = await createStaffRole(db, [{ courseId: courses.bystander }, { courseId: courses.consent, validity: "once" }]);
    const trained = await createStaffMember(db, { organisationId: venueId, roleId, staffNumber: "RV-STAFF-1" });
    const exempt = await createStaffMember(db, { organisationId: venueId, roleId });
    await attend(db, await leaderSession(db, courses.bystander, "2070-05-01"), trained);
    const at = nowIso();
    await db
      .insertInto("staff_completions")
      .values({ member_id: trained.id, course_id: courses.consent, completed_on: "2070-04-01", provider: "Elsewhere", created_at: at })
      .execute();
    await db
      .insertInto("staff_exemptions")
      .values({ member_id: exempt.id, course_id: null, reason: "Owner", granted_by: "Coordinator", created_at: at })
      .execute();

    tablesRead.clear();
    const summaries = await venueSummaries(logged, "2070-06-01", 80);
    expect(summaries.find((v) => v.id === venueId)).toMatchObject({ counted: 2, trained: 2 });

    tablesRead.delete("record_versions");
    for (const table of ["organisations", "staff_members", "staff_role_requirements", "staff_completions", "staff_exemptions", "registrations", "sessions"]) {
      expect(tablesRead, "the statements were written down").toContain(table);
    }
    const watched = await watchedTables();
    expect([...tablesRead].filter((t) => !watched.has(t)).sort()).toEqual([]);
  });
});
