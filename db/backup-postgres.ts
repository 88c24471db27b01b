import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { KEY_TABLES, type BackupReport, type DatabaseCheck, type RestoreReport } from "./backup.ts";
import { migrateToLatest, openDatabase } from "./connection.ts";

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
  return path.join(dir, `neverok-${stamp(at, "-")}.dump`);
}

function stamp(at: Date, between: string): string {
  return at
    .toISOString()
    .replace(/\.\d{3}Z$/, "")
    .replace(/[-:]/g, "")
    .replace("T", between);
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
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

async function currentSchema(client: pg.Client): Promise<string> {
  const { rows } = await client.query<{ schema: string | null }>("select current_schema() as schema");
  if (!rows[0]?.schema) throw new Error("the connection has no schema to work in (check search_path)");
  return rows[0].schema;
}

async function checkSchema(client: pg.Client, schema: string): Promise<Omit<DatabaseCheck, "integrity">> {
  const { rows } = await client.query<{ table_name: string }>("select table_name from information_schema.tables where table_schema = $1", [schema]);
  const tables = new Set(rows.map((r) => r.table_name));
  if (!tables.has("users") || !tables.has("kysely_migration"))
    throw new Error(`schema ${schema} does not look like a NeverOK Training database (no users or kysely_migration table)`);
  const counts: Record<string, number> = {};
  for (const t of KEY_TABLES) {
    if (!tables.has(t)) continue;
    const result = await client.query<{ n: string }>(`select count(*) as n from ${pg.escapeIdentifier(schema)}.${pg.escapeIdentifier(t)}`);
    counts[t] = Number(result.rows[0]!.n);
  }
  const last = await client.query<{ name: string }>(`select name from ${pg.escapeIdentifier(schema)}.kysely_migration order by name desc limit 1`);
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
    const check = await withClient(url, async (client) => {
      // One snapshot for the counts and the copy: pg_dump reads the data exactly as this transaction sees it.
      await client.query("begin isolation level repeatable read read only");
      try {
        const { rows } = await client.query<{ snapshot: string }>("select pg_export_snapshot() as snapshot");
        const schema = await currentSchema(client);
        const found = await checkSchema(client, schema);
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
        await client.query("commit");
      }
    });
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
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ n: string }>(
      "select count(*) as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'",
    );
    const n = Number(rows[0]!.n);
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
  const keptAs = await withClient(url, async (client) => {
    const schema = await currentSchema(client).catch(() => archive.schema);
    if (schema !== archive.schema) throw new Error(`The backup holds schema ${archive.schema}, but this connection uses ${schema}.`);
    const exists = await client.query("select 1 from pg_namespace where nspname = $1", [schema]);
    if (!exists.rowCount) return null;
    const kept = `${schema}_replaced_${stamp(new Date(), "_")}`;
    await client.query(`alter schema ${pg.escapeIdentifier(schema)} rename to ${pg.escapeIdentifier(kept)}`);
    return kept;
  });
  try {
    await run("pg_restore", ["--single-transaction", "--exit-on-error", "--no-owner", "--no-privileges", dbnameArg(url), backup]);
  } catch (err) {
    if (keptAs)
      await withClient(url, async (client) => {
        await client.query(`drop schema if exists ${pg.escapeIdentifier(archive.schema)} cascade`);
        await client.query(`alter schema ${pg.escapeIdentifier(keptAs)} rename to ${pg.escapeIdentifier(archive.schema)}`);
      });
    throw new Error(`${backup} cannot be restored: ${(err as Error).message}`);
  }
  const db = openDatabase(url);
  const migrationsApplied = await migrateToLatest(db).finally(() => db.destroy());
  const check = await withClient(url, (client) => checkSchema(client, archive.schema));
  return { ...check, integrity: `pg_restore --list read ${archive.entries} entries`, target: archive.schema, keptAs, migrationsApplied };
}
