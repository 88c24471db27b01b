import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { sql } from "kysely";
import { backupStamp, KEY_TABLES, type BackupReport, type DatabaseCheck, type RestoreReport } from "./backup.ts";
import { migrateToLatest, openDatabase } from "./connection.ts";
import { currentSchema } from "./dialects/postgres.ts";
import type { Db } from "./schema.ts";

/**
 * Backups on PostgreSQL, with the same promises as on SQLite: a copy consistent while the server
 * writes, checked before it gets its final name, and a restore that keeps what it replaced.
 *
 * `pg_dump` writes the app's schema in its custom format under a snapshot this module exported, so
 * the row counts printed beside the copy are read from exactly the data in it. A restore renames the
 * live schema aside (`public` becomes `public_replaced_YYYYMMDD_HHMMSS`) and `pg_restore` builds the
 * schema again in one transaction; if anything fails the renamed schema is put back.
 */

/** `backups/neverok-20261121-143005.dump`, in UTC. */
export function defaultPostgresBackupPath(at = new Date(), dir = "backups"): string {
  return path.join(dir, `neverok-${backupStamp(at)}.dump`);
}

async function withDatabase<T>(url: string, fn: (db: Db) => Promise<T>): Promise<T> {
  const db = openDatabase(url);
  try {
    return await fn(db);
  } finally {
    await db.destroy();
  }
}

/** Runs one of PostgreSQL's own programs; its complaints become the error. */
function run(program: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString("utf8")));
    child.on("error", (e: NodeJS.ErrnoException) =>
      reject(
        new Error(
          e.code === "ENOENT"
            ? `${program} is not installed: it comes with PostgreSQL's client programs (Debian: apt-get install postgresql-client).`
            : e.message,
        ),
      ),
    );
    child.on("close", (code) => (code === 0 ? resolve(out) : reject(new Error(`${program} failed: ${err.trim().split("\n").slice(0, 5).join("; ")}`))));
  });
}

/** The connection address for PostgreSQL's programs: libpq reads the same URL, search_path option included. */
const dbnameArg = (url: string) => `--dbname=${url}`;

/** The row counts of the key tables and the newest migration, in the schema the connection uses. */
async function checkSchema(db: Db): Promise<Omit<DatabaseCheck, "integrity">> {
  const tables = new Set((await db.introspection.getTables({ withInternalKyselyTables: true })).map((t) => t.name));
  if (!tables.has("users") || !tables.has("kysely_migration"))
    throw new Error(`schema ${await currentSchema(db)} does not look like a NeverOK Training database (no users or kysely_migration table)`);
  const counts: Record<string, number> = {};
  for (const t of KEY_TABLES) {
    if (tables.has(t)) counts[t] = (await sql<{ n: number }>`select count(*) as n from ${sql.table(t)}`.execute(db)).rows[0]!.n;
  }
  const last = await sql<{ name: string }>`select name from kysely_migration order by name desc limit 1`.execute(db);
  return { counts, migration: last.rows[0]?.name ?? null };
}

/**
 * What an archive holds, read with `pg_restore --list`: the schema it was taken from, and whether
 * the app's tables and their rows are in it. Throws when it is not a readable NeverOK backup.
 */
export async function checkArchive(file: string): Promise<{ schema: string; entries: number }> {
  const list = await run("pg_restore", ["--list", file]);
  const entries = list.split("\n").filter((line) => line && !line.startsWith(";"));
  const data = entries.map((line) => /\bTABLE DATA (\S+) (\S+) /.exec(line)).filter((m): m is RegExpExecArray => m !== null);
  const users = data.find((m) => m[2] === "users");
  if (!users || !data.some((m) => m[2] === "kysely_migration" && m[1] === users[1]))
    throw new Error("it does not look like a NeverOK Training backup (no users or kysely_migration data)");
  return { schema: users[1]!, entries: entries.length };
}

