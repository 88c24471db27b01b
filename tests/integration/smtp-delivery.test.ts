import type { AddressInfo } from "node:net";
import { createElement } from "react";
import { SMTPServer } from "smtp-server";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getDb } from "#app/db.server.ts";
import { deliverDueEmails } from "#app/email/delivery.server.ts";
import { sendEmail } from "#app/email/outbox.server.ts";
import { mimeWithoutPersonalLinks } from "#app/email/personal-links.server.ts";
import { createTransportFromEnv } from "#app/email/transports.server.ts";
import { assignTrainer } from "#app/scheduling/assignments.server.ts";
import { createOpenSession } from "#app/signup/open-sessions.server.ts";
import { register } from "#app/signup/registrations.server.ts";
import { setEnvForTest } from "#tests/factories.ts";
import { createTrainer, openSessionInput, pinClock, scheduledBooking, schedulingWorld } from "#tests/scheduling-fixtures.ts";

const db = () => getDb();

/** What a real mail server received: the envelope and the message's bytes. */
interface Received {
  from: string;
  to: string[];
  raw: Buffer;
}

const received: Received[] = [];
const server = new SMTPServer({
  // A relay on this machine, as a campus relay would be reached: plain SMTP, no sign-in.
  authOptional: true,
  disabledCommands: ["STARTTLS", "AUTH"],
  logger: false,
  onData(stream, session, callback) {
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("end", () => {
      const from = session.envelope.mailFrom;
      received.push({ from: from ? from.address : "", to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks) });
      callback();
    });
  },
});

let restore: () => void = () => {};
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  pinClock("2030-10-02T08:00:00Z");
  received.length = 0;
  const { port } = server.server.address() as AddressInfo;
  restore = setEnvForTest({ SMTP_URL: `smtp://127.0.0.1:${port}` });
});
afterEach(() => restore());

describe("delivery through a real SMTP server", () => {
  it("delivers each stored message byte for byte: invitations, a place with its personal link, and text that SMTP must escape", async () => {
    const w = await schedulingWorld(db());
    const { sessionId } = await scheduledBooking(db(), w);
    const trainer = await createTrainer(db(), { name: "Zoë Ñandú-O'Brien", qualifiedFor: [w.courseId] });
    await assignTrainer(db(), w.coordinator, { sessionId, trainerId: trainer.id });
    const open = await createOpenSession(db(), w.coordinator, openSessionInput(w.courseId));
    await register(db(), open, { name: "Siobhán", email: `siobhan-${Date.now()}@example.ac.uk`, studentId: null, accessibilityNeeds: null, answer: null });
    // A line that is only a dot ends an SMTP message unless the client escapes it; a long line must not be broken.
    await sendEmail(db(), {
      template: "test",
      to: { email: "dots@example.ac.uk", name: "Dot" },
      subject: "Dots",
      react: createElement("pre", null, `first\n.\n..two\n.three\n${"long ".repeat(300)}`),
    });

    const stored = await db().selectFrom("email_messages").select(["id", "raw_mime", "to_address", "status", "message_id"]).orderBy("id").execute();
    expect(stored.map((m) => m.status)).toEqual(stored.map(() => "pending"));
    expect(stored.length).toBeGreaterThanOrEqual(4);

    const report = await deliverDueEmails(db(), createTransportFromEnv()!);
    expect(report).toEqual({ sent: stored.length, retried: 0, failed: 0 });
    expect(received).toHaveLength(stored.length);
    // Messages about one session go out in the order they were written, so arrivals are matched by Message-ID.
    const arrivedAs = (messageId: string) => received.find((r) => r.raw.toString("utf8").includes(`\r\nMessage-ID: ${messageId}\r\n`))!;
    for (const message of stored) {
      const got = arrivedAs(message.message_id);
      expect(got.to, `message ${message.id}`).toEqual([message.to_address]);
      expect(got.from).toBe("training@neverok.example");
      expect(got.raw.equals(Buffer.from(message.raw_mime, "utf8")), `message ${message.id} arrives as stored`).toBe(true);
    }

    // Delivered, the stored copy keeps everything but the secrets of personal links.
    const after = await db().selectFrom("email_messages").select(["id", "raw_mime", "status", "template", "message_id"]).orderBy("id").execute();
    for (const message of after) {
      expect(message.status).toBe("sent");
      const arrived = arrivedAs(message.message_id).raw.toString("utf8");
      expect(message.raw_mime, message.template).toBe(await mimeWithoutPersonalLinks(arrived));
      if (message.template !== "registration-confirmed") expect(message.raw_mime, message.template).toBe(arrived);
      expect(message.raw_mime.replace(/\r\n/g, ""), message.template).not.toMatch(/[\r\n]/);
    }
  });
});
