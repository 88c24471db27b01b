import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import SQLite from "better-sqlite3";
import { Kysely, SqliteDialect, type CompiledQuery } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "#db/schema.ts";
import { createAuthSession, SESSION_COOKIE, type SessionUser } from "#app/auth/session.server.ts";
import { complianceForYear } from "#app/compliance/roster.server.ts";
import { nearMisses } from "#app/compliance/near-misses.server.ts";
import { dashboardPage } from "#app/compliance/dashboard.server.ts";
import { getDb } from "#app/db.server.ts";
import { issueFeedToken } from "#app/trainers/trainers.server.ts";
import { londonWallTimeToUtc } from "#app/utils/dates.ts";
import { nowIso } from "#app/utils/time.ts";
import * as bookerHome from "#app/routes/booker._index.tsx";
import * as coordinatorCalendar from "#app/routes/coordinator.calendar.tsx";
import * as coordinatorFeedback from "#app/routes/coordinator.feedback.tsx";
import * as coordinatorOpenSessions from "#app/routes/coordinator.open-sessions._index.tsx";
import * as coordinatorPeople from "#app/routes/coordinator.people._index.tsx";
import * as coordinatorRequests from "#app/routes/coordinator.requests._index.tsx";
import * as trainerFeed from "#app/routes/feeds.trainers.$token[.ics].ts";
import * as leadersDashboard from "#app/routes/officer.leaders._index.tsx";
import * as impactReport from "#app/routes/reports.impact.tsx";
import * as openSession from "#app/routes/sessions.open.$sessionId.tsx";
import * as openSessions from "#app/routes/sessions.open._index.tsx";
import * as register from "#app/routes/trainer.sessions.$sessionId_.register.tsx";
import { attend, createLeader, createLeaderRole, createLeaderYear, leaderSession } from "#tests/compliance-fixtures.ts";
import { createCourse, createOrganisation, createUser, formBody, sameSiteRequest } from "#tests/factories.ts";
import { createBooker, createCoordinator, createRequest, createTrainer, insertAssignment, insertSession } from "#tests/scheduling-fixtures.ts";
import { onPostgres } from "#tests/connections.ts";

/**
 * The hot pages' queries, exactly as their loaders and modules build them, run through EXPLAIN QUERY
 * PLAN on a migrated database: none may read a large table from end to end. Small lookup tables
 * (courses, rooms, roles, years, settings) may be scanned.
 */

const LARGE = new Set([
  "sessions",
  "registrations",
  "feedback_responses",
  "feedback_tokens",
  "leader_people",
  "leader_appointments",
  "leader_completions",
  "leader_exemptions",
  "leader_reminders",
  "session_trainers",
  "booking_requests",
  "audit_events",
  "email_messages",
  "auth_sessions",
]);

/**
 * Whole-table reads that are the point of the query, not a missing index. Each names the table and
 * a fragment of the statement.
 */
