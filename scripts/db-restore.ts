/**
 * `npm run db:restore -- <file> [--force]`: puts a backup in place of the database. Refuses while
 * the server seems to be running (unless --force), checks the backup first, keeps the replaced
 * database (SQLite: a file beside it; PostgreSQL: the schema renamed aside), and applies any newer
 * migrations.
 */
import { parseArgs } from "node:util";
import { restoreDatabase } from "#db/backup.ts";
import { restorePostgres } from "#db/backup-postgres.ts";
import { getEnv } from "#app/utils/env.server.ts";

const { values, positionals } = parseArgs({ options: { force: { type: "boolean", default: false } }, allowPositionals: true });
const file = positionals[0];
if (!file || positionals.length > 1) {
  console.error("Usage: npm run db:restore -- <backup file> [--force]");
  process.exit(2);
}
const env = getEnv();
try {
  const report = env.DATABASE_URL
    ? await restorePostgres(file, env.DATABASE_URL, { force: values.force })
    : await restoreDatabase(file, env.DATABASE_PATH, { force: values.force, port: env.PORT });
  console.log(`Restored ${file} to ${report.target}. ${env.DATABASE_URL ? "check" : "integrity_check"}: ${report.integrity}.`);
  if (report.keptAs)
    console.log(
      env.DATABASE_URL
        ? `The schema it replaced is kept as ${report.keptAs}; drop it once you are happy (drop schema "${report.keptAs}" cascade).`
        : `The database it replaced is kept as ${report.keptAs}; delete it once you are happy.`,
    );
  console.log(report.migrationsApplied.length ? `Applied migrations: ${report.migrationsApplied.join(", ")}` : "The database is up to date.");
  for (const [table, n] of Object.entries(report.counts)) console.log(`  ${table.padEnd(20)} ${n.toLocaleString("en-GB")}`);
} catch (err) {
  console.error(`Restore refused: ${(err as Error).message}`);
  process.exit(1);
}
