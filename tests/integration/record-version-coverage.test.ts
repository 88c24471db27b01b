import SQLite from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "#db/schema.ts";
import { getDb } from "#app/db.server.ts";
import { impactFilterChoices, loadImpactReport } from "#app/reports/impact-page.server.ts";
import { publishedFeed } from "#app/trainers/trainers.server.ts";
import { setRecordCacheEnabled } from "#app/utils/record-cache.server.ts";
import { addMs, DAY, now } from "#app/utils/time.ts";
import { createCourse } from "#tests/factories.ts";
import { createTrainer, insertSession } from "#tests/scheduling-fixtures.ts";

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

  it("watches every table a trainer's calendar feed reads", async () => {
    const courseId = await createCourse(getDb(), { name: "Feed course" });
    const trainer = await createTrainer(getDb(), { qualifiedFor: [courseId] });
    await insertSession(getDb(), { courseId, startsAt: addMs(now(), 3 * DAY), trainerIds: [trainer.id] });
    tablesRead.clear();
    const calendar = await publishedFeed(logged, trainer);
    expect(calendar).toContain("Feed course");

    expect(tablesRead.size, "the statements were written down").toBeGreaterThan(2);
    const watched = await watchedTables();
    expect([...tablesRead].filter((t) => !watched.has(t)).sort()).toEqual([]);
  });
});
