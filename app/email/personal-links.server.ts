import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { Joiner, Rewriter, Splitter } from "mailsplit";
import type { EmailMessage } from "#db/schema.ts";
import { isDemoInstance } from "#app/utils/env.server.ts";
import type { StoredAttachment } from "./outbox.server.ts";

/**
 * Personal links: the emailed addresses whose secret is the credential (choose a password, manage a
 * place, give feedback, see a leader's own record, a trainer's calendar feed). Whoever holds one can
 * use it, so once the message is stored only its recipient should: staff reading the outbox see the
 * link with its secret removed, and the stored copy loses the secret once a mail service has
 * delivered it. The room's feedback code (/feedback/s/…) is shown to a whole room and is not one.
 */
const PERSONAL_LINK = /(\/(?:set-password|registrations|feedback|leaders\/access|feeds\/trainers)\/)(?!s\/)[A-Za-z0-9_-]{16,}/g;

/** What stands where the secret was. */
export const LINK_REMOVED = "link-removed";

export function hasPersonalLink(text: string | null | undefined): boolean {
  return !!text && new RegExp(PERSONAL_LINK.source).test(text);
}

/** The text with the secret of every personal link replaced; everything else as it was. */
export function withoutPersonalLinks(text: string): string {
  return text.replace(PERSONAL_LINK, `$1${LINK_REMOVED}`);
}

const isText = (contentType: string | false | undefined) => typeof contentType === "string" && /^text\//i.test(contentType);
const isCalendar = (contentType: string) => /^text\/calendar\b/i.test(contentType);

/** RFC 5545 lines unfolded: a line break followed by a space or tab joins the two. */
const unfold = (ics: string) => ics.replace(/\r?\n[ \t]/g, "");

/** Each line folded again at 75 octets, never inside a character. */
function fold(ics: string): string {
  return ics
    .split("\r\n")
    .map((line) => {
      let out = "";
      let octets = 0;
      for (const char of line) {
        const size = Buffer.byteLength(char, "utf8");
        if (octets + size > 75) {
          out += "\r\n ";
          octets = 1;
        }
        out += char;
        octets += size;
      }
      return out;
    })
    .join("\r\n");
}

/**
 * A calendar's text with its personal links removed. A calendar folds long lines anywhere, a link's
 * secret included, so the lines are unfolded before the links are looked for and folded again after.
 */
function calendarWithoutPersonalLinks(ics: string): string {
  const whole = unfold(ics);
  return hasPersonalLink(whole) ? fold(withoutPersonalLinks(whole)) : ics;
}

/** A text part or file of this type with its personal links removed. */
function partWithoutPersonalLinks(text: string, contentType: string): string {
  return isCalendar(contentType) ? calendarWithoutPersonalLinks(text) : withoutPersonalLinks(text);
}

/**
 * The raw message with the personal links removed from every text part (the HTML, the plain text,
 * the calendar part), whatever its transfer encoding: each part is decoded, changed and encoded
 * again the same way; headers and every other part are kept byte for byte. A message with no
 * personal link comes back exactly as it was. The encoder ends some lines with a bare LF, so line
 * ends are made CRLF again, as every line of a message must be.
 */
export async function mimeWithoutPersonalLinks(raw: string): Promise<string> {
  let changed = false;
  const rewriter = new Rewriter((node: { contentType?: string | false }) => isText(node.contentType));
  rewriter.on("node", (data) => {
    const chunks: Buffer[] = [];
    data.decoder.on("data", (chunk: Buffer) => chunks.push(chunk));
    data.decoder.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const clean = partWithoutPersonalLinks(text, data.node.contentType || "text/plain");
      if (clean !== text) changed = true;
      data.encoder.end(Buffer.from(clean, "utf8"));
    });
  });
  const out: Buffer[] = [];
  await pipeline(Readable.from([Buffer.from(raw, "utf8")]), new Splitter(), rewriter, new Joiner(), async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) out.push(Buffer.from(chunk));
  });
  return changed ? Buffer.concat(out).toString("utf8").replace(/\r?\n/g, "\r\n") : raw;
}

/** Text attachments (calendar files) with their personal links removed; other files as they were. */
export function attachmentsWithoutPersonalLinks(attachments: StoredAttachment[]): StoredAttachment[] {
  return attachments.map((a) => {
    if (!isText(a.contentType)) return a;
    const text = Buffer.from(a.contentBase64, "base64").toString("utf8");
    const clean = partWithoutPersonalLinks(text, a.contentType);
    if (clean === text) return a;
    const buf = Buffer.from(clean, "utf8");
    return { ...a, size: buf.length, contentBase64: buf.toString("base64") };
  });
}

/** Whether whoever reads the outbox may see personal links: only on a local demo, where the outbox is the only mailbox. */
export function personalLinksShownToStaff(): boolean {
  return isDemoInstance();
}

/**
 * The columns of a stored message with every personal link's secret removed, for the copy kept
 * after a mail service has delivered it.
 */
export async function scrubbedCopy(message: Pick<EmailMessage, "html" | "text" | "raw_mime" | "attachments_json">) {
  return {
    html: withoutPersonalLinks(message.html),
    text: withoutPersonalLinks(message.text),
    raw_mime: await mimeWithoutPersonalLinks(message.raw_mime),
    attachments_json: JSON.stringify(attachmentsWithoutPersonalLinks(JSON.parse(message.attachments_json) as StoredAttachment[])),
  };
}
