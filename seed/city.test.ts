import { sql, type Kysely } from "kysely";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getDb } from "#app/db.server.ts";
import { academicYearOf, academicYearStartOf } from "#app/utils/dates.ts";
import { setClockOffsetForTests } from "#app/utils/time.ts";
import { openBulkLoad } from "#db/bulk-load.ts";
import { migrateToLatest, openDatabase } from "#db/connection.ts";
import type { Database } from "#db/schema.ts";
import { onPostgres } from "#tests/connections.ts";
import { createTestSchema } from "#tests/postgres-schemas.ts";
import { seedCity, type CityCounts } from "./city.ts";

// Built as on 21 November 2026: 2025–26 is a whole year, 2026–27 is under way.
const AT = new Date("2026-11-21T10:00:00.000Z");
const lastYear = academicYearOf(new Date("2026-03-01T12:00:00.000Z"));
const thisYear = academicYearOf(AT);
const OPTIONS = { years: 2, scale: 0.01, now: AT };

let db: Kysely<Database>;
let counts: CityCounts;
beforeAll(async () => {
  db = getDb();
  setClockOffsetForTests(AT.getTime() - Date.now());
  counts = await seedCity(db, OPTIONS);
}, 120_000);
// The shared setup puts the clock back before each test; a seed run inside a test needs it at AT too.
beforeEach(() => setClockOffsetForTests(AT.getTime() - Date.now()));

const rows = <T>(query: string, ...params: unknown[]) => openBulkLoad(db).all<T>(query, ...params);
const one = async <T>(query: string, ...params: unknown[]) => (await openBulkLoad(db).get<T>(query, ...params))!;

