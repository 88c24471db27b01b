/**
 * `npm run db:backup [-- --out path]`: a consistent copy of the database while the server runs,
 * checked with PRAGMA integrity_check. Default: backups/neverok-YYYYMMDD-HHMMSS.sqlite (UTC).
 */
import { parseArgs } from "node:util";
import { backupDatabase, defaultBackupPath } from "#db/backup.ts";
import { getEnv } from "#app/utils/env.server.ts";

const { values } = parseArgs({ options: { out: { type: "string", short: "o" } } });
const source = getEnv().DATABASE_PATH;
const out = values.out ?? defaultBackupPath();
try {
  const report = await backupDatabase(source, out);
  console.log(`Backed up ${source} to ${report.path} (${(report.bytes / 1024 / 1024).toFixed(1)} MB).`);
  console.log(`integrity_check: ${report.integrity}; latest migration: ${report.migration ?? "none"}`);
  for (const [table, n] of Object.entries(report.counts)) console.log(`  ${table.padEnd(20)} ${n.toLocaleString("en-GB")}`);
} catch (err) {
  console.error(`Backup failed: ${(err as Error).message}`);
  process.exit(1);
}
