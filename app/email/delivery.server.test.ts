import crypto from "node:crypto";
import { createElement } from "react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { getDb } from "#app/db.server.ts";
import { HOUR, MINUTE, now, setClockOffsetForTests } from "#app/utils/time.ts";
import type { Kysely } from "kysely";
import type { Database, EmailMessage, EmailStatus } from "#db/schema.ts";
import { allAcross, separateConnections } from "#tests/connections.ts";
import { setEnvForTest } from "#tests/factories.ts";
import { backoffMs, deliverDueEmails, MAX_ATTEMPTS, retryFailedEmail } from "./delivery.server.ts";
import { sendEmail } from "./outbox.server.ts";
import { DeliveryError, type EmailTransport } from "./transports.server.ts";

const db = () => getDb();

async function insertMessage(
  opts: {
    status?: EmailStatus;
    orderingKey?: string | null;
    nextAttemptAt?: string | null;
    leaseExpiresAt?: string | null;
    attempts?: number;
    subject?: string;
  } = {},
): Promise<number> {
  const at = now().toISOString();
  const status = opts.status ?? "pending";
  const row = await db()
    .insertInto("email_messages")
    .values({
      ordering_key: opts.orderingKey ?? null,
      template: "test",
      to_address: "someone@example.ac.uk",
      to_name: null,
      from_address: "NeverOK Training <training@neverok.example>",
      subject: opts.subject ?? "Test",
      message_id: `<${crypto.randomUUID()}@neverok.example>`,
      raw_mime: "Subject: Test\r\n\r\nHello\r\n",
      html: "<p>Hello</p>",
      text: "Hello",
      attachments_json: "[]",
      status,
      attempts: opts.attempts ?? 0,
      next_attempt_at: opts.nextAttemptAt !== undefined ? opts.nextAttemptAt : status === "pending" ? at : null,
      lease_expires_at: opts.leaseExpiresAt ?? null,
      last_error: null,
      provider_id: null,
      created_at: at,
      sent_at: null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

const get = (id: number) => db().selectFrom("email_messages").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

type Behaviour = (message: EmailMessage) => Promise<{ providerId: string }> | { providerId: string };

/** A transport that records what it was asked to send and answers as told. */
function fakeTransport(behaviour: Behaviour = (m) => ({ providerId: `provider-${m.id}` })) {
  const sent: number[] = [];
  const transport: EmailTransport = {
    name: "smtp",
    async send(message) {
      sent.push(message.id);
      return behaviour(message);
    },
  };
  return { transport, sent };
}

const iso = (ms: number) => new Date(Date.now() + ms).toISOString();

beforeEach(async () => {
  // Each test sees only its own messages.
  await db().deleteFrom("email_messages").execute();
});

describe("backoffMs", () => {
  it("doubles from one minute and is capped at six hours", () => {
    const mid = () => 0.5; // no jitter
    expect(backoffMs(1, mid)).toBe(MINUTE);
    expect(backoffMs(2, mid)).toBe(2 * MINUTE);
    expect(backoffMs(3, mid)).toBe(4 * MINUTE);
    expect(backoffMs(8, mid)).toBe(128 * MINUTE);
    expect(backoffMs(9, mid)).toBe(256 * MINUTE);
    expect(backoffMs(10, mid)).toBe(6 * HOUR);
    expect(backoffMs(50, mid)).toBe(6 * HOUR);
  });

  it("adds at most ±10% jitter", () => {
    expect(backoffMs(1, () => 0)).toBe(54_000);
    expect(backoffMs(1, () => 0.999999)).toBeLessThanOrEqual(66_000);
    expect(backoffMs(1, () => 0.999999)).toBeGreaterThan(65_000);
  });
});

describe("deliverDueEmails", () => {
  it("sends a due message and marks it sent with the provider id", async () => {
    const id = await insertMessage();
    const { transport, sent } = fakeTransport();
    const report = await deliverDueEmails(db(), transport);
    expect(report).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(sent).toEqual([id]);
    const row = await get(id);
    expect(row.status).toBe("sent");
    expect(row.provider_id).toBe(`provider-${id}`);
    expect(row.sent_at).not.toBeNull();
    expect(row.attempts).toBe(1);
    expect(row.lease_expires_at).toBeNull();
    // Sent once is sent for good.
    expect(await deliverDueEmails(db(), transport)).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(sent).toEqual([id]);
  });

  it("leaves held, sent, failed and not-yet-due messages alone", async () => {
    await insertMessage({ status: "held" });
    await insertMessage({ status: "sent" });
    await insertMessage({ status: "failed" });
    await insertMessage({ nextAttemptAt: iso(10 * MINUTE) });
    const { transport, sent } = fakeTransport();
    expect(await deliverDueEmails(db(), transport)).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(sent).toEqual([]);
  });

  it("reschedules a retryable error with backoff and keeps it pending", async () => {
    vi.spyOn(Math, "random").mockReturnValue(0.5);
    const id = await insertMessage();
    const { transport } = fakeTransport(() => {
      throw new DeliveryError("connection reset", true);
    });
    const before = Date.now();
    const report = await deliverDueEmails(db(), transport);
    const after = Date.now();
    expect(report).toEqual({ sent: 0, retried: 1, failed: 0 });
    const row = await get(id);
    expect(row.status).toBe("pending");
    expect(row.attempts).toBe(1);
    expect(row.last_error).toBe("connection reset");
    expect(row.lease_expires_at).toBeNull();
    const next = new Date(row.next_attempt_at!).getTime();
    expect(next).toBeGreaterThanOrEqual(before + MINUTE);
    expect(next).toBeLessThanOrEqual(after + MINUTE);

    // Not tried again before it is due…
    const second = fakeTransport();
    setClockOffsetForTests(MINUTE - 5000);
    expect(await deliverDueEmails(db(), second.transport)).toEqual({ sent: 0, retried: 0, failed: 0 });
    // …and tried again once it is.
    setClockOffsetForTests(MINUTE + 5000);
    expect(await deliverDueEmails(db(), second.transport)).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect((await get(id)).status).toBe("sent");
    expect((await get(id)).last_error).toBeNull();
    expect((await get(id)).attempts).toBe(2);
  });

  it("waits longer after each failure", async () => {
    vi.spyOn(Math, "random").mockReturnValue(0.5);
    const id = await insertMessage();
    const { transport } = fakeTransport(() => {
      throw new DeliveryError("temporary", true);
    });
    const gaps: number[] = [];
    let offset = 0;
    for (let i = 0; i < 3; i++) {
      setClockOffsetForTests(offset);
      const start = now().getTime();
      await deliverDueEmails(db(), transport);
      const next = new Date((await get(id)).next_attempt_at!).getTime();
      gaps.push(Math.round((next - start) / MINUTE));
      offset = next - Date.now() + 1000;
    }
    expect(gaps).toEqual([1, 2, 4]);
  });

  it("treats an error that is not a DeliveryError as retryable", async () => {
    const id = await insertMessage();
    const { transport } = fakeTransport(() => {
      throw new Error("socket hang up");
    });
    expect(await deliverDueEmails(db(), transport)).toEqual({ sent: 0, retried: 1, failed: 0 });
    const row = await get(id);
    expect(row.status).toBe("pending");
    expect(row.last_error).toContain("socket hang up");
  });

  it("waits exactly retryAfterMs after a 429", async () => {
    const id = await insertMessage();
    const { transport } = fakeTransport(() => {
      throw new DeliveryError("rate_limit_exceeded: slow down", true, 7000);
    });
    const before = Date.now();
    await deliverDueEmails(db(), transport);
    const after = Date.now();
    const row = await get(id);
    expect(row.status).toBe("pending");
    const next = new Date(row.next_attempt_at!).getTime();
    expect(next).toBeGreaterThanOrEqual(before + 7000);
    expect(next).toBeLessThanOrEqual(after + 7000);
  });

  it("marks a non-retryable error failed at once, with the error", async () => {
    const id = await insertMessage();
    const { transport, sent } = fakeTransport(() => {
      throw new DeliveryError("validation_error: invalid to address", false);
    });
    expect(await deliverDueEmails(db(), transport)).toEqual({ sent: 0, retried: 0, failed: 1 });
    const row = await get(id);
    expect(row.status).toBe("failed");
    expect(row.last_error).toBe("validation_error: invalid to address");
    expect(row.next_attempt_at).toBeNull();
    expect(row.lease_expires_at).toBeNull();
    setClockOffsetForTests(24 * HOUR);
    await deliverDueEmails(db(), transport);
    expect(sent).toEqual([id]);
  });

  it("gives up after MAX_ATTEMPTS tries", async () => {
    const id = await insertMessage();
    const { transport, sent } = fakeTransport(() => {
      throw new DeliveryError("still down", true);
    });
    const reports = [];
    for (let i = 0; i < MAX_ATTEMPTS + 2; i++) {
      // Far enough ahead that any backoff (at most 6.6 hours) has passed.
      setClockOffsetForTests(i * 7 * HOUR);
      reports.push(await deliverDueEmails(db(), transport));
    }
    expect(sent).toHaveLength(MAX_ATTEMPTS);
    expect(reports.slice(0, MAX_ATTEMPTS - 1).every((r) => r.retried === 1)).toBe(true);
    expect(reports[MAX_ATTEMPTS - 1]).toEqual({ sent: 0, retried: 0, failed: 1 });
    const row = await get(id);
    expect(row.status).toBe("failed");
    expect(row.attempts).toBe(MAX_ATTEMPTS);
    expect(row.last_error).toBe("still down");
  });

  it("keeps the last error short", async () => {
    const id = await insertMessage();
    const { transport } = fakeTransport(() => {
      throw new DeliveryError("x".repeat(5000), false);
    });
    await deliverDueEmails(db(), transport);
    expect((await get(id)).last_error).toHaveLength(1000);
  });

  it("sends messages with the same ordering key in id order, one at a time", async () => {
    const first = await insertMessage({ orderingKey: "session:7:sam" });
    const second = await insertMessage({ orderingKey: "session:7:sam" });
    const third = await insertMessage({ orderingKey: "session:7:sam" });
    const other = await insertMessage({ orderingKey: "session:8:sam" });
    const { transport, sent } = fakeTransport();
    for (let i = 0; i < 4; i++) await deliverDueEmails(db(), transport);
    expect(sent.filter((id) => id !== other)).toEqual([first, second, third]);
    // A different key is not held back by this one.
    expect(sent.indexOf(other)).toBeLessThan(sent.indexOf(second));
    for (const id of [first, second, third, other]) expect((await get(id)).status).toBe("sent");
  });

  it("does not send a later message while an earlier one with the same key is waiting to be retried", async () => {
    const earlier = await insertMessage({ orderingKey: "session:9", nextAttemptAt: iso(30 * MINUTE) });
    const later = await insertMessage({ orderingKey: "session:9" });
    const unrelated = await insertMessage({ orderingKey: null });
    const { transport, sent } = fakeTransport();
    expect(await deliverDueEmails(db(), transport)).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(sent).toEqual([unrelated]);
    expect((await get(later)).status).toBe("pending");

    setClockOffsetForTests(31 * MINUTE);
    await deliverDueEmails(db(), transport);
    await deliverDueEmails(db(), transport);
    expect(sent).toEqual([unrelated, earlier, later]);
  });

  it("does not send a later message while an earlier one with the same key is being sent", async () => {
    await insertMessage({ orderingKey: "session:10", status: "sending", leaseExpiresAt: iso(MINUTE), nextAttemptAt: iso(-MINUTE) });
    const later = await insertMessage({ orderingKey: "session:10" });
    const { transport, sent } = fakeTransport();
    await deliverDueEmails(db(), transport);
    expect(sent).toEqual([]);
    expect((await get(later)).status).toBe("pending");
  });

  it("lets a later message go once the earlier one has failed for good", async () => {
    await insertMessage({ orderingKey: "session:11", status: "failed" });
    const later = await insertMessage({ orderingKey: "session:11" });
    const { transport, sent } = fakeTransport();
    await deliverDueEmails(db(), transport);
    expect(sent).toEqual([later]);
  });

  it("never blocks messages without an ordering key on each other", async () => {
    const ids = [await insertMessage(), await insertMessage(), await insertMessage()];
    const { transport, sent } = fakeTransport();
    expect((await deliverDueEmails(db(), transport)).sent).toBe(3);
    expect(sent).toEqual(ids);
  });

  it("retries a message stuck in 'sending' once its lease has expired, but not before", async () => {
    const stuck = await insertMessage({ status: "sending", attempts: 1, leaseExpiresAt: iso(MINUTE), nextAttemptAt: iso(-5 * MINUTE) });
    const { transport, sent } = fakeTransport();
    await deliverDueEmails(db(), transport);
    expect(sent).toEqual([]);
    expect((await get(stuck)).status).toBe("sending");

    setClockOffsetForTests(2 * MINUTE);
    expect(await deliverDueEmails(db(), transport)).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(sent).toEqual([stuck]);
    const row = await get(stuck);
    expect(row.status).toBe("sent");
    expect(row.attempts).toBe(2);
  });

  it("claims each message with a lease while the transport is working on it", async () => {
    const id = await insertMessage();
    let seen: EmailMessage | undefined;
    const { transport } = fakeTransport(async (m) => {
      seen = await get(m.id);
      return { providerId: "p" };
    });
    const before = Date.now();
    await deliverDueEmails(db(), transport);
    expect(seen?.id).toBe(id);
    expect(seen?.status).toBe("sending");
    const lease = new Date(seen!.lease_expires_at!).getTime();
    expect(lease).toBeGreaterThan(before);
    expect(lease).toBeLessThanOrEqual(Date.now() + 2 * MINUTE);
  });

  it("never sends the same message twice when three runners, in separate processes, start together", async () => {
    const ids: number[] = [];
    for (let i = 0; i < 12; i++) ids.push(await insertMessage({ orderingKey: i % 3 === 0 ? `k${i}` : null }));
    const { transport, sent } = fakeTransport();
    const runner = (conn: Kysely<Database>) => deliverDueEmails(conn, transport);
    const reports = await allAcross(separateConnections(3), [runner, runner, runner]);
    expect(reports.reduce((n, r) => n + r.sent, 0)).toBe(12);
    expect([...sent].sort((a, b) => a - b)).toEqual(ids);
    expect(new Set(sent).size).toBe(sent.length);
    for (const id of ids) expect((await get(id)).attempts).toBe(1);
  });

  it("sends a whole chain of one session's messages, in order, in a single run", async () => {
    const key = `session-chain-${Date.now()}`;
    const ids = [await insertMessage({ orderingKey: key }), await insertMessage({ orderingKey: key }), await insertMessage({ orderingKey: key })];
    const { transport, sent } = fakeTransport();
    await deliverDueEmails(db(), transport);
    expect(sent.filter((id) => ids.includes(id))).toEqual(ids);
  });

  it("respects the limit", async () => {
    for (let i = 0; i < 5; i++) await insertMessage();
    const { transport, sent } = fakeTransport();
    expect((await deliverDueEmails(db(), transport, { limit: 2 })).sent).toBe(2);
    expect(sent).toHaveLength(2);
  });

  it("delivers a message written by sendEmail when a transport is configured", async () => {
    const restore = setEnvForTest({ SMTP_URL: "smtp://localhost:2525" });
    try {
      const id = await sendEmail(db(), {
        template: "test",
        to: { email: "x@example.ac.uk" },
        subject: "Queued",
        react: createElement("p", null, "Hi"),
      });
      const { transport, sent } = fakeTransport();
      await deliverDueEmails(db(), transport);
      expect(sent).toEqual([id]);
    } finally {
      restore();
    }
  });
});

describe("retryFailedEmail", () => {
  it("puts a failed message back in the queue with a fresh count, and it is then sent", async () => {
    const id = await insertMessage();
    const failing = fakeTransport(() => {
      throw new DeliveryError("mailbox unavailable", false);
    });
    await deliverDueEmails(db(), failing.transport);
    expect((await get(id)).status).toBe("failed");

    await retryFailedEmail(db(), id);
    const row = await get(id);
    expect(row.status).toBe("pending");
    expect(row.attempts).toBe(0);
    expect(row.last_error).toBeNull();
    expect(row.next_attempt_at! <= now().toISOString()).toBe(true);

    const ok = fakeTransport();
    expect(await deliverDueEmails(db(), ok.transport)).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect((await get(id)).status).toBe("sent");
  });

  it("does nothing to a message that has not failed", async () => {
    const sentId = await insertMessage({ status: "sent" });
    const heldId = await insertMessage({ status: "held" });
    await retryFailedEmail(db(), sentId);
    await retryFailedEmail(db(), heldId);
    expect((await get(sentId)).status).toBe("sent");
    expect((await get(heldId)).status).toBe("held");
  });
});
