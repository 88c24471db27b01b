/**
 * `DATABASE_URL=postgres://… npm run db:copy-to-postgres -- <file.sqlite>`: moves a deployment from
 * its SQLite file to PostgreSQL. Both are brought to the latest migration first; the PostgreSQL
 * database must have no accounts yet. Stop the server on the SQLite file before copying.
 */
import fs from "node:fs";
import { parseArgs } from "node:util";
import { migrateToLatest, openDatabase } from "#db/connection.ts";
import { copySqliteToPostgres } from "#db/copy-to-postgres.ts";
import { getEnv } from "#app/utils/env.server.ts";

const { positionals } = parseArgs({ allowPositionals: true });
const file = positionals[0];
const url = getEnv().DATABASE_URL;
if (!file || positionals.length > 1 || !url) {
  console.error("Usage: DATABASE_URL=postgres://… npm run db:copy-to-postgres -- <file.sqlite>");
  process.exit(2);
}
if (!fs.existsSync(file)) {
  console.error(`There is no database at ${file}.`);
  process.exit(1);
}
try {
  for (const target of [file, url]) {
    const db = openDatabase(target);
    await migrateToLatest(db).finally(() => db.destroy());
  }
  const report = await copySqliteToPostgres(file, url);
  console.log(`Copied ${report.rows.toLocaleString("en-GB")} rows in ${report.tables} tables in ${(report.ms / 1000).toFixed(1)} s.`);
  for (const [table, n] of Object.entries(report.counts)) if (n) console.log(`  ${table.padEnd(28)} ${n.toLocaleString("en-GB")}`);
} catch (err) {
  console.error(`Copy refused: ${(err as Error).message}`);
  process.exit(1);
}