/** A consistent copy of the app's schema while the server runs, checked before it gets its final name. */
export async function backupPostgres(url: string, out: string): Promise<BackupReport> {
  if (fs.existsSync(out)) throw new Error(`${out} already exists; choose another name.`);
  fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  const partial = `${out}.partial`;
  fs.rmSync(partial, { force: true });
  try {
    const check = await withDatabase(url, (db) =>
      // One snapshot for the counts and the copy: pg_dump reads the data exactly as this transaction sees it.
      db.connection().execute(async (conn) => {
        await sql`begin isolation level repeatable read read only`.execute(conn);
        try {
          const { rows } = await sql<{ snapshot: string }>`select pg_export_snapshot() as snapshot`.execute(conn);
          const found = await checkSchema(conn);
          const schema = await currentSchema(conn);
          await run("pg_dump", [
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            `--schema=${schema}`,
            `--snapshot=${rows[0]!.snapshot}`,
            `--file=${partial}`,
            dbnameArg(url),
          ]);
          return found;
        } finally {
          await sql`commit`.execute(conn);
        }
      }),
    );
    const archive = await checkArchive(partial);
    fs.renameSync(partial, out);
    return { path: out, bytes: fs.statSync(out).size, integrity: `pg_restore --list read ${archive.entries} entries`, ...check };
  } catch (err) {
    fs.rmSync(partial, { force: true });
    throw err;
  }
}

/** Why the database seems to be in use: another session connected to it. */
export async function whyPostgresInUse(url: string): Promise<string | null> {
  return withDatabase(url, async (db) => {
    const { rows } = await sql<{ n: number }>`
      select count(*) as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'`.execute(
      db,
    );
    const n = rows[0]!.n;
    return n > 0 ? `${n} other connection${n === 1 ? " is" : "s are"} open to this database: the server seems to be running.` : null;
  });
}

/**
 * Puts a backup in place of the app's schema: refuses while others are connected (unless forced),
 * checks the archive first, renames the live schema aside, restores in one transaction (putting the
 * old schema back if that fails), and brings the result up to the current migrations.
 */
export async function restorePostgres(backup: string, url: string, opts: { force?: boolean } = {}): Promise<RestoreReport> {
  if (!fs.existsSync(backup)) throw new Error(`There is no file at ${backup}.`);
  const archive = await checkArchive(backup).catch((err: Error) => {
    throw new Error(`${backup} cannot be restored: ${err.message}`);
  });
  if (!opts.force) {
    const why = await whyPostgresInUse(url);
    if (why) throw new Error(`${why} Stop it first, or add --force if you are sure nothing is using the database.`);
  }
  const keptAs = await withDatabase(url, async (db) => {
    // Null when the schema the connection names does not exist (yet): the restore makes it.
    const schema = (await currentSchema(db)) ?? archive.schema;
    if (schema !== archive.schema) throw new Error(`The backup holds schema ${archive.schema}, but this connection uses ${schema}.`);
    const exists = await sql`select 1 from pg_namespace where nspname = ${schema}`.execute(db);
    if (!exists.rows.length) return null;
    const kept = `${schema}_replaced_${backupStamp(new Date(), "_")}`;
    await sql`alter schema ${sql.id(schema)} rename to ${sql.id(kept)}`.execute(db);
    return kept;
  });
  try {
    await run("pg_restore", ["--single-transaction", "--exit-on-error", "--no-owner", "--no-privileges", dbnameArg(url), backup]);
  } catch (err) {
    if (keptAs)
      await withDatabase(url, async (db) => {
        await sql`drop schema if exists ${sql.id(archive.schema)} cascade`.execute(db);
        await sql`alter schema ${sql.id(keptAs)} rename to ${sql.id(archive.schema)}`.execute(db);
      });
    throw new Error(`${backup} cannot be restored: ${(err as Error).message}`);
  }
  return withDatabase(url, async (db) => {
    const migrationsApplied = await migrateToLatest(db);
    return { ...(await checkSchema(db)), integrity: `pg_restore --list read ${archive.entries} entries`, target: archive.schema, keptAs, migrationsApplied };
  });
}
