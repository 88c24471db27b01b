import { createElement } from "react";
import { simpleParser } from "mailparser";
import { afterEach, describe, expect, it } from "vitest";
import type { EmailMessage } from "#db/schema.ts";
import { requestPasswordReset } from "#app/auth/sign-in.server.ts";
import { getDb } from "#app/db.server.ts";
import { buildItipEvent } from "#app/calendar/ical.server.ts";
import { randomToken } from "#app/utils/tokens.server.ts";
import { createUser, setEnvForTest } from "#tests/factories.ts";
import { deliverDueEmails } from "./delivery.server.ts";
import { getAttachment, getOutboxMessage, getRawMessage } from "./outbox-view.server.ts";
import { composeEmail, sendEmail } from "./outbox.server.ts";
import { LINK_REMOVED, scrubbedCopy, withoutPersonalLinks } from "./personal-links.server.ts";
import type { EmailTransport } from "./transports.server.ts";

const db = () => getDb();
const DEPLOYED = "https://training.example.ac.uk";

let restore: (() => void) | undefined;
afterEach(() => {
  restore?.();
  restore = undefined;
});

/** A message carrying one link of each kind a person is emailed, in its HTML, its text and a calendar attachment. */
async function messageWithEveryLink(base: string) {
  const secrets = Array.from({ length: 5 }, () => randomToken(32));
  const paths = ["set-password", "registrations", "feedback", "leaders/access", "feeds/trainers"].map((p, i) => `${base}/${p}/${secrets[i]}`);
  const roomCode = `${base}/feedback/s/${randomToken(12)}`;
  const id = await sendEmail(db(), {
    template: "test",
    to: { email: `someone-${randomToken(4)}@example.ac.uk`, name: "Siobhán O'Brien" },
    subject: "Your links",
    react: createElement(
      "div",
      null,
      ...paths.map((url) => createElement("p", { key: url }, createElement("a", { href: url }, `Open ${url} — café`))),
      createElement("p", null, `The room's code: ${roomCode}`),
    ),
    attachments: [
      {
        filename: "invite.ics",
        contentType: "text/calendar; charset=utf-8",
        content: `BEGIN:VCALENDAR\r\nDESCRIPTION:Manage your place: ${paths[1]}\r\nEND:VCALENDAR\r\n`,
      },
    ],
  });
  return { id, secrets, roomCode };
}

/** Everything a person could read of a stored raw message: every part decoded, attachments too. */
async function decoded(raw: string) {
  const parsed = await simpleParser(raw);
  return [parsed.text ?? "", typeof parsed.html === "string" ? parsed.html : "", ...parsed.attachments.map((a) => a.content.toString("utf8"))].join("\n");
}

const leaks = (text: string, secrets: string[]) => secrets.filter((s) => text.includes(s));

describe("personal links in the outbox, on a deployment", () => {
  it("are shown to staff without their secret: the page, the text, the raw download and the attachments", async () => {
    restore = setEnvForTest({ APP_URL: DEPLOYED });
    const { id, secrets, roomCode } = await messageWithEveryLink(DEPLOYED);
    const page = (await getOutboxMessage(db(), id))!;
    expect(page.personalLinks).toBe("removed");
    expect(leaks(`${page.html}\n${page.text}`, secrets)).toEqual([]);
    expect(page.text).toContain(`${DEPLOYED}/set-password/${LINK_REMOVED}`);
    // The room's code is for a whole room: not a personal link.
    expect(page.text).toContain(roomCode);
    const raw = (await getRawMessage(db(), id))!;
    expect(leaks(raw, secrets)).toEqual([]);
    const readable = await decoded(raw);
    expect(leaks(readable, secrets)).toEqual([]);
    expect(readable).toContain("café");
    expect(readable).toContain(`/registrations/${LINK_REMOVED}`);
    const attachment = (await getAttachment(db(), id, 0))!;
    expect(leaks(Buffer.from(attachment.contentBase64, "base64").toString("utf8"), secrets)).toEqual([]);
  });

  it("another account's password reset link cannot be read by a coordinator", async () => {
    restore = setEnvForTest({ APP_URL: DEPLOYED });
    const user = await createUser(db());
    await requestPasswordReset(db(), user.email);
    const row = await db().selectFrom("email_messages").select(["id", "text"]).where("to_address", "=", user.email).executeTakeFirstOrThrow();
    const secret = /\/set-password\/([A-Za-z0-9_-]+)/.exec(row.text)![1]!;
    const page = (await getOutboxMessage(db(), row.id))!;
    expect(JSON.stringify(page)).not.toContain(secret);
    expect(await getRawMessage(db(), row.id)).not.toContain(secret);
  });

  it("are gone from the stored copy once a mail service has delivered it, which received them whole", async () => {
    restore = setEnvForTest({ APP_URL: DEPLOYED, SMTP_URL: "smtp://localhost:2525" });
    const { id, secrets } = await messageWithEveryLink(DEPLOYED);
    const handed: EmailMessage[] = [];
    const transport: EmailTransport = { name: "smtp", send: async (m) => (handed.push(m), { providerId: "sent-1" }) };
    await deliverDueEmails(db(), transport);
    expect(leaks(`${handed[0]!.raw_mime}${handed[0]!.html}`, secrets)).toEqual(secrets);

    const stored = await db().selectFrom("email_messages").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(stored.status).toBe("sent");
    const everything = [stored.html, stored.text, stored.raw_mime, stored.attachments_json, await decoded(stored.raw_mime)].join("\n");
    for (const a of JSON.parse(stored.attachments_json) as { contentBase64: string }[])
      expect(leaks(Buffer.from(a.contentBase64, "base64").toString("utf8"), secrets)).toEqual([]);
    expect(leaks(everything, secrets)).toEqual([]);
    expect(await decoded(stored.raw_mime)).toContain("café");
  });
});

