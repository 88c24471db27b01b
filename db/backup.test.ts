import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import SQLite from "better-sqlite3";
import { Migrator, type MigrationProvider } from "kysely";
import { afterAll, describe, expect, it, vi } from "vitest";
import { backupDatabase, checkDatabase, defaultBackupPath, restoreDatabase, whyInUse } from "./backup.ts";
import { migrateToLatest, openDatabase } from "./connection.ts";
import { migrations } from "./migrations/index.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "neverok-backup-test-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const file = (name: string) => path.join(dir, `${name}-${crypto.randomUUID()}.sqlite`);

async function migratedDatabase(opts: { upTo?: string } = {}) {
  const target = file("live");
  const db = openDatabase(target);
  if (opts.upTo) {
    const provider: MigrationProvider = { getMigrations: async () => migrations };
    const result = await new Migrator({ db, provider }).migrateTo(opts.upTo);
    if (result.error) throw result.error;
  } else {
    await migrateToLatest(db);
  }
  await db.destroy();
  return target;
}

function rawInsertAudit(db: SQLite.Database, action: string, entityId: string, summary = "x") {
  db.prepare(
    "insert into audit_events (actor_user_id, action, entity_type, entity_id, summary, detail_json, created_at) values (null, ?, 'test', ?, ?, null, ?)",
  ).run(action, entityId, summary, new Date().toISOString());
}

/** Another process writing pairs of rows, each pair in one transaction, as fast as it can until killed. */
function startWriter(target: string): ChildProcess {
  const sqlitePath = createRequire(import.meta.url).resolve("better-sqlite3");
  const script = `
    const SQLite = require(${JSON.stringify(sqlitePath)});
    const db = new SQLite(${JSON.stringify(target)});
    db.pragma("journal_mode = WAL");
    db.pragma("busy_timeout = 5000");
    const insert = db.prepare("insert into audit_events (actor_user_id, action, entity_type, entity_id, summary, detail_json, created_at) values (null, 'test.pair', 'test', ?, ?, null, ?)");
    const pair = db.transaction((n) => { const at = new Date().toISOString(); insert.run(String(n), "first " + "x".repeat(500), at); insert.run(String(n), "second " + "y".repeat(500), at); });
    let n = 0;
    process.stdout.write("ready\\n");
    for (;;) pair(++n);
  `;
  return spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
}

const pairs = (target: string) => {
  const db = new SQLite(target, { readonly: true });
  try {
    return (db.prepare("select count(distinct entity_id) as n from audit_events where action = 'test.pair'").get() as { n: number }).n;
  } finally {
    db.close();
  }
};

describe("db:backup", () => {
  it("names backups by the time they were taken", () => {
    expect(defaultBackupPath(new Date("2026-11-21T14:30:05.123Z"))).toBe(path.join("backups", "neverok-20261121-143005.sqlite"));
  });

  it("takes a consistent copy while another process keeps writing, and the copy passes integrity_check", async () => {
    const live = await migratedDatabase();
    // Enough data that the copy takes a while.
    const seed = new SQLite(live);
    seed.pragma("journal_mode = WAL");
    seed.transaction(() => {
      for (let i = 0; i < 20_000; i++) rawInsertAudit(seed, "test.padding", String(i), "p".repeat(1000));
    })();
    seed.close();

    const writer = startWriter(live);
    try {
      // The writer is under way before the copy starts, and still writing after it ends.
      const before = await vi.waitUntil(() => pairs(live), { timeout: 10_000, interval: 10 });
      const out = file("backup");
      const report = await backupDatabase(live, out);
      const after = await vi.waitUntil(() => pairs(live) > before && pairs(live), { timeout: 10_000, interval: 10 });

      expect(report.integrity).toBe("ok");
      expect(report.counts.audit_events).toBeGreaterThan(20_000);
      expect(report.migration).toBe(Object.keys(migrations).at(-1));
      expect(report.bytes).toBe(fs.statSync(out).size);

      const copy = new SQLite(out, { readonly: true });
      try {
        // Every pair complete: no transaction half in the copy.
        const torn = copy.prepare("select entity_id from audit_events where action = 'test.pair' group by entity_id having count(*) != 2").all();
        expect(torn).toEqual([]);
        const copied = copy
          .prepare("select count(distinct entity_id) as n, max(cast(entity_id as integer)) as top from audit_events where action = 'test.pair'")
          .get() as { n: number; top: number };
        // The pairs form an unbroken run 1…top: a single instant of the database, between before and after.
        expect(copied.n).toBe(copied.top);
        expect(copied.n).toBeGreaterThanOrEqual(before);
        expect(copied.n).toBeLessThanOrEqual(after);
        expect(copy.pragma("journal_mode", { simple: true })).toBe("delete");
      } finally {
        copy.close();
      }
      expect(fs.existsSync(`${out}-wal`)).toBe(false);
    } finally {
      writer.kill();
    }
  }, 60_000);

  it("will not overwrite a file, and leaves nothing behind when it fails", async () => {
    const live = await migratedDatabase();
    const out = file("exists");
    fs.writeFileSync(out, "already here");
    await expect(backupDatabase(live, out)).rejects.toThrow(/already exists/);
    await expect(backupDatabase(file("missing"), file("never"))).rejects.toThrow(/no database/);
  });
});