const INTENDED: { table: string; sql: RegExp; why: string }[] = [
  {
    table: "leader_people",
    sql: /from "leader_people" as "lp"[^]*exists \(select "(roster|a)"\."id" from "leader_appointments"/,
    why: "the dashboard evaluates a whole roster: each person on it is visited once, and their registers found by index",
  },
  {
    table: "leader_completions",
    sql: /from "leader_completions" where "withdrawn_at" is null/,
    why: "recorded completions are read whole for a roster (far fewer than leaders)",
  },
  {
    table: "leader_completions",
    sql: /select "person_id", "registration_id" from "leader_completions" where "registration_id" is not null/,
    why: "confirmed matches: one per officer decision",
  },
  {
    table: "leader_reminders",
    sql: /max\("sent_at"\) as "last_sent_at" from "leader_reminders"/,
    why: "the last reminder of everyone on the roster, from its covering index",
  },
];

const captured: { label: string; query: CompiledQuery }[] = [];
let label = "";
let raw: SQLite.Database;
let original: typeof globalThis.__neverokDb;

beforeAll(async () => {
  if (onPostgres) return;
  original = globalThis.__neverokDb;
  const db = getDb();
  raw = new SQLite(original!.target);
  // Loaders read through getDb(): the same file, with every statement written down.
  const logged = new Kysely<Database>({
    dialect: new SqliteDialect({ database: new SQLite(original!.target) }),
    log: (e) => {
      // Reads everywhere; the public sign-up's writes too, since each runs a check-and-write transaction.
      const kinds = label === "registration" ? /^\s*(select|with|update|delete|insert)\b/i : /^\s*(select|with)\b/i;
      if (e.level === "query" && kinds.test(e.query.sql)) captured.push({ label, query: e.query });
    },
  });
  await world(db);
  globalThis.__neverokDb = { target: original!.target, db: logged };
});

afterAll(async () => {
  if (onPostgres) return;
  await globalThis.__neverokDb?.db.destroy();
  globalThis.__neverokDb = original;
  raw.close();
});

const YEAR = 2031;
let ids: { session: number; openSession: number; trainer: SessionUser; coordinator: SessionUser; booker: SessionUser; officer: SessionUser; feedToken: string };

async function world(db: Kysely<Database>) {
  const at = nowIso();
  const course = await createCourse(db, { name: "Active Bystander" });
  const organisation = await createOrganisation(db);
  const trainer = await createTrainer(db, { qualifiedFor: [course] });
  const coordinator = await createCoordinator(db);
  const { booker } = await createBooker(db, { organisationId: organisation });
  const officer = await createUser(db, { roles: ["officer"] });
  await createRequest(db, { booker, organisationId: organisation, courseId: course });
  const startsAt = new Date(Date.now() + 7 * 86_400_000);
  const session = await insertSession(db, { courseId: course, startsAt });
  await insertAssignment(db, session, trainer.id, { assigned_at: at });
  const openSession = await leaderSession(db, course, new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10), { status: "scheduled" });
  await db.updateTable("sessions").set({ organisation_id: null }).where("id", "=", openSession).execute();

  await createLeaderYear(db, YEAR);
  const role = await createLeaderRole(db, [{ courseId: course }]);
  const past = await leaderSession(db, course, `${YEAR}-09-20`);
  for (let i = 0; i < 5; i++) {
    const leader = await createLeader(db, { roleId: role, startYear: YEAR, name: `Leader ${i}` });
    await attend(db, past, { name: leader.name, email: i % 2 ? leader.email : `other${i}@example.com` });
  }
  await attend(db, openSession, { name: "Someone", email: "someone@example.com" });
  ids = { session, openSession, trainer, coordinator, booker, officer, feedToken: await issueFeedToken(db, trainer) };
  void londonWallTimeToUtc;
}

async function cookieFor(user: SessionUser) {
  const { token } = await createAuthSession(getDb(), user.id, null);
  return `${SESSION_COOKIE}=${token}`;
}

async function load(name: string, loader: (args: LoaderFunctionArgs) => unknown, url: string, user: SessionUser | null, params: Record<string, string> = {}) {
  label = name;
  const request = sameSiteRequest(url, user ? { cookie: await cookieFor(user) } : {});
  try {
    await loader({ request, params, context: {} } as LoaderFunctionArgs);
  } catch (err) {
    if (!(err instanceof Response) || err.status >= 500) throw err;
    throw new Error(`${name}: the loader answered ${err.status}`);
  }
}

/** The public sign-up form, posted as a browser would. */
async function post(name: string, action: (args: ActionFunctionArgs) => unknown, url: string, form: Record<string, string>, params: Record<string, string>) {
  label = name;
  const request = sameSiteRequest(url, { method: "POST", body: formBody(form) });
  const result = await action({ request, params, context: {} } as ActionFunctionArgs);
  if (result instanceof Response && result.status >= 400) throw new Error(`${name}: the action answered ${result.status}`);
  return result;
}

/** Every table a statement names, by the alias it uses there. */
function aliases(sql: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of sql.matchAll(/(?:from|join)\s+"(\w+)"(?:\s+as\s+"(\w+)")?/gi)) out.set(m[2] ?? m[1]!, m[1]!);
  return out;
}

