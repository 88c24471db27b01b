import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import pg from "pg";
import { onPostgres } from "#tests/connections.ts";
import { afterAll, describe, expect, it } from "vitest";
import { getEnv } from "#app/utils/env.server.ts";
import { createUser } from "#tests/factories.ts";
import { getDb } from "#app/db.server.ts";
import { backupPostgres, checkArchive, restorePostgres, whyPostgresInUse } from "#db/backup-postgres.ts";
import { withPostgresClient } from "#db/dialects/postgres.ts";

const url = () => getEnv().DATABASE_URL!;
// Made only where the tests run: on SQLite they are all skipped, and the hook that removes it with them.
const dir = onPostgres ? fs.mkdtempSync(path.join(os.tmpdir(), "neverok-pg-backup-")) : "";
afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function query<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  return withPostgresClient(url(), async (client) => (await client.query<T>(text, values)).rows);
}

const schemaName = async () => (await query<{ s: string }>("select current_schema() as s"))[0]!.s;
const userCount = async () => Number((await query<{ n: string }>("select count(*) as n from users"))[0]!.n);
const schemasLike = async (prefix: string) =>
  (await query<{ nspname: string }>("select nspname from pg_namespace where nspname like $1", [`${prefix}%`])).map((r) => r.nspname);

/** The rows of one table inside an archive, counted from what pg_restore would load. */
function rowsInArchive(file: string, table: string): number {
  const out = spawnSync("pg_restore", ["--data-only", `--table=${table}`, "--file=-", file], { encoding: "utf8" });
  const lines = out.stdout.split("\n");
  const start = lines.findIndex((l) => l.startsWith(`COPY `));
  const end = lines.indexOf("\\.", start);
  return end - start - 1;
}

describe.runIf(onPostgres)("backups on PostgreSQL", () => {
  it("copies the schema while another connection keeps writing, and the counts printed are the copy's", async () => {
    await createUser(getDb(), { roles: ["booker"] });
    const writer = new pg.Client({ connectionString: url() });
    await writer.connect();
    let writing = true;
    let written = 0;
    const writes = (async () => {
      for (let i = 0; writing && i < 400; i++) {
        await writer.query("insert into audit_events (action, entity_type, summary, created_at) values ('test.write', 'test', $1, now()::text)", [
          `write ${i}`,
        ]);
        written++;
      }
    })();
    const report = await backupPostgres(url(), path.join(dir, "live.dump"));
    writing = false;
    await writes;
    await writer.end();
    expect(written).toBeGreaterThan(0);
    expect(report.counts.users).toBe(rowsInArchive(report.path, "users"));
    expect(report.counts.audit_events).toBe(rowsInArchive(report.path, "audit_events"));
    expect(report.migration).toMatch(/^\d{4}_/);
    expect((await checkArchive(report.path)).schema).toBe(await schemaName());
    expect(fs.existsSync(`${report.path}.partial`)).toBe(false);
    await expect(backupPostgres(url(), report.path)).rejects.toThrow(/already exists/);
  });

  it("restores a backup in place of the schema, keeping the replaced one aside", async () => {
    const schema = await schemaName();
    const backup = await backupPostgres(url(), path.join(dir, "before.dump"));
    await createUser(getDb(), { roles: ["booker"] });
    const after = await userCount();
    expect(after).toBe(backup.counts.users! + 1);
    const report = await restorePostgres(backup.path, url(), { force: true });
    expect(report.counts.users).toBe(backup.counts.users);
    expect(await userCount()).toBe(backup.counts.users);
    expect(report.keptAs).toMatch(new RegExp(`^${schema}_replaced_\\d{8}_\\d{6}$`));
    const kept = await query<{ n: string }>(`select count(*) as n from ${pg.escapeIdentifier(report.keptAs!)}.users`);
    expect(Number(kept[0]!.n)).toBe(after);
    expect(report.migrationsApplied).toEqual([]);
  });

  it("refuses a file that is not a backup, or a damaged one, and leaves the database as it was", async () => {
    const schema = await schemaName();
    const before = await userCount();
    const keptBefore = await schemasLike(`${schema}_replaced_`);
    const notABackup = path.join(dir, "not-a-backup.dump");
    fs.writeFileSync(notABackup, "this is not an archive");
    await expect(restorePostgres(notABackup, url(), { force: true })).rejects.toThrow(/cannot be restored/);
    const good = await backupPostgres(url(), path.join(dir, "to-damage.dump"));
    const damaged = path.join(dir, "damaged.dump");
    const bytes = fs.readFileSync(good.path);
    fs.writeFileSync(damaged, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    await expect(restorePostgres(damaged, url(), { force: true })).rejects.toThrow(/cannot be restored/);
    expect(await userCount()).toBe(before);
    expect(await schemasLike(`${schema}_replaced_`)).toEqual(keptBefore);
  });

  it("refuses while other connections are open, unless forced", async () => {
    const schema = await schemaName();
    const backup = await backupPostgres(url(), path.join(dir, "busy.dump"));
    const keptBefore = await schemasLike(`${schema}_replaced_`);
    await getDb().selectFrom("users").select("id").limit(1).execute(); // the app's own pool holds a connection
    expect(await whyPostgresInUse(url())).toMatch(/other connections? (is|are) open/);
    await expect(restorePostgres(backup.path, url())).rejects.toThrow(/Stop it first, or add --force/);
    expect(await schemasLike(`${schema}_replaced_`)).toEqual(keptBefore);
  });
});