describe("the city-scale data set at a hundredth of its size", () => {
  it("has about 25 sessions and 500 attendances in a whole year", async () => {
    const [from, to] = [lastYear.start.toISOString(), lastYear.end.toISOString()];
    const s = await one<{ n: number; delivered: number; head: number }>(
      "select count(*) as n, sum(case when status = 'delivered' then 1 else 0 end) as delivered, coalesce(sum(case when status = 'delivered' then head_count end), 0) as head from sessions where ical_uid like 'city-%' and starts_at >= ? and starts_at < ?",
      from,
      to,
    );
    const present = await one<{ n: number }>(
      "select count(*) as n from registrations r join sessions s on s.id = r.session_id where s.ical_uid like 'city-%' and s.status = 'delivered' and r.attendance = 'present' and s.starts_at >= ? and s.starts_at < ?",
      from,
      to,
    );
    expect(s.n).toBeGreaterThanOrEqual(22);
    expect(s.n).toBeLessThanOrEqual(25);
    expect(s.delivered).toBeGreaterThanOrEqual(20);
    const attendances = s.head + present.n;
    expect(attendances).toBeGreaterThan(350);
    expect(attendances).toBeLessThan(650);
    expect(counts.years.find((y) => y.label === lastYear.label)!.attendances).toBe(attendances);
  });

  it("has this year's sessions so far, some ahead, and requests waiting", async () => {
    const year = counts.years.find((y) => y.label === thisYear.label)!;
    expect(year.delivered).toBeGreaterThan(5);
    expect(year.scheduled).toBeGreaterThan(0);
    expect(counts.upcomingSessions).toBeGreaterThan(0);
    expect(counts.pendingRequests).toBeGreaterThanOrEqual(3);
    const future = await one<{ n: number }>(
      "select count(*) as n from sessions where ical_uid like 'city-%' and status = 'scheduled' and ends_at < ?",
      AT.toISOString(),
    );
    expect(future.n).toBe(0);
  });

  it("never books a trainer into two sessions at once", async () => {
    const clashes = await rows(
      `select a.trainer_id, sa.starts_at, sb.starts_at as other
         from session_trainers a
         join sessions sa on sa.id = a.session_id and sa.status != 'cancelled'
         join session_trainers b on b.trainer_id = a.trainer_id and b.session_id > a.session_id and b.status != 'declined'
         join sessions sb on sb.id = b.session_id and sb.status != 'cancelled'
        where a.status != 'declined' and sa.starts_at < sb.ends_at and sb.starts_at < sa.ends_at`,
    );
    expect(clashes).toEqual([]);
    const roomClashes = await rows(
      `select sa.id, sb.id as other from sessions sa join sessions sb on sb.room_id = sa.room_id and sb.id > sa.id and sb.status != 'cancelled'
        where sa.status != 'cancelled' and sa.starts_at < sb.ends_at and sb.starts_at < sa.ends_at`,
    );
    expect(roomClashes).toEqual([]);
  });

  it("never puts more people in a session than it holds", async () => {
    const over = await rows(
      `select s.id, s.capacity, count(r.id) as registered from sessions s join registrations r on r.session_id = s.id and r.status = 'registered'
        where s.ical_uid like 'city-%' group by s.id having count(r.id) > s.capacity`,
    );
    expect(over).toEqual([]);
    expect((await one<{ n: number }>("select count(*) as n from sessions where head_count > capacity")).n).toBe(0);
  });

  it("keeps every row pointing at rows that exist", async () => {
    expect((await one<{ n: number }>("select count(*) as n from registrations r left join sessions s on s.id = r.session_id where s.id is null")).n).toBe(0);
    // PostgreSQL checks every key as the row goes in; SQLite's were checked at commit, and are checked again here.
    if (!onPostgres) expect(await rows("pragma foreign_key_check")).toEqual([]);
  });

  it("gives feedback only for sessions that were delivered", async () => {
    const wrong = await one<{ n: number }>(
      "select count(*) as n from feedback_responses f join sessions s on s.id = f.session_id where s.status != 'delivered' or f.created_at < s.ends_at",
    );
    expect(wrong.n).toBe(0);
    expect(counts.totals.feedback).toBeGreaterThan(100);
  });

  it("puts about 150 leaders on this year's roster, some trained at a session, some not", async () => {
    const startYear = academicYearStartOf(AT);
    const city = await one<{ n: number }>(
      "select count(distinct a.person_id) as n from leader_appointments a join leader_people p on p.id = a.person_id where a.start_year = ? and p.email not like '%@students.neverok.example'",
      startYear,
    );
    expect(city.n).toBeGreaterThanOrEqual(140);
    expect(city.n).toBeLessThanOrEqual(160);
    const trained = await one<{ n: number }>(
      `select count(distinct p.id) as n from leader_people p
         join leader_appointments a on a.person_id = p.id and a.start_year = ?
         join registrations r on lower(r.email) = p.email or upper(r.student_id) = p.student_id
         join sessions s on s.id = r.session_id and s.status = 'delivered' and s.starts_at >= ?
        where r.attendance = 'present' and p.email not like '%@students.neverok.example'`,
      startYear,
      thisYear.start.toISOString(),
    );
    expect(trained.n).toBeGreaterThan(0);
    expect(trained.n).toBeLessThan(city.n);
    const roster = await db
      .selectFrom("leader_appointments")
      .select((eb) => eb.fn.count<number>(sql`distinct start_year`).as("years"))
      .executeTakeFirstOrThrow();
    expect(Number(roster.years)).toBe(2);
  });

  it("keeps the demo logins and gives the demo trainer and booker a large share", async () => {
    const demo = await db
      .selectFrom("users")
      .select("email")
      .where("email", "in", ["coordinator@neverok.example", "trainer@neverok.example", "booker@neverok.example", "officer@neverok.example"])
      .execute();
    expect(demo).toHaveLength(4);
    expect(counts.demoTrainerSessions).toBeGreaterThan(20);
    expect(counts.demoBookerRequests).toBeGreaterThan(5);
  });

  it("builds the same data set from the same inputs", async () => {
    const schema = onPostgres ? await createTestSchema(process.env.TEST_DATABASE_URL!) : undefined;
    const other = openDatabase(schema?.url ?? ":memory:");
    try {
      await migrateToLatest(other);
      const again = await seedCity(other, OPTIONS);
      expect({ ...again, ms: 0 }).toEqual({ ...counts, ms: 0 });
    } finally {
      await other.destroy();
    }
  }, 120_000);
});
