/**
 * `npm run jobs`: write due reminders, deliver due mail and apply the retention periods, once; for cron.
 * It takes the same lease as the server's job timer, so it never runs beside a server process that is
 * running them, nor beside another run of itself.
 */
import { openConfiguredDatabase } from "#app/db.server.ts";
import { BACKGROUND_JOBS, leaseHolder, releaseLease, THIS_PROCESS } from "#app/jobs/lease.server.ts";
import { jobsLeaseMs, runJobsUnderLease } from "#app/jobs/runner.server.ts";
import { createTransportFromEnv } from "#app/email/transports.server.ts";
import { getEnv } from "#app/utils/env.server.ts";

const env = getEnv();
const db = openConfiguredDatabase();
const report = await runJobsUnderLease(db, THIS_PROCESS, jobsLeaseMs(env.EMAIL_WORKER_INTERVAL_SECONDS));
if (!report) {
  console.log(`The background jobs are running in another process (${(await leaseHolder(db, BACKGROUND_JOBS)) ?? "which has just finished"}): nothing to do.`);
  await db.destroy();
  process.exit(0);
}
await releaseLease(db, BACKGROUND_JOBS, THIS_PROCESS);
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
