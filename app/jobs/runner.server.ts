import type { Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import { pruneExpiredAuthRecords } from "#app/auth/cleanup.server.ts";
import { weeklyDigest } from "#app/compliance/reminders.server.ts";
import { deliverDueEmails, type DeliveryReport } from "#app/email/delivery.server.ts";
import { createTransportFromEnv } from "#app/email/transports.server.ts";
import { applyRetentionIfDue, type RetentionCounts } from "#app/privacy/retention.server.ts";
import { sendDueReminders } from "#app/scheduling/reminders.server.ts";
import { getEnv } from "#app/utils/env.server.ts";
import { BACKGROUND_JOBS, releaseLease, takeLease, THIS_PROCESS } from "./lease.server.ts";

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

/**
 * How long the jobs lease lasts unless renewed: several timer intervals, so a holder that is merely
 * busy keeps it, and at least a minute, so a slow run does not lose it between renewals.
 */
export function jobsLeaseMs(intervalSeconds: number): number {
  return Math.max(60_000, 4 * intervalSeconds * 1000);
}

/**
 * Runs the jobs if this holder has (or can take) the jobs lease, renewing it while they run, so
 * however many processes try at once only one runs them; null when another process holds it.
 */
export async function runJobsUnderLease(db: Kysely<Database>, holder: string, ttlMs: number): Promise<JobsReport | null> {
  const claim = { name: BACKGROUND_JOBS, holder, ttlMs };
  if (!(await takeLease(db, claim))) return null;
  const renewal = setInterval(() => {
    takeLease(db, claim).catch((err) => console.error("Renewing the background jobs lease failed:", err));
  }, ttlMs / 3);
  try {
    return await runJobsOnce(db);
  } finally {
    clearInterval(renewal);
  }
}

declare global {
  var __neverokJobsTimer: { timer: NodeJS.Timeout; stop: () => Promise<void> } | undefined;
}

/**
 * Started by every server process; `npm run jobs` runs the same work from cron. Each tick tries the
 * lease, so one process at a time runs the jobs, and another takes over if it stops or dies.
 */
export function startJobTimer(getDb: () => Kysely<Database>) {
  const env = getEnv();
  if (globalThis.__neverokJobsTimer || env.NODE_ENV === "test" || env.EMAIL_WORKER_INTERVAL_SECONDS === 0) return;
  const ttlMs = jobsLeaseMs(env.EMAIL_WORKER_INTERVAL_SECONDS);
  let running: Promise<unknown> | null = null;
  let held = false;
  const timer = setInterval(() => {
    if (running) return;
    running = runJobsUnderLease(getDb(), THIS_PROCESS, ttlMs)
      .then((report) => {
        if (report && !held) console.log(`This process (${process.pid}) now runs the background jobs.`);
        held = report !== null;
      })
      .catch((err) => console.error("Background jobs failed:", err))
      .finally(() => {
        running = null;
      });
  }, env.EMAIL_WORKER_INTERVAL_SECONDS * 1000);
  timer.unref();
  globalThis.__neverokJobsTimer = {
    timer,
    // Lets the run in progress finish, then gives the lease up so another process takes over at once.
    stop: async () => {
      clearInterval(timer);
      await running;
      await releaseLease(getDb(), BACKGROUND_JOBS, THIS_PROCESS);
    },
  };
}

/** Stops the job timer and gives up the jobs lease, when the server stops. */
export async function stopJobTimer(): Promise<void> {
  const jobs = globalThis.__neverokJobsTimer;
  globalThis.__neverokJobsTimer = undefined;
  await jobs?.stop();
}
