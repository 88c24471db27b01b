import type { Kysely } from "kysely";
import type { Database, EmailStatus } from "#db/schema.ts";
import { parseAttachments } from "./outbox.server.ts";

/**
 * Messages carrying a sign-in link. While mail stays in the local outbox, the outbox is how the
 * link reaches anyone, so it is shown; once a real service has delivered it, only its recipient
 * should read it, so the coordinator sees that it went, not what it said.
 */
const CARRIES_SIGN_IN_LINK = new Set(["password-reset", "invitation"]);

export function isRedacted(message: { template: string; status: EmailStatus }) {
  return CARRIES_SIGN_IN_LINK.has(message.template) && message.status !== "held";
}

export const PAGE_SIZE = 50;

export async function listOutbox(db: Kysely<Database>, opts: { status?: EmailStatus; to?: string; page?: number } = {}) {
  let q = db
    .selectFrom("email_messages")
    .select(["id", "template", "to_address", "to_name", "subject", "status", "attempts", "last_error", "created_at", "sent_at", "attachments_json"]);
  if (opts.status) q = q.where("status", "=", opts.status);
  if (opts.to) q = q.where("to_address", "like", `%${opts.to.toLowerCase()}%`);
  const page = Math.max(1, opts.page ?? 1);
  const rows = await q
    .orderBy("id", "desc")
    .limit(PAGE_SIZE + 1)
    .offset((page - 1) * PAGE_SIZE)
    .execute();
  return {
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
  const redacted = isRedacted(m);
  const attachments = parseAttachments(m.attachments_json);
  return {
    id: m.id,
    template: m.template,
    from: m.from_address,
    to: m.to_name ? `${m.to_name} <${m.to_address}>` : m.to_address,
    subject: m.subject,
    messageId: m.message_id,
    status: m.status,
    attempts: m.attempts,
    lastError: m.last_error,
    nextAttemptAt: m.next_attempt_at,
    createdAt: m.created_at,
    sentAt: m.sent_at,
    redacted,
    html: redacted ? null : m.html,
    text: redacted ? null : m.text,
    headers: headerBlock(m.raw_mime),
    hasCalendarPart: /content-type:\s*text\/calendar/i.test(m.raw_mime),
    attachments: attachments.map((a, index) => ({ index, filename: a.filename, contentType: a.contentType, size: a.size })),
  };
}

export async function getRawMessage(db: Kysely<Database>, id: number) {
  const m = await db.selectFrom("email_messages").select(["raw_mime", "template", "status", "id"]).where("id", "=", id).executeTakeFirst();
  if (!m || isRedacted(m)) return null;
  return m.raw_mime;
}

export async function getAttachment(db: Kysely<Database>, id: number, index: number) {
  const m = await db.selectFrom("email_messages").select(["attachments_json", "template", "status"]).where("id", "=", id).executeTakeFirst();
  if (!m || isRedacted(m)) return null;
  return parseAttachments(m.attachments_json)[index] ?? null;
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
