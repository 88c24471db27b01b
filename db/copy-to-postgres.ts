import SQLite from "better-sqlite3";
import { sql } from "kysely";
import { insertRows, tablesInKeyOrder } from "./bulk-load.ts";
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

/** Rows read from the file and sent at a time, so a city's years never sit in memory at once. */
const BATCH_ROWS = 5_000;

function latestMigration(names: string[]): string | null {
  return names.sort().at(-1) ?? null;
}

/**
 * Copies `sqliteFile` into the PostgreSQL schema `url` connects to. The target must be migrated to
 * the same migration as the file and hold no accounts yet; nothing is written unless every row goes in.
 */
export async function copySqliteToPostgres(sqliteFile: string, url: string): Promise<CopyReport> {
  const started = performance.now();
  const source = new SQLite(sqliteFile, { readonly: true, fileMustExist: true });
  const target = openDatabase(url);
  try {
    const from = latestMigration((source.prepare("select name from kysely_migration").all() as { name: string }[]).map((r) => r.name));
    const to = latestMigration((await sql<{ name: string }>`select name from kysely_migration`.execute(target)).rows.map((r) => r.name));
    if (from !== to)
      throw new Error(`The SQLite file is at migration ${from ?? "none"} and PostgreSQL at ${to ?? "none"}: migrate both to the same point first.`);
    const people = await target
      .selectFrom("users")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    if (people.n > 0) throw new Error("The PostgreSQL database already has accounts in it: copy into an empty, migrated database.");
    const fileTables = (
      source.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%' order by name").all() as {
        name: string;
      }[]
    ).map((r) => r.name);
    const counts: Record<string, number> = {};
    // One read transaction on the file, so the copy is the file at one instant.
    source.prepare("begin").run();
    try {
      await target.transaction().execute(async (trx) => {
        const tables = await tablesInKeyOrder(trx, fileTables);
        // Rows the migrations themselves wrote (the record versions, settings' defaults) give way to the file's.
        for (const table of [...tables].reverse()) await sql`delete from ${sql.table(table)}`.execute(trx);
        for (const table of tables) {
          counts[table] = 0;
          let batch: Record<string, unknown>[] = [];
          for (const row of source.prepare(`select * from "${table}"`).iterate() as IterableIterator<Record<string, unknown>>) {
            batch.push(row);
            if (batch.length < BATCH_ROWS) continue;
            await insertRows(trx, table, batch);
            counts[table] += batch.length;
            batch = [];
          }
          await insertRows(trx, table, batch);
          counts[table] += batch.length;
        }
        // Identity columns carry on after the copied ids.
        await catchUpNumbering(trx);
      });
    } finally {
      source.prepare("commit").run();
    }
    return { tables: fileTables.length, rows: Object.values(counts).reduce((a, b) => a + b, 0), counts, ms: performance.now() - started };
  } finally {
    source.close();
    await target.destroy();
  }
}
