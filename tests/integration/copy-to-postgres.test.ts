import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import SQLite from "better-sqlite3";
import pg from "pg";
import { onPostgres } from "#tests/connections.ts";
import { createTestSchema } from "#tests/postgres-schemas.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoData } from "#seed/demo.ts";
import { migrateToLatest, openDatabase } from "#db/connection.ts";
import { copySqliteToPostgres } from "#db/copy-to-postgres.ts";
import { withPostgresClient } from "#db/dialects/postgres.ts";

const base = process.env.TEST_DATABASE_URL;
// Made only where the tests run: on SQLite they are all skipped, and the hook that removes it with them.
const dir = onPostgres ? fs.mkdtempSync(path.join(os.tmpdir(), "neverok-copy-")) : "";

/** A migrated, empty PostgreSQL schema of this test's own (dropped with the run's), and the address that works in it. */
async function emptySchema(): Promise<string> {
  const { url } = await createTestSchema(base!);
  const db = openDatabase(url);
  await migrateToLatest(db).finally(() => db.destroy());
  return url;
}

const admin = <T>(fn: (client: pg.Client) => Promise<T>, connectionString = base!): Promise<T> => withPostgresClient(connectionString, fn);

let demoFile: string;
beforeAll(async () => {
  if (!onPostgres) return;
  demoFile = path.join(dir, "demo.sqlite");
  const db = openDatabase(demoFile);
  await migrateToLatest(db);
  await seedDemoData(db);
  await db.destroy();
});

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe.runIf(onPostgres)("moving a deployment from its SQLite file to PostgreSQL", () => {
  it("copies every row of every table, and new rows carry on after the copied ids", async () => {
    const url = await emptySchema();
    const report = await copySqliteToPostgres(demoFile, url);
    const file = new SQLite(demoFile, { readonly: true });
    const tables = (
      file.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%'").all() as { name: string }[]
    ).map((r) => r.name);
    expect(report.tables).toBe(tables.length);
    for (const table of tables) {
      const inFile = (file.prepare(`select count(*) as n from "${table}"`).get() as { n: number }).n;
      const inPostgres = await admin(
        async (c) => Number((await c.query<{ n: string }>(`select count(*) as n from ${pg.escapeIdentifier(table)}`)).rows[0]!.n),
        url,
      );
      expect({ table, rows: inPostgres }).toEqual({ table, rows: inFile });
    }
    const maxUserId = (file.prepare("select max(id) as n from users").get() as { n: number }).n;
    const sample = file.prepare("select email, name, created_at from users order by id limit 1").get();
    file.close();
    expect(await admin(async (c) => (await c.query("select email, name, created_at from users order by id limit 1")).rows[0], url)).toEqual(sample);
    const next = await admin(
      async (c) =>
        (
          await c.query<{ id: number }>(
            "insert into users (email, name, password_hash, is_active, created_at, updated_at) values ('new@example.ac.uk', 'New Person', null, 1, '2026-11-02T10:00:00.000Z', '2026-11-02T10:00:00.000Z') returning id",
          )
        ).rows[0]!.id,
      url,
    );
    expect(next).toBe(maxUserId + 1);
  });

  it("refuses a database that already has accounts, and one at another migration", async () => {
    const url = await emptySchema();
    await copySqliteToPostgres(demoFile, url);
    await expect(copySqliteToPostgres(demoFile, url)).rejects.toThrow(/already has accounts/);
    const behind = await emptySchema();
    await admin((c) => c.query("delete from kysely_migration where name = (select max(name) from kysely_migration)"), behind);
    await expect(copySqliteToPostgres(demoFile, behind)).rejects.toThrow(/is at migration .* and PostgreSQL at/);
  });

  it("writes nothing when a row cannot go in", async () => {
    const broken = path.join(dir, "broken.sqlite");
    fs.copyFileSync(demoFile, broken);
    const file = new SQLite(broken);
    file.exec("alter table support_services add column unknown_to_postgres text");
    file.close();
    const url = await emptySchema();
    const before = await admin(async (c) => (await c.query("select name, version from record_versions order by name")).rows, url);
    await expect(copySqliteToPostgres(broken, url)).rejects.toThrow(/unknown_to_postgres/);
    expect(await admin(async (c) => Number((await c.query<{ n: string }>("select count(*) as n from users")).rows[0]!.n), url)).toBe(0);
    expect(await admin(async (c) => (await c.query("select name, version from record_versions order by name")).rows, url)).toEqual(before);
  });
});
