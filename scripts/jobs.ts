/** `npm run jobs`: write due reminders and deliver due mail, once; for cron. */
import { openDatabase } from "#db/connection.ts";
import { runJobsOnce } from "#app/jobs/runner.server.ts";
import { createTransportFromEnv } from "#app/email/transports.server.ts";
import { getEnv } from "#app/utils/env.server.ts";

const db = openDatabase(getEnv().DATABASE_PATH);
const report = await runJobsOnce(db);
console.log(`Reminders written: ${report.reminders}.`);
if (report.leaderDigest) console.log(`Weekly leader digest written for ${report.leaderDigest} officers.`);
if (!createTransportFromEnv()) console.log("No RESEND_API_KEY or SMTP_URL: mail stays in the local outbox.");
else console.log(`Mail: ${report.email?.sent ?? 0} sent, ${report.email?.retried ?? 0} to retry, ${report.email?.failed ?? 0} failed.`);
await db.destroy();
