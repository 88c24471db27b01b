import type { Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import { pruneExpiredAuthRecords } from "#app/auth/cleanup.server.ts";
import { weeklyDigest } from "#app/compliance/reminders.server.ts";
import { deliverDueEmails, type DeliveryReport } from "#app/email/delivery.server.ts";
import { createTransportFromEnv } from "#app/email/transports.server.ts";
import { applyRetentionIfDue, type RetentionCounts } from "#app/privacy/retention.server.ts";
import { sendDueReminders } from "#app/scheduling/reminders.server.ts";
import { getEnv } from "#app/utils/env.server.ts";

export interface JobsReport {
  reminders: number;
  /** Officers sent this week's leader-training digest on this run (0 on every other run). */
  leaderDigest: number;
  email: DeliveryReport | null;
  pruned: Awaited<ReturnType<typeof pruneExpiredAuthRecords>>;
  /** What the retention periods anonymised or removed; null when it already ran within the hour. */
  retention: RetentionCounts | null;
}

/** Everything that runs on a timer, once. Safe to run twice at the same moment. */
export async function runJobsOnce(db: Kysely<Database>): Promise<JobsReport> {
  // Reminders first, so they go out in the same run.
  const reminders = await sendDueReminders(db);
  // A failing digest must not hold up the mail.
  const leaderDigest = await weeklyDigest(db).catch((err) => {
    console.error("The weekly leader digest failed:", err);
    return 0;
  });
  const transport = createTransportFromEnv();
  const email = transport ? await deliverDueEmails(db, transport) : null;
  const pruned = await pruneExpiredAuthRecords(db);
  // Last and at most hourly: personal data past its retention period, in small batches.
  const retention = await applyRetentionIfDue(db).catch((err) => {
    console.error("Applying the retention periods failed:", err);
    return null;
  });
  return { reminders, leaderDigest, email, pruned, retention };
}

declare global {
  var __neverokJobsTimer: NodeJS.Timeout | undefined;
}

/** Started once by the server; `npm run jobs` runs the same work from cron. */
export function startJobTimer(getDb: () => Kysely<Database>) {
  const env = getEnv();
  if (globalThis.__neverokJobsTimer || env.NODE_ENV === "test" || env.EMAIL_WORKER_INTERVAL_SECONDS === 0) return;
  let running = false;
  globalThis.__neverokJobsTimer = setInterval(() => {
    if (running) return;
    running = true;
    runJobsOnce(getDb())
      .catch((err) => console.error("Background jobs failed:", err))
      .finally(() => {
        running = false;
      });
  }, env.EMAIL_WORKER_INTERVAL_SECONDS * 1000);
  globalThis.__neverokJobsTimer.unref();
}
