import crypto from "node:crypto";
import nodemailer from "nodemailer";
import type { ReactElement } from "react";
import { plainTextSelectors } from "@react-email/render";
import { compile } from "html-to-text";
import { renderToStaticMarkup } from "react-dom/server";
import type { Db, EmailMessage, EmailStatus } from "#db/schema.ts";
import { nowIso } from "#app/utils/time.ts";
import { getEnv } from "#app/utils/env.server.ts";
import { displayName, headerText, mailFrom, mailReplyTo, requirePlainAddress } from "./addresses.server.ts";
import { hasDeliveryTransport } from "./transports.server.ts";

export interface EmailAttachment {
  filename: string;
  contentType: string;
  content: string; // UTF-8 text (calendar files) or base64 when encoding is set
  encoding?: "base64";
}

export interface EmailInput {
  template: string;
  to: { email: string; name?: string | null };
  subject: string;
  react: ReactElement;
  attachments?: EmailAttachment[];
  /** A calendar part placed inside multipart/alternative, so the message is a real invitation. */
  calendar?: { method: "REQUEST" | "CANCEL" | "PUBLISH"; content: string };
  /** Messages with the same key are delivered in the order they were written. */
  orderingKey?: string;
}

export interface ComposedEmail {
  template: string;
  orderingKey: string | null;
  toAddress: string;
  toName: string | null;
  fromAddress: string;
  subject: string;
  messageId: string;
  rawMime: string;
  html: string;
  text: string;
  attachments: StoredAttachment[];
}

export interface StoredAttachment {
  filename: string;
  contentType: string;
  size: number;
  contentBase64: string;
}

// The stream transport's own `newline` is not applied to what it builds; the message's is (see composeEmail).
const composer = nodemailer.createTransport({ streamTransport: true, buffer: true });

/** Every line break as CRLF, as RFC 5322 and RFC 5545 require of text on the wire. */
const crlf = (text: string) => text.replace(/\r\n|\r|\n/g, "\r\n");

/** A text part as sent: CRLF line ends and, for a calendar, a CRLF after its last line too. */
function wireText(content: string, contentType: string): string {
  const text = crlf(content);
  return /^text\/calendar\b/i.test(contentType) && !text.endsWith("\r\n") ? `${text}\r\n` : text;
}

const DOCTYPE = '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">';

// React Email's own plain-text options, compiled once: compiling them is most of a conversion's cost.
const htmlToText = compile({ wordwrap: false, selectors: plainTextSelectors });

/**
 * The template as an HTML document and as plain text. The templates never suspend, so one static
 * render does (the streaming render React Email uses costs about four times as much), and the
 * text is converted from that HTML rather than rendered again.
 */
export function renderEmail(react: ReactElement): { html: string; text: string } {
  const markup = renderToStaticMarkup(react);
  return { html: `${DOCTYPE}${markup}`, text: htmlToText(markup) };
}

/**
 * Renders the template (HTML and text) and builds the complete MIME message. Every address goes to
 * nodemailer as a structured { name, address } object, so nodemailer quotes or encodes the name and
 * nothing a person typed can become another recipient or another header.
 */
export async function composeEmail(input: EmailInput): Promise<ComposedEmail> {
  const from = mailFrom();
  const to = { name: displayName(input.to.name), address: requirePlainAddress(input.to.email.trim()) };
  const subject = headerText(input.subject);
  const rendered = renderEmail(input.react);
  const html = crlf(rendered.html);
  const text = crlf(rendered.text);
  const calendar = input.calendar ? { method: input.calendar.method, content: wireText(input.calendar.content, "text/calendar") } : undefined;
  const attachments = input.attachments?.map((a) => (a.encoding === "base64" ? a : { ...a, content: wireText(a.content, a.contentType) }));
  const messageId = `<${crypto.randomUUID()}@${from.address.split("@")[1]}>`;
  // nodemailer's icalEvent also attaches its own method-less application/ics copy; a caller that
  // attaches the .ics itself would send it twice, so then only the alternative part is added.
  const attachesCalendar = attachments?.some((a) => /^text\/calendar\b/i.test(a.contentType)) ?? false;
  const info = await composer.sendMail({
    from,
    to,
    // Replies reach a mailbox someone reads, whatever the From address is.
    replyTo: mailReplyTo(),
    subject,
    messageId,
    html,
    text,
    icalEvent: calendar && !attachesCalendar ? { method: calendar.method, content: calendar.content, filename: "invite.ics" } : undefined,
    alternatives:
      calendar && attachesCalendar ? [{ contentType: `text/calendar; charset=utf-8; method=${calendar.method}`, content: calendar.content }] : undefined,
    attachments: attachments?.map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      content: a.content,
      encoding: a.encoding,
    })),
    // Line ends are CRLF in every part, whatever the template or the text conversion wrote.
    newline: "windows",
  });
  const raw = (info.message as Buffer).toString("utf8");
  return {
    template: input.template,
    orderingKey: input.orderingKey ?? null,
    toAddress: to.address.toLowerCase(),
    toName: to.name || null,
    // The setting as written (one address, checked by mailFrom), read back with nodemailer's parser.
    fromAddress: getEnv().MAIL_FROM,
    subject,
    messageId,
    rawMime: raw,
    html,
    text,
    attachments: (attachments ?? []).map((a) => {
      const buf = Buffer.from(a.content, a.encoding === "base64" ? "base64" : "utf8");
      return { filename: a.filename, contentType: a.contentType, size: buf.length, contentBase64: buf.toString("base64") };
    }),
  };
}

/**
 * Writes a composed message to the outbox. Call it inside the transaction of the change that
 * causes it, so the message exists exactly when the change does.
 */
export async function enqueueEmail(db: Db, email: ComposedEmail): Promise<number> {
  const row = await db
    .insertInto("email_messages")
    .values(outboxRow(email, hasDeliveryTransport() ? "pending" : "held", nowIso()))
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A composed message as the outbox keeps it; a pending one is due at once. */
export function outboxRow(email: ComposedEmail, status: EmailStatus, at: string) {
  return {
    ordering_key: email.orderingKey,
    template: email.template,
    to_address: email.toAddress,
    to_name: email.toName,
    from_address: email.fromAddress,
    subject: email.subject,
    message_id: email.messageId,
    raw_mime: email.rawMime,
    html: email.html,
    text: email.text,
    attachments_json: JSON.stringify(email.attachments),
    status,
    next_attempt_at: status === "pending" ? at : null,
    lease_expires_at: null,
    last_error: null,
    provider_id: null,
    created_at: at,
    sent_at: null,
  } satisfies Omit<EmailMessage, "id" | "attempts">;
}

/** Compose and write one message, for changes that need no transaction of their own. */
export async function sendEmail(db: Db, input: EmailInput): Promise<number> {
  return enqueueEmail(db, await composeEmail(input));
}

export function parseAttachments(json: string): StoredAttachment[] {
  return JSON.parse(json) as StoredAttachment[];
}
