import { createElement } from "react";
import { simpleParser } from "mailparser";
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
