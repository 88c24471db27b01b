import type { Kysely } from "kysely";
import type { Database, EmailStatus } from "#db/schema.ts";
import { containsText } from "#app/utils/search.ts";
import { linksInText } from "./message-links.server.ts";
import { parseAttachments } from "./outbox.server.ts";
import { OutboxQuerySchema, type OutboxQuery } from "./schemas.ts";
import {
  attachmentsWithoutPersonalLinks,
  hasPersonalLink,
  mimeWithoutPersonalLinks,
  personalLinksShownToStaff,
  withoutPersonalLinks,
} from "./personal-links.server.ts";

/**
 * Whether a message's personal links are shown to whoever reads the outbox ("shown": a local demo,
 * where the outbox is the only mailbox), shown with their secret removed ("removed": a deployment,
 * where only the recipient may use them), or whether it holds none (null).
 */
export type PersonalLinks = "shown" | "removed" | null;

export const PAGE_SIZE = 50;

/** A page of the outbox, newest first, filtered as the address asks (`?status=failed&to=ana`). */
export async function listOutbox(db: Kysely<Database>, query: Record<string, unknown> = {}) {
  const opts: OutboxQuery = OutboxQuerySchema.parse(query);
  let q = db
    .selectFrom("email_messages")
    .select(["id", "template", "to_address", "to_name", "subject", "status", "attempts", "last_error", "created_at", "sent_at", "attachments_json"]);
  if (opts.status) q = q.where("status", "=", opts.status);
  if (opts.to) q = q.where((eb) => containsText(eb.ref("to_address"), opts.to!));
  const page = Math.max(1, opts.page ?? 1);
  const rows = await q
    .orderBy("id", "desc")
    .limit(PAGE_SIZE + 1)
    .offset((page - 1) * PAGE_SIZE)
    .execute();
  return {
    filter: opts,
    page,
    hasMore: rows.length > PAGE_SIZE,
    messages: rows.slice(0, PAGE_SIZE).map(({ attachments_json, ...m }) => ({
      ...m,
      attachmentCount: parseAttachments(attachments_json).length,
    })),
  };
}

export async function getOutboxMessage(db: Kysely<Database>, id: number) {
  const m = await db.selectFrom("email_messages").selectAll().where("id", "=", id).executeTakeFirst();
  if (!m) return null;
  const shown = personalLinksShownToStaff();
  const personalLinks: PersonalLinks = hasPersonalLink(m.html) || hasPersonalLink(m.text) ? (shown ? "shown" : "removed") : null;
  const attachments = parseAttachments(m.attachments_json);
  const text = shown ? m.text : withoutPersonalLinks(m.text);
  return {
    id: m.id,
    template: m.template,
    from: m.from_address,
    to: m.to_name ? `${m.to_name} <${m.to_address}>` : m.to_address,
    subject: m.subject,
    messageId: m.message_id,
    status: m.status as EmailStatus,
    attempts: m.attempts,
    lastError: m.last_error,
    nextAttemptAt: m.next_attempt_at,
    createdAt: m.created_at,
    sentAt: m.sent_at,
    personalLinks,
    html: shown ? m.html : withoutPersonalLinks(m.html),
    text,
    links: linksInText(text),
    headers: headerBlock(m.raw_mime),
    hasCalendarPart: /content-type:\s*text\/calendar/i.test(m.raw_mime),
    attachments: attachments.map((a, index) => ({ index, filename: a.filename, contentType: a.contentType, size: a.size })),
  };
}

/** The complete stored message, as a mail program would open it; on a deployment, without the secrets of its personal links. */
export async function getRawMessage(db: Kysely<Database>, id: number) {
  const m = await db.selectFrom("email_messages").select(["raw_mime"]).where("id", "=", id).executeTakeFirst();
  if (!m) return null;
  return personalLinksShownToStaff() ? m.raw_mime : mimeWithoutPersonalLinks(m.raw_mime);
}

export async function getAttachment(db: Kysely<Database>, id: number, index: number) {
  const m = await db.selectFrom("email_messages").select(["attachments_json"]).where("id", "=", id).executeTakeFirst();
  if (!m) return null;
  const attachments = parseAttachments(m.attachments_json);
  const one = attachments[index];
  if (!one) return null;
  return personalLinksShownToStaff() ? one : attachmentsWithoutPersonalLinks([one])[0]!;
}

/** The top-level headers of a raw message, for display. */
function headerBlock(raw: string): { name: string; value: string }[] {
  const end = raw.search(/\r?\n\r?\n/);
  const head = (end === -1 ? raw : raw.slice(0, end)).replace(/\r?\n[ \t]+/g, " ");
  return head
    .split(/\r?\n/)
    .map((line) => {
      const i = line.indexOf(":");
      return { name: line.slice(0, i), value: line.slice(i + 1).trim() };
    })
    .filter((h) => h.name && ["From", "To", "Subject", "Date", "Message-ID", "MIME-Version", "Content-Type"].includes(h.name));
}
