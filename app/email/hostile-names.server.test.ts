import { simpleParser, type AddressObject, type ParsedMail } from "mailparser";
import { createElement } from "react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { EmailMessage } from "#db/schema.ts";
import { setEnvForTest } from "#tests/factories.ts";

/**
 * Names and subjects are free text: a comma, a quote, angle brackets or a line break in them must
 * never add a recipient or a header, whether the message goes by SMTP (the stored MIME) or by
 * Resend's API (which takes addresses as strings and writes its own headers).
 */

const mocks = vi.hoisted(() => ({ resendSend: vi.fn() }));
vi.mock("resend", () => ({
  Resend: class {
    emails = { send: mocks.resendSend };
  },
}));

const nodemailer = (await import("nodemailer")).default;
const { composeEmail, outboxRow } = await import("./outbox.server.ts");
const { resendTransport, smtpTransport } = await import("./transports.server.ts");
const { formatAddress } = await import("./addresses.server.ts");

const HOSTILE_NAMES = [
  "Eve, Mallory <mallory@evil.example>",
  "Eve <mallory@evil.example>",
  '"Eve" <mallory@evil.example>, x',
  "mallory@evil.example",
  "Eve\r\nBcc: mallory@evil.example",
  "Eve\nCc: mallory@evil.example",
  "Eve; mallory@evil.example",
  "Eve: mallory@evil.example;",
  'Zoë "Z" O\'Neill, Ñandú \\ =?UTF-8?B?bWFsbG9yeUBldmlsLmV4YW1wbGU=?=',
  "=?UTF-8?Q?mallory=40evil.example?= <mallory@evil.example>",
];
const shownAs = (name: string) =>
  name
    .replace(/[\r\n]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();

/**
 * The one recipient, by address; by name too, except for a name that itself looks like an encoded
 * word, which some readers decode even inside quotes (it changes what is shown, never who receives).
 */
function expectOnlyRecipient(parsed: ParsedMail, name: string) {
  const all = recipients(parsed);
  expect(all.map((a) => a.address)).toEqual([RECIPIENT]);
  if (!name.includes("=?")) expect(all).toEqual([{ address: RECIPIENT, name: shownAs(name) }]);
}
const RECIPIENT = "sam.taylor@example.ac.uk";
const FROM = "campaign@training.example.ac.uk";

const restores: (() => void)[] = [];
beforeEach(() => {
  mocks.resendSend.mockReset();
  mocks.resendSend.mockResolvedValue({ data: { id: "re_1" }, error: null, headers: {} });
  restores.push(setEnvForTest({ MAIL_FROM: `"Campaign Team, Bath" <${FROM}>` }));
});
afterEach(() => {
  vi.restoreAllMocks();
  while (restores.length) restores.pop()!();
});

function mailboxes(field: AddressObject | AddressObject[] | undefined) {
  return (Array.isArray(field) ? field : field ? [field] : []).flatMap((a) => a.value);
}

/** Every recipient a mail server or client would read from the headers. */
function recipients(parsed: ParsedMail) {
  return [...mailboxes(parsed.to), ...mailboxes(parsed.cc), ...mailboxes(parsed.bcc)];
}

async function composed(name: string, subject = "Your session") {
  const email = await composeEmail({ template: "test", to: { email: RECIPIENT, name }, subject, react: createElement("p", null, "Hello") });
  return {
    email,
    stored: { id: 7, attempts: 1, ...outboxRow(email, "sending", "2030-10-01T10:00:00.000Z") } satisfies EmailMessage,
  };
}

describe("a recipient's name in a composed message", () => {
  it.each(HOSTILE_NAMES)("%j stays the name of the one recipient", async (name) => {
    const { email } = await composed(name);
    const parsed = await simpleParser(email.rawMime);
    expectOnlyRecipient(parsed, name);
    expect(mailboxes(parsed.from)).toEqual([{ address: FROM, name: "Campaign Team, Bath" }]);
    expect(parsed.headers.has("bcc")).toBe(false);
    expect(parsed.headers.has("cc")).toBe(false);
  });

  it("keeps a subject with line breaks on one header line, with no header added", async () => {
    const { email } = await composed("Sam", "Your session\r\nBcc: mallory@evil.example\r\n\r\n<b>body</b>");
    const parsed = await simpleParser(email.rawMime);
    expect(parsed.subject).toBe("Your session Bcc: mallory@evil.example <b>body</b>");
    expect(recipients(parsed)).toEqual([{ address: RECIPIENT, name: "Sam" }]);
    expect(parsed.text?.trim()).toBe("Hello");
  });

  it("refuses to write to anything but one plain address", async () => {
    for (const address of ["a@b.example, c@d.example", "Eve <a@b.example>", "a@b.example\r\nBcc: c@d.example", "a@b.example;c@d.example"]) {
      await expect(composeEmail({ template: "t", to: { email: address, name: "A" }, subject: "S", react: createElement("p") }), address).rejects.toThrow();
    }
  });
});

describe("delivery of a message to a recipient with a hostile name", () => {
  it.each(HOSTILE_NAMES)("Resend is given %j as one recipient, and a From of one address", async (name) => {
    const { stored } = await composed(name, "Your session\r\nBcc: mallory@evil.example");
    await resendTransport("re_key").send(stored);
    const [payload] = mocks.resendSend.mock.calls[0]!;
    expect(payload.to).toHaveLength(1);
    // Read the strings as any RFC 5322 parser reads address headers.
    const headers = `From: ${payload.from}\r\nTo: ${payload.to.join(", ")}\r\nSubject: ${payload.subject}\r\n\r\n`;
    const parsed = await simpleParser(headers);
    expectOnlyRecipient(parsed, name);
    expect(mailboxes(parsed.from)).toEqual([{ address: FROM, name: "Campaign Team, Bath" }]);
    expect(payload.subject).toBe("Your session Bcc: mallory@evil.example");
    for (const value of [payload.from, ...payload.to, payload.subject]) expect(value).not.toMatch(/[\r\n]/);
  });

  it.each(HOSTILE_NAMES)("SMTP sends %j's message to the one stored address", async (name) => {
    const sendMail = vi.fn().mockResolvedValue({ messageId: "<m@smtp>" });
    vi.spyOn(nodemailer, "createTransport").mockReturnValue({ sendMail } as unknown as ReturnType<typeof nodemailer.createTransport>);
    const { stored } = await composed(name);
    await smtpTransport("smtp://user:pass@smtp.example.com:587").send(stored);
    const [{ envelope, raw }] = sendMail.mock.calls[0]!;
    expect(envelope).toEqual({ from: FROM, to: [RECIPIENT] });
    expectOnlyRecipient(await simpleParser(raw), name);
  });

  it("formatAddress writes names other than plain words as encoded words, and refuses a list", () => {
    expect(formatAddress({ name: "Sam Taylor", address: RECIPIENT })).toBe(`Sam Taylor <${RECIPIENT}>`);
    expect(formatAddress({ name: null, address: RECIPIENT })).toBe(RECIPIENT);
    expect(formatAddress({ name: "Eve, <x@y.example>", address: RECIPIENT })).toMatch(/^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?= <sam\.taylor@example\.ac\.uk>$/);
    expect(() => formatAddress({ name: "Eve", address: `${RECIPIENT}, mallory@evil.example` })).toThrow();
  });
});
