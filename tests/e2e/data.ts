import type { Kysely } from "kysely";
import { afterAll, inject } from "vitest";
import type { SessionUser } from "#app/auth/session.server.ts";
import { createOpenSession } from "#app/signup/open-sessions.server.ts";
import type { OpenSessionInput } from "#app/signup/schemas.ts";
import { academicYearStartOf } from "#app/utils/dates.ts";
import { resetEnvCache } from "#app/utils/env.server.ts";
import { now, nowIso } from "#app/utils/time.ts";
import { openDatabase } from "#db/connection.ts";
import type { Database, Role } from "#db/schema.ts";
import { createUser, TEST_PASSWORD } from "#tests/factories.ts";
import { londonDate, openSessionInput } from "#tests/scheduling-fixtures.ts";
import { databaseEnv } from "./server.ts";

let db: Kysely<Database> | undefined;

/**
 * The browser tests' database, opened as the server opens it (WAL, busy timeout), for a journey to
 * set up what it needs through the same factories and domain functions as the other tests, and to
 * check what the server wrote, on SQLite or PostgreSQL alike. One connection per test file, closed after it.
 */
export function e2eDb(): Kysely<Database> {
  if (!db) {
    // Domain functions run here write what the server would: links to its address, into its file.
    process.env.APP_URL = inject("baseURL");
    delete process.env.DATABASE_URL;
    delete process.env.DATABASE_PATH;
    Object.assign(process.env, databaseEnv(inject("database")));
    resetEnvCache();
    db = openDatabase(inject("database"));
  }
  return db;
}

afterAll(async () => {
  await db?.destroy();
  db = undefined;
});

export interface Account extends SessionUser {
  password: string;
}

/** An account of the journey's own, so what it changes or counts is its own; it signs in with TEST_PASSWORD. */
export async function newAccount(roles: Role[], opts: { name?: string; organisationIds?: number[] } = {}): Promise<Account> {
  const user = await createUser(e2eDb(), { roles, ...opts });
  return { ...user, password: TEST_PASSWORD };
}

/** The id and length of a course the demo data holds, by name. */
export async function demoCourse(name: string): Promise<{ id: number; duration_minutes: number }> {
  return e2eDb().selectFrom("courses").select(["id", "duration_minutes"]).where("name", "=", name).executeTakeFirstOrThrow();
}

/** Subjects of the messages to `email`, oldest first, as a mailbox would receive them. */
export async function subjectsTo(email: string): Promise<string[]> {
  const rows = await e2eDb().selectFrom("email_messages").select("subject").where("to_address", "=", email.toLowerCase()).orderBy("id").execute();
  return rows.map((r) => r.subject);
}

/** An open session at an address, published by a coordinator of its own, on a Wednesday `weeksAhead` weeks from now at 10:00. */
export async function newOpenSession(opts: {
  title: string;
  capacity: number;
  course?: string;
  weeksAhead?: number;
  overrides?: Partial<OpenSessionInput>;
}): Promise<number> {
  const coordinator = await newAccount(["coordinator"]);
  const course = await demoCourse(opts.course ?? "Active Bystander");
  return createOpenSession(
    e2eDb(),
    coordinator,
    openSessionInput(course.id, {
      title: opts.title,
      date: londonDate(opts.weeksAhead ?? 5, 3),
      address: "Students' Union Forum",
      capacity: opts.capacity,
      ...opts.overrides,
    }),
  );
}

/** The academic year running now (the one starting in August), as its first calendar year. */
export const thisAcademicYear = (): number => academicYearStartOf(now());

/** A leader year with its deadline, unless it is there already (the demo's own is left as it is). */
export async function ensureLeaderYear(startYear: number, deadline = `${startYear}-10-31`): Promise<void> {
  const at = nowIso();
  await e2eDb()
    .insertInto("leader_years")
    .values({ start_year: startYear, deadline, created_at: at, updated_at: at })
    .onConflict((oc) => oc.column("start_year").doNothing())
    .execute();
}

/** Moves a session to have started `minutes` ago (for 90 minutes), as if the day had come: the server's clock is the real one. */
export async function startedMinutesAgo(sessionId: number, minutes: number): Promise<void> {
  const start = new Date(Date.now() - minutes * 60_000);
  await e2eDb()
    .updateTable("sessions")
    .set({ starts_at: start.toISOString(), ends_at: new Date(start.getTime() + 90 * 60_000).toISOString() })
    .where("id", "=", sessionId)
    .execute();
}
