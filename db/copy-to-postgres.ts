import SQLite from "better-sqlite3";
import pg from "pg";
import { openDatabase } from "./connection.ts";
import { catchUpNumbering } from "./dialect.ts";

/**
 * Moves a deployment from its SQLite file to PostgreSQL: every row of every table, in one
 * transaction, into a PostgreSQL schema already migrated to the same point. Used when a university
 * outgrows one file, and by the benchmark to run the same city-scale data on both databases.
 */

export interface CopyReport {
  tables: number;
  rows: number;
  counts: Record<string, number>;
  ms: number;
}

/** Bind parameters per statement stay under PostgreSQL's limit of 65,535. */
const MAX_PARAMETERS = 60_000;

/** Tables in an order that satisfies every foreign key: referenced before referencing. */
function tablesInLoadOrder(source: SQLite.Database): string[] {
  const tables = (
    source.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%'").all() as { name: string }[]
  ).map((r) => r.name);
  const dependsOn = new Map(
    tables.map((t) => [
      t,
      new Set((source.prepare(`select "table" as ref from pragma_foreign_key_list(?)`).all(t) as { ref: string }[]).map((r) => r.ref).filter((r) => r !== t)),
    ]),
  );
  const ordered: string[] = [];
  const placed = new Set<string>();
  while (ordered.length < tables.length) {
    const ready = tables.filter((t) => !placed.has(t) && [...dependsOn.get(t)!].every((d) => placed.has(d) || !dependsOn.has(d)));
    if (!ready.length) throw new Error(`The foreign keys between ${tables.filter((t) => !placed.has(t)).join(", ")} form a cycle.`);
    for (const t of ready.sort()) {
      ordered.push(t);
      placed.add(t);
    }
  }
  return ordered;
}

function latestMigration(rows: { name: string }[]): string | null {
  return (
    rows
      .map((r) => r.name)
      .sort()
      .at(-1) ?? null
  );
}

/**
 * Copies `sqliteFile` into the PostgreSQL schema `url` connects to. The target must be migrated to
 * the same migration as the file and hold no rows yet in the tables copied (the record versions
 * excepted); nothing is written unless every row goes in.
 */
export async function copySqliteToPostgres(sqliteFile: string, url: string): Promise<CopyReport> {
  const started = performance.now();
  const source = new SQLite(sqliteFile, { readonly: true, fileMustExist: true });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const from = latestMigration(source.prepare("select name from kysely_migration").all() as { name: string }[]);
    const to = latestMigration((await client.query<{ name: string }>("select name from kysely_migration")).rows);
    if (from !== to)
      throw new Error(`The SQLite file is at migration ${from ?? "none"} and PostgreSQL at ${to ?? "none"}: migrate both to the same point first.`);
    const tables = tablesInLoadOrder(source);
    const people = await client.query<{ n: string }>("select count(*) as n from users");
    if (Number(people.rows[0]!.n) > 0) throw new Error("The PostgreSQL database already has accounts in it: copy into an empty, migrated database.");
    const counts: Record<string, number> = {};
    // One read transaction on the file, so the copy is the file at one instant.
    source.prepare("begin").run();
    await client.query("begin");
    try {
      // Rows the migrations themselves wrote (the record versions, settings' defaults) give way to the file's.
      for (const table of [...tables].reverse()) await client.query(`delete from ${pg.escapeIdentifier(table)}`);
      for (const table of tables) {
        const columns = (source.prepare(`select name from pragma_table_info(?) order by cid`).all(table) as { name: string }[]).map((c) => c.name);
        const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length));
        const columnList = columns.map((c) => pg.escapeIdentifier(c)).join(", ");
        let batch: unknown[][] = [];
        let copied = 0;
        const flush = async () => {
          if (!batch.length) return;
          const values = batch.map((_, r) => `(${columns.map((__, c) => `$${r * columns.length + c + 1}`).join(", ")})`).join(", ");
          await client.query(`insert into ${pg.escapeIdentifier(table)} (${columnList}) values ${values}`, batch.flat());
          copied += batch.length;
          batch = [];
        };
        for (const row of source
          .prepare(`select ${columns.map((c) => `"${c}"`).join(", ")} from "${table}"`)
          .raw()
          .iterate() as IterableIterator<unknown[]>) {
          batch.push(row.map((v) => (typeof v === "bigint" ? v.toString() : v)));
          if (batch.length >= perStatement) await flush();
        }
        await flush();
        counts[table] = copied;
      }
      await client.query("commit");
    } catch (err) {
      await client.query("rollback");
      throw err;
    } finally {
      source.prepare("commit").run();
    }
    // Identity columns carry on after the copied ids.
    const db = openDatabase(url);
    await catchUpNumbering(db).finally(() => db.destroy());
    return { tables: tables.length, rows: Object.values(counts).reduce((a, b) => a + b, 0), counts, ms: performance.now() - started };
  } finally {
    source.close();
    await client.end();
  }
}
