import { Readable } from "node:stream";
import { createElement } from "react";
import { simpleParser } from "mailparser";
import { Splitter } from "mailsplit";
import { describe, expect, it } from "vitest";
import { composeEmail, type EmailInput } from "./outbox.server.ts";

const ics = (method: string) =>
  [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//NeverOK//Tests//EN",
    `METHOD:${method}`,
    "BEGIN:VEVENT",
    "UID:session-7@neverok.example",
    "DTSTAMP:20301001T120000Z",
    "DTSTART:20301014T130000Z",
    "DTEND:20301014T143000Z",
    "SEQUENCE:1",
    "SUMMARY:Consent",
    "END:VEVENT",
    "END:VCALENDAR",
    "",
  ].join("\r\n");

function invitation(method: "REQUEST" | "CANCEL", attach: boolean): EmailInput {
  const content = ics(method);
  return {
    template: "test",
    to: { email: "sam@example.ac.uk", name: "Sam" },
    subject: "Session",
    react: createElement("p", null, "Hello"),
    calendar: { method, content },
    attachments: attach
      ? [{ filename: method === "CANCEL" ? "cancel.ics" : "invite.ics", contentType: `text/calendar; charset=utf-8; method=${method}`, content }]
      : undefined,
  };
}

const contentTypes = (raw: string) => [...raw.matchAll(/^Content-Type: ([^;\r\n]+)/gim)].map((m) => m[1]!.toLowerCase());

describe("composeEmail with a calendar", () => {
  for (const method of ["REQUEST", "CANCEL"] as const) {
    it(`sends one .ics file, not two, when the caller attaches the ${method} itself`, async () => {
      const email = await composeEmail(invitation(method, true));
      expect(contentTypes(email.rawMime)).toEqual(["multipart/mixed", "multipart/alternative", "text/plain", "text/html", "text/calendar", "text/calendar"]);
      expect(email.rawMime.match(/method=([A-Z]+)/g)).toEqual([`method=${method}`, `method=${method}`]);
      const parsed = await simpleParser(email.rawMime);
      const files = parsed.attachments.filter((a) => a.contentDisposition === "attachment");
      expect(files.map((a) => a.filename)).toEqual([method === "CANCEL" ? "cancel.ics" : "invite.ics"]);
      expect(files[0]!.content.toString("utf8")).toBe(ics(method));
      expect(email.attachments.map((a) => a.filename)).toEqual([method === "CANCEL" ? "cancel.ics" : "invite.ics"]);
    });
  }

  it("still attaches the invitation as a file when the caller does not", async () => {
    const email = await composeEmail(invitation("REQUEST", false));
    expect(email.rawMime).toMatch(/Content-Type: text\/calendar; charset=utf-8; method=REQUEST/);
    const parsed = await simpleParser(email.rawMime);
    expect(parsed.attachments.filter((a) => a.contentDisposition === "attachment").map((a) => a.filename)).toEqual(["invite.ics"]);
  });
});

/** Every leaf part of a message, decoded from its transfer encoding, with its content type. */
async function decodedParts(raw: string): Promise<{ contentType: string; body: string }[]> {
  const parts: { contentType: string; body: string }[] = [];
  const splitter = new Splitter();
  let current: { contentType: string; chunks: Buffer[]; decoder: ReturnType<typeof decoderFor> } | null = null;
  const finish = () => {
    if (current) parts.push({ contentType: current.contentType, body: current.decoder(Buffer.concat(current.chunks)) });
    current = null;
  };
  for await (const data of Readable.from([Buffer.from(raw, "utf8")]).pipe(splitter) as AsyncIterable<SplitterChunk>) {
    if (data.type === "node") {
      finish();
      if (!data.multipart) current = { contentType: String(data.contentType), chunks: [], decoder: decoderFor(String(data.encoding || "7bit")) };
    } else if (data.type === "body" && current) current.chunks.push(data.value);
  }
  finish();
  return parts;
}

type SplitterChunk =
  { type: "node"; multipart: string | false; contentType: string | false; encoding: string | false } | { type: "body"; value: Buffer } | { type: "data" };

function decoderFor(encoding: string) {
  return (body: Buffer): string => {
    const text = body.toString("latin1");
    if (/base64/i.test(encoding)) return Buffer.from(text.replace(/\s+/g, ""), "base64").toString("utf8");
    if (/quoted-printable/i.test(encoding)) {
      const bytes = text.replace(/=\r\n/g, "").replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
      return Buffer.from(bytes, "latin1").toString("utf8");
    }
    return Buffer.from(text, "latin1").toString("utf8");
  };
}

describe("line ends in a stored message", () => {
  it("are CRLF in every text part, whatever the template and the calendar were given, and a calendar ends with CRLF", async () => {
    const bare = ics("REQUEST").replace(/\r\n/g, "\n").replace(/\n$/, "");
    const email = await composeEmail({
      ...invitation("REQUEST", true),
      react: createElement("div", null, createElement("p", null, "First line"), createElement("pre", null, "two\nlines ünïcödé ".repeat(30))),
      calendar: { method: "REQUEST", content: bare },
      attachments: [
        { filename: "invite.ics", contentType: "text/calendar; charset=utf-8; method=REQUEST", content: bare },
        { filename: "notes.txt", contentType: "text/plain", content: "a\nb\rc" },
      ],
    });
    // The whole message: no line break but CRLF.
    expect(email.rawMime.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
    const parts = await decodedParts(email.rawMime);
    expect(parts.map((p) => p.contentType)).toEqual(["text/plain", "text/html", "text/calendar", "text/calendar", "text/plain"]);
    for (const part of parts) {
      expect(part.body.replace(/\r\n/g, ""), part.contentType).not.toMatch(/[\r\n]/);
      if (part.contentType === "text/calendar") expect(part.body.endsWith("END:VCALENDAR\r\n")).toBe(true);
    }
    expect(parts[0]!.body).toContain("First line\r\n");
    // What is stored beside the MIME is what was sent.
    expect(email.text).toBe(parts[0]!.body.replace(/\r\n$/, ""));
    expect(email.attachments.map((a) => Buffer.from(a.contentBase64, "base64").toString("utf8"))).toEqual([parts[3]!.body, parts[4]!.body]);
  });
});
