import nodemailer from "nodemailer";
import addressparser from "nodemailer/lib/addressparser/index.js";
import { Resend } from "resend";
import type { EmailMessage } from "#db/schema.ts";
import { getEnv } from "#app/utils/env.server.ts";
import { formatAddress, headerText, mailReplyTo, requirePlainAddress, type MailAddress } from "./addresses.server.ts";

/** Thrown by a transport; `retryable` says whether trying again later could succeed. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }
}

export interface EmailTransport {
  name: "resend" | "smtp";
  send(message: EmailMessage): Promise<{ providerId: string }>;
}

/** The stored From (the MAIL_FROM setting the message was written with) as one mailbox. */
function storedFrom(message: EmailMessage): MailAddress {
  const [first] = addressparser(message.from_address, { flatten: true });
  return { name: first?.name ?? "", address: requirePlainAddress(first?.address ?? "") };
}

export function hasDeliveryTransport(): boolean {
  const env = getEnv();
  return Boolean(env.SMTP_URL || env.RESEND_API_KEY);
}

/**
 * SMTP wins when both are set: it sends the stored MIME byte for byte, so calendar invitations
 * keep their text/calendar alternative part. Resend's API rebuilds the message and cannot.
 */
export function createTransportFromEnv(): EmailTransport | null {
  const env = getEnv();
  if (env.SMTP_URL) return smtpTransport(env.SMTP_URL);
  if (env.RESEND_API_KEY) return resendTransport(env.RESEND_API_KEY);
  return null;
}

export function smtpTransport(url: string): EmailTransport {
  const transporter = nodemailer.createTransport(url);
  return {
    name: "smtp",
    async send(message) {
      try {
        const info = await transporter.sendMail({
          envelope: { from: storedFrom(message).address, to: [requirePlainAddress(message.to_address)] },
          raw: message.raw_mime,
        });
        return { providerId: info.messageId ?? message.message_id };
      } catch (err) {
        const e = err as { responseCode?: number; message?: string };
        // 4xx replies are temporary in SMTP; 5xx are permanent; no reply at all is a network fault.
        const permanent = typeof e.responseCode === "number" && e.responseCode >= 500;
        throw new DeliveryError(e.message ?? "SMTP delivery failed", !permanent);
      }
    },
  };
}

export function resendTransport(apiKey: string): EmailTransport {
  const resend = new Resend(apiKey);
  return {
    name: "resend",
    async send(message) {
      const attachments = (JSON.parse(message.attachments_json) as { filename: string; contentType: string; contentBase64: string }[]).map((a) => ({
        filename: a.filename,
        contentType: a.contentType,
        content: a.contentBase64,
      }));
      // Resend takes addresses as strings: written by formatAddress, whose names are plain words or
      // RFC 2047 encoded words, so Resend's parser cannot split a name into more recipients.
      const result = await resend.emails.send(
        {
          from: formatAddress(storedFrom(message)),
          to: [formatAddress({ name: message.to_name, address: message.to_address })],
          // The API rebuilds the message from its parts, so the Reply-To is given again: the mailbox someone reads.
          replyTo: formatAddress(mailReplyTo()),
          subject: headerText(message.subject),
          html: message.html,
          text: message.text,
          attachments,
          headers: { "X-Entity-Ref-ID": message.message_id },
        },
        // Resend keeps an idempotency key for 24 hours: a retry after a crash cannot send twice.
        { idempotencyKey: `neverok-${message.id}-${message.message_id}`.slice(0, 256) },
      );
      if (result.error) {
        const status = result.error.statusCode ?? 0;
        const retryAfter = Number(result.headers?.["retry-after"]);
        const retryable = status === 0 || status === 429 || status >= 500;
        throw new DeliveryError(
          `${result.error.name}: ${result.error.message}`,
          retryable,
          status === 429 && Number.isFinite(retryAfter) ? retryAfter * 1000 : null,
        );
      }
      return { providerId: result.data.id };
    },
  };
}
