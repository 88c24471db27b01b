import { sql, type Kysely } from "kysely";
import type { Database, EmailMessage } from "#db/schema.ts";
import { addMs, MINUTE, now } from "#app/utils/time.ts";
import { scrubbedCopy } from "./personal-links.server.ts";
import { DeliveryError, type EmailTransport } from "./transports.server.ts";

export const MAX_ATTEMPTS = 8;
const LEASE_MS = 2 * MINUTE;

/** 1 min, 2, 4, 8 … capped at 6 hours, with a little jitter so retries do not arrive together. */
export function backoffMs(attempt: number, random = Math.random): number {
  const base = Math.min(6 * 60 * MINUTE, MINUTE * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.9 + random() * 0.2));
}

export interface DeliveryReport {
  sent: number;
  retried: number;
  failed: number;
}

/**
 * Delivers what is due. Each message is claimed with a lease before it is handed to the transport,
 * so two runners never send the same message; a runner that dies leaves a lease that expires and
 * the message is tried again. A message waits while an earlier one with the same ordering key is
 * still on its way, so an update never overtakes its invite.
 */
export async function deliverDueEmails(db: Kysely<Database>, transport: EmailTransport, opts: { limit?: number } = {}): Promise<DeliveryReport> {
  const report: DeliveryReport = { sent: 0, retried: 0, failed: 0 };
  await db
    .updateTable("email_messages")
    .set({ status: "pending", lease_expires_at: null })
    .where("status", "=", "sending")
    .where("lease_expires_at", "<", now().toISOString())
    .execute();

  // A message unblocked by an earlier one with its ordering key goes out in the same run.
  let remaining = opts.limit ?? 50;
  for (let pass = 0; pass < 10 && remaining > 0; pass++) {
    const sentBefore = report.sent;
    remaining -= await deliverOnePass(db, transport, report, remaining);
    if (report.sent === sentBefore) break;
  }
  return report;
}

/** Returns how many messages it handed to the transport. */
async function deliverOnePass(db: Kysely<Database>, transport: EmailTransport, report: DeliveryReport, limit: number): Promise<number> {
  let handled = 0;
  const at = now().toISOString();
  const due = await db
    .selectFrom("email_messages as m")
    .select("m.id")
    .where("m.status", "=", "pending")
    .where((eb) => eb.or([eb("m.next_attempt_at", "is", null), eb("m.next_attempt_at", "<=", at)]))
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom("email_messages as earlier")
            .select(sql`1`.as("one"))
            .whereRef("earlier.ordering_key", "=", "m.ordering_key")
            .whereRef("earlier.id", "<", "m.id")
            .where("earlier.status", "in", ["pending", "sending"]),
        ),
      ),
    )
    .orderBy("m.id")
    .limit(limit)
    .execute();

  for (const { id } of due) {
    const claimed = await db
      .updateTable("email_messages")
      .set((eb) => ({
        status: "sending",
        lease_expires_at: addMs(now(), LEASE_MS).toISOString(),
        attempts: eb("attempts", "+", 1),
      }))
      .where("id", "=", id)
      .where("status", "=", "pending")
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) continue;
    handled++;

    const message = await db.selectFrom("email_messages").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    try {
      const { providerId } = await transport.send(message);
      // Delivered: the recipient has their links, so the copy kept here no longer holds them.
      await db
        .updateTable("email_messages")
        .set({ status: "sent", sent_at: now().toISOString(), provider_id: providerId, lease_expires_at: null, last_error: null, ...(await scrubbed(message)) })
        .where("id", "=", id)
        .execute();
      report.sent++;
    } catch (err) {
      const e = err instanceof DeliveryError ? err : new DeliveryError(String(err), true);
      const giveUp = !e.retryable || message.attempts >= MAX_ATTEMPTS;
      await db
        .updateTable("email_messages")
        .set({
          status: giveUp ? "failed" : "pending",
          lease_expires_at: null,
          last_error: e.message.slice(0, 1000),
          next_attempt_at: giveUp ? null : addMs(now(), e.retryAfterMs ?? backoffMs(message.attempts)).toISOString(),
        })
        .where("id", "=", id)
        .execute();
      if (giveUp) report.failed++;
      else report.retried++;
    }
  }
  return handled;
}

/** The stored copy without the secrets of its personal links; a raw message that cannot be rewritten is not kept. */
async function scrubbed(message: EmailMessage) {
  try {
    return await scrubbedCopy(message);
  } catch {
    return { ...(await scrubbedCopy({ ...message, raw_mime: "" })), raw_mime: RAW_NOT_KEPT };
  }
}

export const RAW_NOT_KEPT = "The raw message was not kept after delivery: it held personal links that could not be removed from it.";

/** A coordinator can send a failed message again from the outbox. */
export async function retryFailedEmail(db: Kysely<Database>, id: number) {
  await db
    .updateTable("email_messages")
    .set({ status: "pending", next_attempt_at: now().toISOString(), attempts: 0, last_error: null })
    .where("id", "=", id)
    .where("status", "=", "failed")
    .execute();
}