function fullScans({ query }: { query: CompiledQuery }): string[] {
  const plan = raw.prepare(`explain query plan ${query.sql}`).all(...(query.parameters as unknown[])) as { detail: string }[];
  const names = aliases(query.sql);
  const out: string[] = [];
  for (const { detail } of plan) {
    const m = /^SCAN (\w+)/.exec(detail);
    if (!m) continue;
    const table = names.get(m[1]!) ?? m[1]!;
    if (!LARGE.has(table)) continue;
    if (INTENDED.some((x) => x.table === table && x.sql.test(query.sql))) continue;
    out.push(`${table}: ${detail}`);
  }
  return out;
}

// The plans read are SQLite's (EXPLAIN QUERY PLAN); PostgreSQL plans by its own statistics.
describe.skipIf(onPostgres)("the hot pages' queries use an index on every large table", () => {
  it("runs each page and module, and explains every statement", async () => {
    const db = getDb();
    await load("open sessions", openSessions.loader, "/sessions/open", null);
    await load("open session", openSession.loader, `/sessions/open/${ids.openSession}`, null, { sessionId: String(ids.openSession) });
    await load("booker dashboard", bookerHome.loader, "/booker", ids.booker);
    await load("coordinator calendar", coordinatorCalendar.loader, "/coordinator/calendar", ids.coordinator);
    await load("coordinator requests", coordinatorRequests.loader, "/coordinator/requests", ids.coordinator);
    await load("coordinator feedback", coordinatorFeedback.loader, "/coordinator/feedback", ids.coordinator);
    await load("coordinator people", coordinatorPeople.loader, "/coordinator/people?q=a&page=2", ids.coordinator);
    await load("coordinator open sessions", coordinatorOpenSessions.loader, "/coordinator/open-sessions", ids.coordinator);
    const signedUp = await post(
      "registration",
      openSession.action,
      `/sessions/open/${ids.openSession}`,
      { name: "Sam Walker", email: "sam.walker@example.ac.uk", studentId: "S2400999", answer: "Hall rep" },
      { sessionId: String(ids.openSession) },
    );
    // The public answer is the same whatever is on file; the place itself is in the database.
    expect(signedUp).toMatchObject({ done: { email: "sam.walker@example.ac.uk" } });
    const place = await getDb()
      .selectFrom("registrations")
      .select("status")
      .where("session_id", "=", ids.openSession)
      .where("email", "=", "sam.walker@example.ac.uk")
      .executeTakeFirst();
    expect(place?.status).toBe("registered");
    await load("trainer feed", trainerFeed.loader, `/feeds/trainers/${ids.feedToken}.ics`, null, { token: ids.feedToken });
    await load("register", register.loader, `/trainer/sessions/${ids.session}/register`, ids.trainer, { sessionId: String(ids.session) });
    // A closed register also counts the feedback links it sent.
    await db.updateTable("sessions").set({ register_closed_at: nowIso() }).where("id", "=", ids.session).execute();
    await load("closed register", register.loader, `/trainer/sessions/${ids.session}/register`, ids.trainer, { sessionId: String(ids.session) });
    await load("impact report", impactReport.loader, "/reports/impact", ids.coordinator);
    await load("compliance dashboard", leadersDashboard.loader, `/officer/leaders?year=${YEAR}`, ids.officer);
    label = "compliance modules";
    await complianceForYear(db, YEAR, { asOf: `${YEAR}-11-20` });
    await dashboardPage(db, YEAR, { sort: "name" }, 1, { asOf: `${YEAR}-11-20` });
    await nearMisses(db, YEAR, { asOf: `${YEAR}-11-20` });
    await nearMisses(db, YEAR, { asOf: `${YEAR}-11-20`, personIds: [1, 2] });

    const labels = new Set(captured.map((c) => c.label));
    for (const page of [
      "open sessions",
      "booker dashboard",
      "coordinator calendar",
      "coordinator requests",
      "coordinator feedback",
      "coordinator people",
      "coordinator open sessions",
      "registration",
      "trainer feed",
      "register",
      "closed register",
      "impact report",
      "compliance dashboard",
    ]) {
      expect(labels, page).toContain(page);
    }
    const problems = captured.flatMap((c) => fullScans(c).map((scan) => `${c.label}: ${scan}\n    ${c.query.sql}`));
    expect([...new Set(problems)]).toEqual([]);
  });
});
