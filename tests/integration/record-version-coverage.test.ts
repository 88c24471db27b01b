import SQLite from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "#db/schema.ts";
import { getDb } from "#app/db.server.ts";
import { termTotals } from "#app/feedback/feedback.server.ts";
import { impactFilterChoices, loadImpactReport } from "#app/reports/impact-page.server.ts";
import { trainerCalendar } from "#app/trainers/trainers.server.ts";
import { termOf } from "#app/utils/academic-year.ts";
import { nowIso } from "#app/utils/time.ts";
import { createCourse } from "#tests/factories.ts";
import { createRoom, createTrainer, insertSession } from "#tests/scheduling-fixtures.ts";
import { setRecordCacheEnabled } from "#app/utils/record-cache.server.ts";

/**
 * Cached figures are only as fresh as the record version, which triggers raise when a watched table is
 * written. Every table the cached computations read must therefore be watched: this runs them with the
 * cache off, writes down every table their statements name, and compares with the triggers in the database.
 */

let logged: Kysely<Database>;
const tablesRead = new Set<string>();

beforeAll(() => {
  const path = globalThis.__neverokDb!.path;
  logged = new Kysely<Database>({
    dialect: new SqliteDialect({ database: new SQLite(path) }),
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

describe("the record version covers what the cached figures read", () => {
  it("watches every table the impact report and its filter choices read", async () => {
    const years = ["", "year=2025", "from=2025-09-01&to=2025-12-31", "course=1&kind=department", "trainer=1"];
    for (const q of years) await loadImpactReport(logged, new URLSearchParams(q));
    await impactFilterChoices(logged);

    tablesRead.delete("record_versions");
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
    await db
      .insertInto("session_trainers")
      .values({ session_id: session, trainer_id: trainer.id, status: "accepted", assigned_by: null, assigned_at: nowIso(), responded_at: null, decline_reason: null, override_reason: null })
      .execute();
    expect(await trainerCalendar(logged, trainer)).toContain("BEGIN:VEVENT");
    await termTotals(logged, termOf(new Date()));

    tablesRead.delete("record_versions");
    expect([...tablesRead].sort()).toEqual(expect.arrayContaining(["rooms", "session_trainers", "sessions", "feedback_responses"]));
    const watched = await watchedTables();
    expect([...tablesRead].filter((t) => !watched.has(t)).sort()).toEqual([]);
  });
});
