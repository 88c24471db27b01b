import { createElement } from "react";
import { simpleParser, type AddressObject } from "mailparser";
import { afterEach, describe, expect, it } from "vitest";
import { getDb } from "#app/db.server.ts";
import { getEnv } from "#app/utils/env.server.ts";
import { setEnvForTest } from "#tests/factories.ts";
import { composeEmail, enqueueEmail, parseAttachments, sendEmail, type EmailInput } from "./outbox.server.ts";

const db = () => getDb();

const VCALENDAR = [
  "BEGIN:VCALENDAR",
  "VERSION:2.0",
  "PRODID:-//NeverOK//Tests//EN",
  "METHOD:REQUEST",
  "BEGIN:VEVENT",
  "UID:session-42@neverok.example",
  "DTSTAMP:20251001T120000Z",
  "DTSTART:20251014T130000Z",
  "DTEND:20251014T143000Z",
  "SEQUENCE:0",
  "SUMMARY:Active Bystander",
  "ORGANIZER:mailto:training@neverok.example",
  "ATTENDEE;RSVP=TRUE:mailto:sam@example.ac.uk",
  "END:VEVENT",
  "END:VCALENDAR",
  "",
].join("\r\n");

function input(overrides: Partial<EmailInput> = {}): EmailInput {
  return {
    template: "test-template",
    to: { email: "Sam.Taylor@Example.ac.uk", name: "Sam Taylor" },
    subject: "Your session on Tue 14 Oct 2025 — confirmed",
    react: createElement("div", null, createElement("h1", null, "Hello Sam"), createElement("p", null, "See you at the session.")),
    ...overrides,
  };
}

const firstAddress = (a: AddressObject | AddressObject[] | undefined) => (Array.isArray(a) ? a[0] : a)?.value[0];

const restores: (() => void)[] = [];
afterEach(() => {
  while (restores.length) restores.pop()!();
});

describe("composeEmail", () => {
  it("builds a MIME message that parses with the subject, To, From = MAIL_FROM, text and html, and the Message-ID", async () => {
    restores.push(setEnvForTest({ MAIL_FROM: "Campaign Team <campaign@training.example.ac.uk>" }));
    const email = await composeEmail(input());
    const parsed = await simpleParser(email.rawMime);

    expect(parsed.subject).toBe("Your session on Tue 14 Oct 2025 — confirmed");
    expect(firstAddress(parsed.to)).toEqual({ address: "Sam.Taylor@example.ac.uk", name: "Sam Taylor" });
    expect(parsed.from?.value[0]).toEqual({ address: "campaign@training.example.ac.uk", name: "Campaign Team" });
    expect(email.fromAddress).toBe("Campaign Team <campaign@training.example.ac.uk>");
    // Replies go to the monitored mailbox, not the From address.
    expect(parsed.replyTo?.value).toEqual([{ address: "training-team@neverok.example", name: "NeverOK Training team" }]);
    // The plain-text part is the rendered text (headings upper-cased), not HTML.
    expect(parsed.text).toMatch(/hello sam/i);
    expect(parsed.text).toContain("See you at the session.");
    expect(parsed.text).not.toContain("<p>");
    expect(parsed.html).toContain("<h1>Hello Sam</h1>");
    expect(parsed.messageId).toBe(email.messageId);
    // The Message-ID uses the sending domain.
    expect(email.messageId).toMatch(/^<[0-9a-f-]{36}@training\.example\.ac\.uk>$/);
    // SMTP wants CRLF line ends; the header block must not contain a bare LF.
    const headerBlock = email.rawMime.slice(0, email.rawMime.indexOf("\r\n\r\n"));
    expect(headerBlock).toContain("\r\nSubject: ");
    expect(headerBlock.replace(/\r\n/g, "")).not.toContain("\n");

    expect(email.toAddress).toBe("sam.taylor@example.ac.uk");
    expect(email.toName).toBe("Sam Taylor");
    expect(email.template).toBe("test-template");
    expect(email.orderingKey).toBeNull();
    // The stored text is the text part as sent, CRLF line ends included.
    expect(email.text).toBe("HELLO SAM\r\n\r\nSee you at the session.");
    expect(email.text.replace(/\r\n/g, "\n")).toBe(parsed.text?.trim());
    expect(email.html).toContain("Hello Sam");
  });

  it("gives every message its own Message-ID", async () => {
    const [a, b] = await Promise.all([composeEmail(input()), composeEmail(input())]);
    expect(a.messageId).not.toBe(b.messageId);
  });

  it("addresses a recipient without a name by address alone", async () => {
    const email = await composeEmail(input({ to: { email: "solo@example.ac.uk" } }));
    const parsed = await simpleParser(email.rawMime);
    expect(firstAddress(parsed.to)).toEqual({ address: "solo@example.ac.uk", name: "" });
    expect(email.toName).toBeNull();
  });

  it("puts a calendar invitation inside multipart/alternative as text/calendar; method=REQUEST", async () => {
    const email = await composeEmail(input({ calendar: { method: "REQUEST", content: VCALENDAR }, orderingKey: "session:42" }));
    expect(email.orderingKey).toBe("session:42");
    const raw = email.rawMime;

    const altBoundary = /Content-Type: multipart\/alternative;\s*boundary="([^"]+)"/i.exec(raw)?.[1];
    expect(altBoundary).toBeDefined();
    const start = raw.indexOf(`--${altBoundary}\r\n`);
    const end = raw.indexOf(`--${altBoundary}--`);
    expect(start).toBeGreaterThan(-1);
    expect(end).toBeGreaterThan(start);
    const alternative = raw.slice(start, end);
    expect(alternative).toMatch(/Content-Type: text\/calendar;[^\r\n]*method=REQUEST/i);
    expect(alternative).toMatch(/Content-Type: text\/plain/i);
    expect(alternative).toMatch(/Content-Type: text\/html/i);
    expect(alternative).toContain("UID:session-42@neverok.example");

    const parsed = await simpleParser(raw);
    expect(parsed.text).toContain("See you at the session.");
    expect(parsed.html).toContain("Hello Sam");
  });

  it("marks a cancellation as method=CANCEL", async () => {
    const cancel = VCALENDAR.replace("METHOD:REQUEST", "METHOD:CANCEL");
    const email = await composeEmail(input({ calendar: { method: "CANCEL", content: cancel } }));
    expect(email.rawMime).toMatch(/Content-Type: text\/calendar;[^\r\n]*method=CANCEL/i);
    expect(email.rawMime).not.toMatch(/method=REQUEST/i);
  });

  it("has no calendar part when none is asked for", async () => {
    const email = await composeEmail(input());
    expect(email.rawMime).not.toMatch(/text\/calendar/i);
  });

  it("stores attachments with their decoded size and base64 content, and includes them in the MIME", async () => {
    const pdfBytes = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x2d, 0x00, 0xff, 0x10]);
    const email = await composeEmail(
      input({
        attachments: [
          { filename: "register.csv", contentType: "text/csv", content: "name,attended\nSam,yes\nPriyä,no\n" },
          { filename: "slides.pdf", contentType: "application/pdf", content: pdfBytes.toString("base64"), encoding: "base64" },
        ],
      }),
    );
    // A text file travels with CRLF line ends, as every text part must (RFC 2046).
    const csv = "name,attended\r\nSam,yes\r\nPriyä,no\r\n";
    expect(email.attachments).toEqual([
      { filename: "register.csv", contentType: "text/csv", size: Buffer.byteLength(csv, "utf8"), contentBase64: Buffer.from(csv, "utf8").toString("base64") },
      { filename: "slides.pdf", contentType: "application/pdf", size: 8, contentBase64: pdfBytes.toString("base64") },
    ]);
    // The multi-byte character counts as two bytes.
    expect(email.attachments[0]!.size).toBe(csv.length + 1);

    const parsed = await simpleParser(email.rawMime);
    const byName = new Map(parsed.attachments.map((a) => [a.filename, a]));
    expect(byName.get("register.csv")?.content.toString("utf8")).toBe(csv);
    expect(byName.get("slides.pdf")?.content.equals(pdfBytes)).toBe(true);
    expect(byName.get("slides.pdf")?.contentType).toBe("application/pdf");
  });
});

