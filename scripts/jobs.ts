/** `npm run jobs`: write due reminders, deliver due mail and apply the retention periods, once; for cron. */
import { openConfiguredDatabase } from "#app/db.server.ts";
import { runJobsOnce } from "#app/jobs/runner.server.ts";
import { createTransportFromEnv } from "#app/email/transports.server.ts";

const db = openConfiguredDatabase();
const report = await runJobsOnce(db);
console.log(`Reminders written: ${report.reminders}.`);
if (report.leaderDigest) console.log(`Weekly leader digest written for ${report.leaderDigest} officers.`);
if (!createTransportFromEnv()) console.log("No RESEND_API_KEY or SMTP_URL: mail stays in the local outbox.");
else console.log(`Mail: ${report.email?.sent ?? 0} sent, ${report.email?.retried ?? 0} to retry, ${report.email?.failed ?? 0} failed.`);
if (report.retention) {
  const r = report.retention;
  console.log(
    `Retention: ${r.registrations} registrations anonymised, ${r.feedbackText} feedback comments, ${r.emailBodies} email bodies and ${r.emailRecipients} email recipients removed, ${r.auditEntries} audit entries and ${r.expiredTokens} expired links deleted.`,
  );
} else console.log("Retention: already applied within the last hour.");
await db.destroy();
