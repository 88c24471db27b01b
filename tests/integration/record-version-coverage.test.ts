import { beforeAll, describe, expect, it } from "vitest";
import { sql, type Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import { complianceForYear, rosterMembers } from "#app/compliance/roster.server.ts";
import { nearMisses } from "#app/compliance/near-misses.server.ts";
import { dashboardPage, groupNamesForYear } from "#app/compliance/dashboard.server.ts";
import { nextInductionSessions } from "#app/compliance/reminders.server.ts";
import { listLeaderYears } from "#app/compliance/roles.server.ts";
import { getDb } from "#app/db.server.ts";
import { impactFilterChoices, loadImpactReport } from "#app/reports/impact-page.server.ts";
import { compareInstitutions } from "#app/reports/institutions.server.ts";
import { termTotals } from "#app/feedback/feedback.server.ts";
import { calendarGrid } from "#app/scheduling/calendar-grid.ts";
import { calendarPeriod, listSessionsNeedingTrainers, trainerChoices } from "#app/scheduling/queries.server.ts";
import { trainerCalendar } from "#app/trainers/trainers.server.ts";
import { londonDateOf, termOf } from "#app/utils/dates.ts";
import { RECORD_FEATURES } from "#app/utils/record-cache.server.ts";
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
import { createCourse, createOrganisation, createUser, insertFeedbackResponses } from "#tests/factories.ts";
import { ensureInstitution } from "#app/reference/institutions.server.ts";
import { personEverywhere } from "#tests/privacy-fixtures.ts";
import { traceFigure, versionTriggers, type Trace, type VersionTrigger } from "#tests/record-versions.ts";
import { createRoom, createTrainer, insertAssignment, insertSession, signUpAs } from "#tests/scheduling-fixtures.ts";
import { register } from "#app/signup/registrations.server.ts";
import { markAttendance } from "#app/register/register.server.ts";
import { createStaffMember, createStaffRole, createVenue } from "#tests/staff-fixtures.ts";
import { venueSummaries } from "#app/venues/coverage.server.ts";

/**
 * A cached figure is only as fresh as the versions it is kept against, which triggers raise when a
 * table of their feature is written. Each figure here is worked out afresh on a view of the database
 * that writes down its statements, and the features it asked the versions of must be exactly those
 * whose tables the statements read: one missing serves stale figures, one too many throws them away
 * on writes they never show (a sign-up emptying the compliance roster).
 */

let watchers: VersionTrigger[];

beforeAll(async () => {
  watchers = await versionTriggers(getDb());
});

/** Features whose triggers watch every insert, update and delete of the table. */
function featuresWatching(table: string): string[] {
  const events = new Map<string, Set<string>>();
  for (const t of watchers.filter((w) => w.table === table)) events.set(t.feature, (events.get(t.feature) ?? new Set()).add(t.event));
  return [...events].filter(([, e]) => e.size === 3).map(([feature]) => feature);
}

/** A statement that reads only registrations marked present, which is all the `attendance` feature vouches for. */
const readsOnlyPresent = (s: Trace["statements"][number]) => /"attendance"\s*=\s*(\?|\$\d+)/.test(s.sql) && s.parameters.includes("present");

/** The features a trace's statements need: for each table read, the one feature watching it (registrations: see above). */
function featuresNeeded(trace: Trace): string[] {
  const needed = new Set<string>();
  for (const table of trace.tables) {
    const features = featuresWatching(table);
    if (table === "registrations") {
      const statements = trace.statements.filter((s) => /\b(?:from|join)\s+"registrations"/i.test(s.sql));
      needed.add(statements.every(readsOnlyPresent) ? "attendance" : "registrations");
    } else if (features.length === 1) needed.add(features[0]!);
    else needed.add(`(${table}: watched by ${features.length ? features.join(" and ") : "no feature"})`);
  }
  // A session's SEQUENCE moves without raising `sessions`.
  if (trace.statements.some((s) => s.sql.includes('"ical_sequence"'))) needed.add("calendar");
  return [...needed];
}

type Figure = (db: Kysely<Database>) => Promise<unknown>;

/**
 * Works a figure out afresh in each of the ways given (filters that reach different statements) and
 * checks that the features it is kept against are those its statements, taken together, need.
 */
async function expectKeptAgainstWhatItReads(label: string, ways: Figure[]): Promise<Set<string>> {
  const needed = new Set<string>();
  const tables = new Set<string>();
  let declared: string[] | null = null;
  for (const way of ways) {
    const trace = await traceFigure(getDb(), way);
    expect(trace.features, `${label} is kept against record versions`).not.toBeNull();
    const features = [...trace.features!].sort();
    expect(declared ?? features, `${label} is kept against the same features every time`).toEqual(features);
    declared = features;
    for (const f of featuresNeeded(trace)) needed.add(f);
    for (const t of trace.tables) tables.add(t);
  }
  expect(tables.size, `${label}: its statements were written down`).toBeGreaterThan(0);
  expect(declared, `${label} reads ${[...tables].sort().join(", ")}`).toEqual([...needed].sort());
  return tables;
}

describe("each cached figure is kept against the features it reads", () => {
  it("the impact report, the institutions' comparison and the report's filter choices", async () => {
    const queries = ["", "year=2025", "from=2025-09-01&to=2025-12-31", "course=1&kind=department", "trainer=1"];
    await expectKeptAgainstWhatItReads(
      "the impact report",
      queries.map((q) => (db) => loadImpactReport(db, new URLSearchParams(q))),
    );
    // An institution with an organisation that had a session, its register and its feedback, beside a roster.
    const db = getDb();
    const YEAR = 2069;
    const organisationId = await createOrganisation(db, { kind: "department" });
    await db
      .updateTable("organisations")
      .set({ institution_id: await ensureInstitution(db, "Avonport University") })
      .where("id", "=", organisationId)
      .execute();
    const courses = await leaderCourses(db);
    const delivered = await insertSession(db, {
      courseId: courses.bystander,
      startsAt: new Date(`${YEAR}-10-12T13:00:00Z`),
      status: "delivered",
      organisationId,
    });
    await attend(db, delivered, { name: "Ola Nowak", email: "ola.nowak@example.ac.uk" });
    await insertFeedbackResponses(db, delivered, [{ recommend: "yes" }]);
    await createLeaderYear(db, YEAR);
    const roleId = await createLeaderRole(db, [{ courseId: courses.bystander }]);
    await createLeader(db, { roleId, startYear: YEAR, email: "ola.nowak@example.ac.uk" });
    await expectKeptAgainstWhatItReads("the institutions' comparison", [(d) => compareInstitutions(d, new URLSearchParams(`year=${YEAR}`))]);
    await expectKeptAgainstWhatItReads("the report's filter choices", [(db) => impactFilterChoices(db)]);
  });

  it("a trainer's calendar feed, a term's feedback totals, the coordinator's calendar and queue", async () => {
    const db = getDb();
    const course = await createCourse(db);
    const trainer = await createTrainer(db, { qualifiedFor: [course] });
    const session = await insertSession(db, { courseId: course, startsAt: new Date(Date.now() + 86_400_000), roomId: await createRoom(db) });
    await insertAssignment(db, session, trainer.id);
    const feed = await expectKeptAgainstWhatItReads("a trainer's feed", [async (d) => expect(await trainerCalendar(d, trainer)).toContain("BEGIN:VEVENT")]);
    expect(feed).toContain("rooms");
    await expectKeptAgainstWhatItReads("a term's feedback totals", [(d) => termTotals(d, termOf(new Date()))]);
    const tomorrow = londonDateOf(new Date(Date.now() + 86_400_000));
    await expectKeptAgainstWhatItReads("the coordinator's calendar", [
      (d) => calendarPeriod(d, calendarGrid("week", tomorrow), { trainerId: trainer.id, organisationName: "a" }),
      async (d) => expect((await calendarPeriod(d, calendarGrid("week", tomorrow))).entries.map((e) => e.id)).toContain(session),
      (d) => calendarPeriod(d, calendarGrid("month", tomorrow)),
    ]);
    await expectKeptAgainstWhatItReads("the trainer filter", [async (d) => expect((await trainerChoices(d)).map((t) => t.id)).toContain(trainer.id)]);
    await expectKeptAgainstWhatItReads("the sessions short of trainers", [(d) => listSessionsNeedingTrainers(d)]);
  });

  it("the leader roster, its near-misses, its groups, the roster years and the induction sessions ahead", async () => {
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

    const filters = [{}, { status: "overdue" as const }, { group: "Rowing Club" }, { role: roleId, sort: "name" as const }, { search: "nia" }];
    const roster = await expectKeptAgainstWhatItReads("the compliance roster", [
      ...filters.map((f) => async (d: Kysely<Database>) => {
        expect((await complianceForYear(d, YEAR, { asOf, filters: f })).summary.overall.total, JSON.stringify(f)).toBeGreaterThan(0);
      }),
      ...filters.map((f) => (d: Kysely<Database>) => complianceForYear(d, YEAR, { filters: f, limit: 1 })),
      ...filters.map((f) => (d: Kysely<Database>) => rosterMembers(d, YEAR, { asOf, filters: f })),
      ...filters.map((f) => (d: Kysely<Database>) => dashboardPage(d, YEAR, f, 1, { asOf })),
      async (d) => expect((await complianceForYear(d, YEAR, { asOf })).rows.find((r) => r.personId === missed.personId)?.lastRemindedAt).toBe(at),
    ]);
    for (const table of ["leader_appointments", "leader_people", "leader_completions", "leader_exemptions", "leader_reminders", "registrations", "sessions"]) {
      expect(roster, "the statements were written down").toContain(table);
    }
    await expectKeptAgainstWhatItReads("near-misses", [
      async (d) => expect((await nearMisses(d, YEAR, { asOf })).map((m) => m.personId)).toEqual([missed.personId]),
      (d) => nearMisses(d, YEAR),
    ]);
    await expectKeptAgainstWhatItReads("the groups", [async (d) => expect(await groupNamesForYear(d, YEAR)).toEqual(["Chess Society", "Rowing Club"])]);
    await expectKeptAgainstWhatItReads("the roster years", [async (d) => expect((await listLeaderYears(d)).some((y) => y.startYear === YEAR)).toBe(true)]);
    const ahead = await leaderSession(db, courses.bystander, londonDateOf(new Date(Date.now() + 7 * 86_400_000)), { status: "scheduled" });
    await db
      .updateTable("sessions")
      .set({ room_id: await createRoom(db), address: null })
      .where("id", "=", ahead)
      .execute();
    await expectKeptAgainstWhatItReads("the induction sessions ahead", [
      async (d) => expect((await nextInductionSessions(d, [courses.bystander])).map((s) => s.id)).toContain(ahead),
    ]);
  });

  it("the venues' and staff teams' coverage", async () => {
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

    const tables = await expectKeptAgainstWhatItReads("the venues' coverage", [
      async (d) => expect((await venueSummaries(d, "2070-06-01", 80)).find((v) => v.id === venueId)).toMatchObject({ counted: 2, trained: 2 }),
    ]);
    for (const table of ["organisations", "staff_members", "staff_role_requirements", "staff_completions", "staff_exemptions", "registrations", "sessions"]) {
      expect(tables, "the statements were written down").toContain(table);
    }
  });
});

/**
 * The tables no cached figure reads, so no trigger watches them. A new table must be placed here or in
 * a feature (`RECORD_FEATURES` and a migration's triggers) before this test passes.
 */
const NOT_WATCHED = [
  // Signing in, accounts' secrets and their throttles.
  "auth_sessions",
  "email_tokens",
  "second_factors",
  "recovery_codes",
  "sign_in_failures",
  "sign_in_client_failures",
  "sign_in_providers",
  "user_identities",
  "sso_attempts",
  // Who may book for an organisation, and a trainer's own arrangements: read afresh by the pages that use them.
  "organisation_members",
  "trainer_profiles",
  "trainer_qualifications",
  "trainer_availability",
  "trainer_time_off",
  // A request's preferred times and the changes asked for, before it is a session.
  "booking_request_times",
  "booking_changes",
  // Links, lists and limits behind sign-ups, feedback and leaders' own pages.
  "signup_allowlist",
  "feedback_tokens",
  "qr_feedback_limits",
  "leader_access_tokens",
  // Which server process runs the background jobs.
  "job_leases",
  // Mail, reminders sent, the audit log, settings (part of a figure's key where a figure uses one), and the versions themselves.
  "email_messages",
  "reminders_sent",
  "audit_events",
  "settings",
  "record_versions",
];

async function versionsNow(db: Kysely<Database>): Promise<Map<string, number>> {
  const rows = await db.selectFrom("record_versions").select(["name", "version"]).execute();
  return new Map(rows.map((r) => [r.name, Number(r.version)]));
}

/** The features whose versions moved while `write` ran. */
async function featuresMovedBy(db: Kysely<Database>, write: () => Promise<unknown>): Promise<string[]> {
  const before = await versionsNow(db);
  await write();
  const after = await versionsNow(db);
  return [...after]
    .filter(([name, version]) => version !== before.get(name))
    .map(([name]) => name)
    .sort();
}

describe("the triggers in the database", () => {
  it("raise each feature on every insert, update and delete of its tables, and nothing else", async () => {
    const sessionColumns = (await getDb().introspection.getTables()).find((t) => t.name === "sessions")!.columns.map((c) => c.name);
    const expected: VersionTrigger[] = [];
    for (const [feature, tables] of Object.entries(RECORD_FEATURES)) {
      for (const table of tables) {
        if (feature === "calendar") {
          expected.push({ table, event: "update", feature, columns: ["ical_sequence"] });
          continue;
        }
        for (const event of ["insert", "update", "delete"] as const) {
          // Every column of a session but its SEQUENCE; of an account, what the figures show of a person.
          const columns =
            event !== "update"
              ? null
              : table === "sessions"
                ? sessionColumns.filter((c) => c !== "ical_sequence")
                : table === "users"
                  ? ["email", "is_active", "name"]
                  : null;
          expected.push({ table, event, feature, columns: columns?.sort() ?? null });
        }
      }
    }
    const key = (t: VersionTrigger) => `${t.table} ${t.feature} ${t.event}`;
    expect(watchers).toEqual(expected.sort((a, b) => key(a).localeCompare(key(b))));
  });

  it("leave out only the tables no figure reads: every table of the schema is watched or listed as not", async () => {
    const watched = new Set<string>(Object.values(RECORD_FEATURES).flat());
    const tables = (await getDb().introspection.getTables()).map((t) => t.name);
    expect(tables.filter((t) => !watched.has(t) && !NOT_WATCHED.includes(t)).sort(), "tables neither watched nor listed as not watched").toEqual([]);
    expect(
      NOT_WATCHED.filter((t) => watched.has(t)),
      "listed tables that are watched after all",
    ).toEqual([]);
  });

  it("raise exactly a table's own features when any of its rows is written, whoever writes it", async () => {
    const db = getDb();
    // A row in every watched table.
    const person = await personEverywhere(db);
    // Someone signed up who has not come yet, beside the attendance above.
    await attend(db, person.sessionIds[0]!, { name: "Ola Nowak", email: "ola.nowak@example.ac.uk" }, { attendance: "unknown" });
    await ensureInstitution(db, "Harbour College");
    await createRoom(db);
    const columns = new Map((await db.introspection.getTables()).map((t) => [t.name, t.columns.filter((c) => !c.isAutoIncrementing).map((c) => c.name)]));
    /** Sets a column of the table's rows (those `where` picks) to what it already holds. */
    const rewrite =
      (table: string, column: string, where = sql`1 = 1`) =>
      () =>
        sql`update ${sql.table(table)} set ${sql.ref(column)} = ${sql.ref(column)} where ${where}`.execute(db);
    for (const [table, features] of watchedByTable()) {
      const count = await db
        .selectFrom(table as never)
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow();
      expect(Number(count.n), `a row in ${table}`).toBeGreaterThan(0);
      const column = columns.get(table)!.at(-1)!;
      if (table === "registrations") {
        const present = sql`attendance = 'present'`;
        const notPresent = sql`attendance <> 'present'`;
        expect((await featuresMovedBy(db, rewrite(table, column, present))).sort(), "a write to someone present").toEqual(["attendance", "registrations"]);
        expect(await featuresMovedBy(db, rewrite(table, column, notPresent)), "a write to someone not present").toEqual(["registrations"]);
      } else if (table === "sessions") {
        expect(await featuresMovedBy(db, rewrite(table, column)), "a write to a session").toEqual(["sessions"]);
        expect(await featuresMovedBy(db, rewrite(table, "ical_sequence")), "a session's SEQUENCE").toEqual(["calendar"]);
      } else if (table === "users") {
        expect(await featuresMovedBy(db, rewrite(table, "name")), "a person's name").toEqual(["accounts"]);
        expect(await featuresMovedBy(db, rewrite(table, "updated_at")), "signing in").toEqual([]);
      } else {
        expect(await featuresMovedBy(db, rewrite(table, column)), `a write to ${table}`).toEqual(features);
      }
    }
  });
});

describe("a registration's writes", () => {
  it("raise attendance only when the person was or becomes marked present, whoever writes them", async () => {
    const db = getDb();
    const course = await createCourse(db);
    const trainer = await createTrainer(db, { qualifiedFor: [course] });
    const sessionId = await leaderSession(db, course, londonDateOf(new Date(Date.now() + 7 * 86_400_000)), { status: "scheduled", trainerIds: [trainer.id] });
    let registrationId = 0;
    // A sign-up sends a copy of the session's event, which raises its SEQUENCE.
    const signUp = async () => {
      const place = await register(db, sessionId, signUpAs("Sam"));
      registrationId = (place as { registrationId: number }).registrationId;
    };
    expect(await featuresMovedBy(db, signUp)).toEqual(["calendar", "registrations"]);
    expect(await featuresMovedBy(db, () => markAttendance(db, trainer, { sessionId, registrationId, present: true }))).toEqual(["attendance", "registrations"]);
    expect(await featuresMovedBy(db, () => markAttendance(db, trainer, { sessionId, registrationId, present: false }))).toEqual([
      "attendance",
      "registrations",
    ]);

    let unknown = 0;
    let present = 0;
    expect(
      await featuresMovedBy(db, async () => (unknown = await attend(db, sessionId, { name: "Ola", email: "ola@example.ac.uk" }, { attendance: "unknown" }))),
    ).toEqual(["registrations"]);
    expect(await featuresMovedBy(db, async () => (present = await attend(db, sessionId, { name: "Ria", email: "ria@example.ac.uk" })))).toEqual([
      "attendance",
      "registrations",
    ]);
    // Deleting a registration also reaches the leader records that point at it, which PostgreSQL's
    // statement triggers hear of even when none does: only the registration's own features are checked.
    const deleting = async (id: number) =>
      (await featuresMovedBy(db, () => db.deleteFrom("registrations").where("id", "=", id).execute())).filter((f) => f !== "leaders");
    expect(await deleting(unknown)).toEqual(["registrations"]);
    expect(await deleting(present)).toEqual(["attendance", "registrations"]);
  });
});

/** Each watched table with the features it raises. */
function watchedByTable(): Map<string, string[]> {
  const byTable = new Map<string, string[]>();
  for (const [feature, tables] of Object.entries(RECORD_FEATURES)) for (const t of tables) byTable.set(t, [...(byTable.get(t) ?? []), feature]);
  return byTable;
}
