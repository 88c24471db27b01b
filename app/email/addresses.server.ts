import addressparser from "nodemailer/lib/addressparser/index.js";
import mimeFuncs from "nodemailer/lib/mime-funcs/index.js";
import { getEnv } from "#app/utils/env.server.ts";

/**
 * Email addresses and the names shown beside them. A name is free text a person typed: it reaches
 * headers only through nodemailer's structured address objects or, for Resend's API, as an RFC 2047
 * encoded word, so a comma, a quote, angle brackets or a line break in it can never add a recipient.
 */

export interface MailAddress {
  name: string;
  address: string;
}

/**
 * A single mailbox with nothing a header or an iCalendar URI would read as structure: no spaces,
 * quotes, commas, semicolons, colons, angle brackets, backslashes or control characters. Every
 * address the app stores has passed the email field's own schema, which is stricter still.
 */
const PLAIN_ADDRESS = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

export function isPlainAddress(address: string): boolean {
  return address.length <= 254 && PLAIN_ADDRESS.test(address);
}

/** Refuses to write a message or an invitation to anything but one plain address. */
export function requirePlainAddress(address: string): string {
  if (!isPlainAddress(address)) throw new Error("Not a single plain email address");
  return address;
}

/** A typed name made fit for one line: control characters and line breaks become spaces. */
export function displayName(name: string | null | undefined): string {
  return (name ?? "")
    .normalize("NFC")
    .replace(/[\p{Cc}\p{Zl}\p{Zp}]+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** One line of free text for a header such as Subject: nodemailer would fold it, but never a line break of ours. */
export const headerText = displayName;

function oneMailbox(setting: "MAIL_FROM" | "MAIL_REPLY_TO"): MailAddress {
  const parsed = addressparser(getEnv()[setting], { flatten: true });
  const first = parsed[0];
  if (parsed.length !== 1 || !first || !isPlainAddress(first.address)) {
    throw new Error(`${setting} must be one address, such as NeverOK Training <training@neverok.example>`);
  }
  return { name: displayName(first.name) || "NeverOK Training", address: first.address };
}

/** MAIL_FROM ("NeverOK Training <training@neverok.example>") as a name and one address. */
export function mailFrom(): MailAddress {
  return oneMailbox("MAIL_FROM");
}

/** MAIL_REPLY_TO: the monitored mailbox people's replies reach, as a name and one address. */
export function mailReplyTo(): MailAddress {
  return oneMailbox("MAIL_REPLY_TO");
}

/**
 * "Name <address>" for an API that takes addresses as strings (Resend). A name of letters, digits
 * and spaces is written as it is; any other name as an RFC 2047 encoded word, which holds no comma,
 * quote, angle bracket or colon, so no parser on the other side can split it into recipients.
 */
export function formatAddress(mailbox: { name?: string | null; address: string }): string {
  const address = requirePlainAddress(mailbox.address);
  const name = displayName(mailbox.name);
  if (!name) return address;
  const phrase = /^[A-Za-z0-9 ]+$/.test(name) ? name : mimeFuncs.encodeWord(name, "B", 52);
  return `${phrase} <${address}>`;
}
