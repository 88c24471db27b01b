import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import SQLite from "better-sqlite3";
import { migrateToLatest, openDatabase } from "./connection.ts";

/** The tables whose row counts a backup and a restore print, so a person can see the copy is the one they expect. */
export const KEY_TABLES = ["users", "sessions", "registrations", "feedback_responses", "leader_people", "email_messages", "audit_events"] as const;

export interface DatabaseCheck {
  /** What `PRAGMA integrity_check` said: "ok", or its first complaints. */
  integrity: string;
  counts: Record<string, number>;
  /** The newest migration the copy has had. */
  migration: string | null;
}

export interface BackupReport extends DatabaseCheck {
  path: string;
  bytes: number;
}

/** A moment as `20261121-143005` (UTC, `between` the date and the time), for backup names. */
export function backupStamp(at: Date, between = "-"): string {
  return at
    .toISOString()
    .replace(/\.\d{3}Z$/, "")
    .replace(/[-:]/g, "")
    .replace("T", between);
}

/** `backups/neverok-20261121-143005.sqlite`, in UTC. */
export function defaultBackupPath(at = new Date(), dir = "backups"): string {
  return path.join(dir, `neverok-${backupStamp(at)}.sqlite`);
}

// Copy every page in one step: one read transaction, so the copy is the database at one instant even
// while the server writes (in WAL mode, readers never block writers). In small steps, SQLite restarts
// the copy whenever another connection writes, and a busy server could keep it restarting.
const ALL_PAGES = 0x7fffffff;

/**
 * A consistent copy of a live database with SQLite's online backup API, checked with
 * `PRAGMA integrity_check` before it gets its final name: a failed backup never leaves a file that
 * looks like a good one.
 */
export async function backupDatabase(source: string, out: string): Promise<BackupReport> {
  if (!fs.existsSync(source)) throw new Error(`There is no database at ${source}.`);
  if (fs.existsSync(out)) throw new Error(`${out} already exists; choose another name.`);
  fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  const partial = `${out}.partial`;
  removeWithSidecars(partial);
  const db = new SQLite(source, { fileMustExist: true });
  try {
    db.pragma("busy_timeout = 5000");
    await db.backup(partial, { progress: () => ALL_PAGES });
  } catch (err) {
    removeWithSidecars(partial);
    throw err;
  } finally {
    db.close();
  }
  let check: DatabaseCheck;
  try {
    check = checkDatabase(partial);
  } catch (err) {
    removeWithSidecars(partial);
    throw err;
  }
  fs.renameSync(partial, out);
  return { path: out, bytes: fs.statSync(out).size, ...check };
}

/**
 * Opens a database file, runs `PRAGMA integrity_check` and counts the key tables. Leaves the file
 * in rollback-journal mode, one self-contained file with no -wal beside it. Throws when it is not a
 * sound NeverOK database.
 */
export function checkDatabase(file: string): DatabaseCheck {
  const db = new SQLite(file, { fileMustExist: true });
  try {
    const rows = db.pragma("integrity_check") as { integrity_check: string }[];
    const integrity = rows
      .map((r) => r.integrity_check)
      .slice(0, 5)
      .join("; ");
    if (integrity !== "ok") throw new Error(`integrity_check failed: ${integrity}`);
    db.pragma("journal_mode = DELETE");
    const tables = new Set((db.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[]).map((r) => r.name));
    if (!tables.has("users") || !tables.has("kysely_migration"))
      throw new Error("it does not look like a NeverOK Training database (no users or kysely_migration table)");
    const counts: Record<string, number> = {};
    for (const t of KEY_TABLES) if (tables.has(t)) counts[t] = (db.prepare(`select count(*) as n from "${t}"`).get() as { n: number }).n;
    const last = db.prepare("select name from kysely_migration order by name desc limit 1").get() as { name: string } | undefined;
    return { integrity, counts, migration: last?.name ?? null };
  } finally {
    db.close();
  }
}

/** Why the database seems to be in use (a server on the port, another program holding it open), or null. */
export async function whyInUse(target: string, port: number | null): Promise<string | null> {
  if (port !== null && (await somethingListens(port))) return `Something is listening on port ${port}: the server seems to be running.`;
  if (!fs.existsSync(target)) return null;
  const db = new SQLite(target, { fileMustExist: true });
  try {
    db.pragma("busy_timeout = 0");
    db.pragma("locking_mode = EXCLUSIVE");
    try {
      db.exec("begin exclusive");
    } catch (err) {
      if ((err as { code?: string }).code?.startsWith("SQLITE_BUSY")) return `Another program has ${target} open: the server seems to be running.`;
      throw err;
    }
    // Nobody else has it open: fold the WAL into the file, so the copy kept aside below is complete.
    db.exec("commit");
    db.pragma("wal_checkpoint(TRUNCATE)");
    return null;
  } finally {
    db.close();
  }
}

function somethingListens(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    const done = (listening: boolean) => {
      socket.destroy();
      resolve(listening);
    };
    socket.setTimeout(500, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

export interface RestoreReport extends DatabaseCheck {
  target: string;
  /** Where the database that was replaced now is, if there was one. */
  keptAs: string | null;
  migrationsApplied: string[];
}

/**
 * Puts a backup in place of the database: refuses while the server seems to be running (unless
 * forced), checks the backup's integrity on a copy beside the target, keeps the replaced database
 * under another name, moves the copy into place in one rename (removing the old -wal and -shm, which
 * belong to the replaced file) and brings it up to the current migrations.
 */
export async function restoreDatabase(backup: string, target: string, opts: { force?: boolean; port?: number | null } = {}): Promise<RestoreReport> {
  if (!fs.existsSync(backup)) throw new Error(`There is no file at ${backup}.`);
  if (path.resolve(backup) === path.resolve(target)) throw new Error("The backup is the database itself.");
  if (!opts.force) {
    const why = await whyInUse(target, opts.port ?? null);
    if (why) throw new Error(`${why} Stop it first, or add --force if you are sure nothing is using the database.`);
  }
  const dir = path.dirname(path.resolve(target));
  fs.mkdirSync(dir, { recursive: true });
  const temp = path.join(dir, `.${path.basename(target)}.restoring-${process.pid}`);
  removeWithSidecars(temp);
  fs.copyFileSync(backup, temp);
  let check: DatabaseCheck;
  try {
    check = checkDatabase(temp);
  } catch (err) {
    removeWithSidecars(temp);
    throw new Error(`${backup} cannot be restored: ${(err as Error).message}`);
  }
  let keptAs: string | null = null;
  if (fs.existsSync(target)) {
    keptAs = `${target}.replaced-${backupStamp(new Date())}`;
    fs.renameSync(target, keptAs);
    // Any WAL left (only when forced) belongs to the replaced file: it goes with it, never onto the restored one.
    if (fs.existsSync(`${target}-wal`)) fs.renameSync(`${target}-wal`, `${keptAs}-wal`);
  }
  for (const suffix of ["-wal", "-shm", "-journal"]) fs.rmSync(`${target}${suffix}`, { force: true });
  fs.renameSync(temp, target);
  const db = openDatabase(target);
  try {
    const migrationsApplied = await migrateToLatest(db);
    return { ...check, target, keptAs, migrationsApplied };
  } finally {
    await db.destroy();
  }
}

function removeWithSidecars(file: string) {
  for (const suffix of ["", "-wal", "-shm", "-journal"]) fs.rmSync(`${file}${suffix}`, { force: true });
}