describe("enqueueEmail / sendEmail", () => {
  it("holds the message locally when no transport is configured, with every field stored", async () => {
    expect(getEnv().SMTP_URL).toBeUndefined();
    const id = await sendEmail(db(), input({ attachments: [{ filename: "a.txt", contentType: "text/plain", content: "hello, world" }], orderingKey: "k1" }));
    const row = await db().selectFrom("email_messages").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(row.status).toBe("held");
    expect(row.next_attempt_at).toBeNull();
    expect(row.attempts).toBe(0);
    expect(row.to_address).toBe("sam.taylor@example.ac.uk");
    expect(row.to_name).toBe("Sam Taylor");
    expect(row.template).toBe("test-template");
    expect(row.ordering_key).toBe("k1");
    expect(row.subject).toBe("Your session on Tue 14 Oct 2025 — confirmed");
    expect(row.from_address).toBe(getEnv().MAIL_FROM);

    const parsed = await simpleParser(row.raw_mime);
    expect(parsed.messageId).toBe(row.message_id);
    expect(parsed.subject).toBe(row.subject);
    expect(parseAttachments(row.attachments_json)).toEqual([
      { filename: "a.txt", contentType: "text/plain", size: 12, contentBase64: Buffer.from("hello, world").toString("base64") },
    ]);
  });

  it("queues the message as pending and due now when SMTP is configured", async () => {
    restores.push(setEnvForTest({ SMTP_URL: "smtp://user:pass@localhost:2525" }));
    const before = new Date().toISOString();
    const email = await composeEmail(input());
    const id = await enqueueEmail(db(), email);
    const row = await db().selectFrom("email_messages").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(row.status).toBe("pending");
    expect(row.next_attempt_at).not.toBeNull();
    expect(row.next_attempt_at! >= before).toBe(true);
    expect(row.next_attempt_at! <= new Date().toISOString()).toBe(true);
    expect(row.message_id).toBe(email.messageId);
    expect(row.raw_mime).toBe(email.rawMime);
  });

  it("writes nothing when the surrounding transaction rolls back", async () => {
    const email = await composeEmail(input());
    await expect(
      db()
        .transaction()
        .execute(async (trx) => {
          await enqueueEmail(trx, email);
          throw new Error("the change failed");
        }),
    ).rejects.toThrow("the change failed");
    const row = await db().selectFrom("email_messages").select("id").where("message_id", "=", email.messageId).executeTakeFirst();
    expect(row).toBeUndefined();
  });
});