describe("personal links in the outbox, on a local demo", () => {
  it("are shown whole, and labelled, since the outbox is the only mailbox", async () => {
    restore = setEnvForTest({ APP_URL: "http://localhost:3000" });
    const { id, secrets } = await messageWithEveryLink("http://localhost:3000");
    const page = (await getOutboxMessage(db(), id))!;
    expect(page.personalLinks).toBe("shown");
    expect(leaks(page.text, secrets)).toEqual(secrets);
    expect(leaks((await getRawMessage(db(), id))!, secrets).length).toBeGreaterThan(0);
  });
});

describe("withoutPersonalLinks", () => {
  it("removes the secret of every personal link and leaves other addresses alone", () => {
    const secret = randomToken(32);
    expect(withoutPersonalLinks(`${DEPLOYED}/leaders/access/${secret}`)).toBe(`${DEPLOYED}/leaders/access/${LINK_REMOVED}`);
    expect(withoutPersonalLinks(`${DEPLOYED}/feeds/trainers/${secret}.ics`)).toBe(`${DEPLOYED}/feeds/trainers/${LINK_REMOVED}.ics`);
    for (const other of [`${DEPLOYED}/sessions/12`, `${DEPLOYED}/leaders/access`, `${DEPLOYED}/sessions/open/3`, `${DEPLOYED}/feedback/s/${randomToken(12)}`]) {
      expect(withoutPersonalLinks(other)).toBe(other);
    }
  });
});

describe("personal links in a calendar, whose lines fold anywhere", () => {
  /** Any 10 characters of the secret in a row, in the text as stored or with its folded lines joined. */
  const anyPieceOf = (secret: string, text: string) => {
    const joined = text.replace(/\r?\n[ \t]/g, "");
    for (let i = 0; i + 10 <= secret.length; i++) if (text.includes(secret.slice(i, i + 10)) || joined.includes(secret.slice(i, i + 10))) return true;
    return false;
  };

  it("are removed whole from the stored copy, wherever the fold falls in the link", async () => {
    for (let offset = 0; offset < 76; offset++) {
      const secret = randomToken(32);
      const ics = buildItipEvent(
        {
          uid: "session-1@neverok.example",
          sequence: 1,
          courseName: "Consent",
          organisationName: null,
          startsAt: "2030-10-14T13:00:00.000Z",
          endsAt: "2030-10-14T14:30:00.000Z",
          location: "Hall",
          description: `${"x".repeat(offset)} Cancel here: ${DEPLOYED}/registrations/${secret}`,
          cancelled: false,
        },
        "REQUEST",
        { email: "sam@example.ac.uk", name: "Sam" },
      );
      const email = await composeEmail({
        template: "test",
        to: { email: "sam@example.ac.uk", name: "Sam" },
        subject: "Invitation",
        react: createElement("p", null, "Hello"),
        calendar: { method: "REQUEST", content: ics },
        attachments: [{ filename: "invite.ics", contentType: "text/calendar; charset=utf-8; method=REQUEST", content: ics }],
      });
      const clean = await scrubbedCopy({ html: email.html, text: email.text, raw_mime: email.rawMime, attachments_json: JSON.stringify(email.attachments) });
      const files = (JSON.parse(clean.attachments_json) as { contentBase64: string }[]).map((a) => Buffer.from(a.contentBase64, "base64").toString("utf8"));
      for (const text of [clean.raw_mime, await decoded(clean.raw_mime), ...files]) expect(anyPieceOf(secret, text), `offset ${offset}`).toBe(false);
      // Still a calendar: every line folded to 75 octets, the link's place kept.
      expect(files[0]!.split("\r\n").every((line) => Buffer.byteLength(line) <= 75)).toBe(true);
      expect(files[0]!.replace(/\r\n /g, "")).toContain(`/registrations/${LINK_REMOVED}`);
    }
  });
});
