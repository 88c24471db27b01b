/**
 * `npm run db:backup [-- --out path]`: a consistent copy of the database while the server runs.
 * SQLite: the online backup API, checked with PRAGMA integrity_check; default
 * backups/neverok-YYYYMMDD-HHMMSS.sqlite (UTC). PostgreSQL (DATABASE_URL): pg_dump of the app's
 * schema under one snapshot, checked with pg_restore --list; default backups/neverok-YYYYMMDD-HHMMSS.dump.
 */
import { parseArgs } from "node:util";
import { backupDatabase, defaultBackupPath } from "#db/backup.ts";
import { backupPostgres, defaultPostgresBackupPath } from "#db/backup-postgres.ts";
import { getEnv } from "#app/utils/env.server.ts";

const { values } = parseArgs({ options: { out: { type: "string", short: "o" } } });
const env = getEnv();
const url = env.DATABASE_URL;
const out = values.out ?? (url ? defaultPostgresBackupPath() : defaultBackupPath());
try {
  const report = url ? await backupPostgres(url, out) : await backupDatabase(env.DATABASE_PATH, out);
  console.log(`Backed up ${url ? "the PostgreSQL database" : env.DATABASE_PATH} to ${report.path} (${(report.bytes / 1024 / 1024).toFixed(1)} MB).`);
  console.log(`${url ? "check" : "integrity_check"}: ${report.integrity}; latest migration: ${report.migration ?? "none"}`);
  for (const [table, n] of Object.entries(report.counts)) console.log(`  ${table.padEnd(20)} ${n.toLocaleString("en-GB")}`);
} catch (err) {
  console.error(`Backup failed: ${(err as Error).message}`);
  process.exit(1);
}
