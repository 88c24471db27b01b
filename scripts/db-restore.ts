/**
 * `npm run db:restore -- <file> [--force]`: puts a backup in place of the database. Refuses while
 * the server seems to be running (unless --force), checks the backup's integrity, keeps the replaced
 * database beside it, and applies any newer migrations.
 */
import { parseArgs } from "node:util";
import { restoreDatabase } from "#db/backup.ts";
import { getEnv } from "#app/utils/env.server.ts";

const { values, positionals } = parseArgs({ options: { force: { type: "boolean", default: false } }, allowPositionals: true });
const file = positionals[0];
if (!file || positionals.length > 1) {
  console.error("Usage: npm run db:restore -- <backup file> [--force]");
  process.exit(2);
}
const env = getEnv();
try {
  const report = await restoreDatabase(file, env.DATABASE_PATH, { force: values.force, port: env.PORT });
  console.log(`Restored ${file} to ${report.target}. integrity_check: ${report.integrity}.`);
  if (report.keptAs) console.log(`The database it replaced is kept as ${report.keptAs}; delete it once you are happy.`);
  console.log(report.migrationsApplied.length ? `Applied migrations: ${report.migrationsApplied.join(", ")}` : "The database is up to date.");
  for (const [table, n] of Object.entries(report.counts)) console.log(`  ${table.padEnd(20)} ${n.toLocaleString("en-GB")}`);
} catch (err) {
  console.error(`Restore refused: ${(err as Error).message}`);
  process.exit(1);
}