describe("db:restore", () => {
  it("brings the data back: backup, change, restore", async () => {
    const live = await migratedDatabase();
    const db = new SQLite(live);
    rawInsertAudit(db, "test.before", "kept");
    db.close();
    const out = file("backup");
    await backupDatabase(live, out);

    const changed = new SQLite(live);
    changed.prepare("delete from audit_events where action = 'test.before'").run();
    rawInsertAudit(changed, "test.after", "gone");
    changed.close();

    const report = await restoreDatabase(out, live, { port: null });
    expect(report.integrity).toBe("ok");
    const restored = new SQLite(live, { readonly: true });
    try {
      expect(restored.prepare("select action from audit_events where action like 'test.%' order by action").all()).toEqual([{ action: "test.before" }]);
    } finally {
      restored.close();
    }
    // The replaced database is kept, changes and all.
    const replaced = new SQLite(report.keptAs!, { readonly: true });
    try {
      expect(replaced.prepare("select action from audit_events where action like 'test.%'").all()).toEqual([{ action: "test.after" }]);
    } finally {
      replaced.close();
    }
  });

  it("applies the migrations a backup from an older version is missing", async () => {
    const names = Object.keys(migrations);
    const old = await migratedDatabase({ upTo: names.at(-2)! });
    const out = file("old-backup");
    await backupDatabase(old, out);
    const target = file("restored");
    const report = await restoreDatabase(out, target, { port: null });
    expect(report.keptAs).toBeNull();
    expect(report.migrationsApplied).toEqual([names.at(-1)]);
    expect(checkDatabase(target).migration).toBe(names.at(-1));
  });

  it("refuses while the database is open elsewhere or the server's port answers, unless forced", async () => {
    const live = await migratedDatabase();
    const out = file("backup");
    await backupDatabase(live, out);

    const server = openDatabase(live);
    await server.selectFrom("users").select("id").execute();
    try {
      await expect(restoreDatabase(out, live, { port: null })).rejects.toThrow(/seems to be running.*--force/);
    } finally {
      await server.destroy();
    }

    const listener = net.createServer();
    await new Promise<void>((r) => listener.listen(0, "127.0.0.1", () => r()));
    const port = (listener.address() as net.AddressInfo).port;
    try {
      expect(await whyInUse(live, port)).toMatch(new RegExp(`port ${port}`));
      await expect(restoreDatabase(out, live, { port })).rejects.toThrow(/seems to be running/);
      await expect(restoreDatabase(out, live, { port, force: true })).resolves.toMatchObject({ integrity: "ok" });
    } finally {
      listener.close();
    }
    expect(await whyInUse(live, null)).toBeNull();
  });

  it("refuses a file that is not a sound database and leaves the current one alone", async () => {
    const live = await migratedDatabase();
    const bad = file("bad");
    fs.writeFileSync(bad, crypto.randomBytes(8192));
    await expect(restoreDatabase(bad, live, { port: null })).rejects.toThrow(/cannot be restored/);
    expect(checkDatabase(live).integrity).toBe("ok");
    expect(fs.readdirSync(dir).filter((f) => f.includes(".restoring-"))).toEqual([]);
  });
});
