import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import ICAL from "ical.js";
import { simpleParser } from "mailparser";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { getDb } from "#app/db.server.ts";
import { assignTrainer } from "#app/scheduling/assignments.server.ts";
import { cancelSession, rescheduleSession, scheduleRequest } from "#app/scheduling/sessions.server.ts";
import { feedForToken, issueFeedToken } from "#app/trainers/trainers.server.ts";
import { londonWallTimeToUtc } from "#app/utils/dates.ts";
import { setEnvForTest } from "#tests/factories.ts";
import {
  createBooker,
  createRequest,
  createRoom,
  createTrainer,
  icsAttachment,
  icsLines,
  london,
  londonDate,
  openSessionInput,
  outboxTo,
  pinClock,
  schedulingWorld,
} from "#tests/scheduling-fixtures.ts";
import { buildItipEvent, buildPublishedCalendar, type CalendarSession } from "./ical.server.ts";

const db = () => getDb();
const FROM_ADDRESS = "campaign@training.example.ac.uk";
/** The control characters RFC 5545 allows nowhere in a calendar: all but tab, carriage return and line feed. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const FORBIDDEN_IN_ICAL = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]/;

const restores: (() => void)[] = [];
beforeEach(() => {
  // Wednesday 2 October 2030, 09:00 London.
  pinClock("2030-10-02T08:00:00Z");
  restores.push(setEnvForTest({ MAIL_FROM: `Campaign Team <${FROM_ADDRESS}>` }));
});
afterEach(() => {
  while (restores.length) restores.pop()!();
});

function parseCalendar(ics: string) {
  const cal = new ICAL.Component(ICAL.parse(ics));
  const events = cal.getAllSubcomponents("vevent");
  expect(events).toHaveLength(1);
  const event = events[0]!;
  const time = (name: string) => event.getFirstPropertyValue(name) as ICAL.Time;
  return {
    cal,
    event,
    method: cal.getFirstPropertyValue("method"),
    uid: event.getFirstPropertyValue("uid"),
    sequence: event.getFirstPropertyValue("sequence"),
    status: event.getFirstPropertyValue("status"),
    organizer: String(event.getFirstPropertyValue("organizer")),
    attendees: event.getAllProperties("attendee").map((p) => String(p.getFirstValue())),
    start: time("dtstart"),
    end: time("dtend"),
    stamp: time("dtstamp"),
  };
}

// ---- A small MIME reader, so the structure is checked on the raw text itself ---------------

interface MimePart {
  contentType: string; // lower-case type/subtype
  params: Record<string, string>;
  headers: Record<string, string>;
  body: string;
  children: MimePart[];
}

function parseHeaderValue(value: string) {
  const [type, ...rest] = value.split(";");
  const params: Record<string, string> = {};
  for (const p of rest) {
    const eq = p.indexOf("=");
    if (eq < 0) continue;
    params[p.slice(0, eq).trim().toLowerCase()] = p
      .slice(eq + 1)
      .trim()
      .replace(/^"|"$/g, "");
  }
  return { type: (type ?? "").trim().toLowerCase(), params };
}

function parseMime(raw: string): MimePart {
  const split = raw.indexOf("\r\n\r\n");
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, " ");
  const body = raw.slice(split + 4);
  const headers: Record<string, string> = {};
  for (const line of head.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const { type, params } = parseHeaderValue(headers["content-type"] ?? "text/plain");
  const part: MimePart = { contentType: type, params, headers, body, children: [] };
  if (type.startsWith("multipart/") && params.boundary) {
    const delimiter = `--${params.boundary}`;
    const sections = body.split(new RegExp(`^${delimiter.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?:--)?[ \\t]*$`, "m"));
    // Before the first delimiter is the preamble; after the closing one, the epilogue.
    part.children = sections.slice(1, -1).map((s) => parseMime(s.replace(/^\r\n/, "")));
  }
  return part;
}

function decodeBody(part: MimePart): string {
  const encoding = (part.headers["content-transfer-encoding"] ?? "7bit").toLowerCase();
  const body = part.body.replace(/\r\n$/, "");
  if (encoding === "base64") return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  if (encoding === "quoted-printable") {
    const bytes = body.replace(/=\r\n/g, "").replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, "latin1").toString("utf8");
  }
  return body;
}

/** The message's structure and its calendar parts, checked against what an invitation must be. */
function expectInvitationStructure(raw: string, method: "REQUEST" | "CANCEL") {
  const root = parseMime(raw);
  expect(root.contentType).toBe("multipart/mixed");
  const [alternative, ...attachments] = root.children;
  expect(alternative?.contentType).toBe("multipart/alternative");
  expect(alternative!.children.map((c) => c.contentType)).toEqual(["text/plain", "text/html", "text/calendar"]);
  const inline = alternative!.children[2]!;
  expect(inline.params.method).toBe(method);
  expect(parseCalendar(decodeBody(inline)).method).toBe(method);
  expect(inline.headers["content-disposition"]).toBeUndefined();

  // Exactly one .ics file attached, with the same method.
  const files = attachments.filter((a) => /attachment/i.test(a.headers["content-disposition"] ?? ""));
  expect(files).toHaveLength(attachments.length);
  const ics = files.filter((a) => /\.ics"?$/i.test(a.headers["content-disposition"] ?? ""));
  expect(ics.map((a) => a.contentType)).toEqual(["text/calendar"]);
  expect(ics[0]!.params.method).toBe(method);
  expect(parseCalendar(decodeBody(ics[0]!)).method).toBe(method);
  return { inline: decodeBody(inline), attachment: decodeBody(ics[0]!) };
}

// ---- The invitation life cycle -------------------------------------------------------------

describe("booker's invitation, updates and cancellation", () => {
  it("are iTIP messages for one event: REQUEST with SEQUENCE 0, 1, 2 then CANCEL with 3", async () => {
    const w = await schedulingWorld(db(), { durationMinutes: 90 });
    const requestId = await createRequest(db(), { booker: w.booker, organisationId: w.organisationId, courseId: w.courseId });
    const roomId = await createRoom(db(), { name: "Council Chamber", building: "Students' Union" });
    const starts = [london(londonDate(2, 2), "14:00"), london(londonDate(2, 4), "10:00"), london(londonDate(3, 1), "15:30")];
    const sessionId = await scheduleRequest(db(), w.coordinator, { requestId, startsAt: starts[0]!, location: { roomId } });
    await rescheduleSession(db(), w.coordinator, { sessionId, startsAt: starts[1]!, location: { roomId }, reason: "The speaker moved" });
    await rescheduleSession(db(), w.coordinator, { sessionId, startsAt: starts[2]!, location: { address: "Boat House, River Road" }, reason: "Bigger space" });
    await cancelSession(db(), w.coordinator, sessionId, "The club has folded");
    const { ical_uid } = await db().selectFrom("sessions").select("ical_uid").where("id", "=", sessionId).executeTakeFirstOrThrow();
    expect(ical_uid).toMatch(/@training\.example\.ac\.uk$/);

    const mails = await outboxTo(db(), w.booker.email);
    expect(mails.map((m) => m.template)).toEqual(["session-scheduled", "session-rescheduled", "session-rescheduled", "session-cancelled"]);
    expect(new Set(mails.map((m) => m.ordering_key))).toEqual(new Set([`session-${sessionId}`]));

    const expected = [
      { method: "REQUEST", sequence: 0, status: "CONFIRMED", start: starts[0]! },
      { method: "REQUEST", sequence: 1, status: "CONFIRMED", start: starts[1]! },
      { method: "REQUEST", sequence: 2, status: "CONFIRMED", start: starts[2]! },
      { method: "CANCEL", sequence: 3, status: "CANCELLED", start: starts[2]! },
    ];
    for (const [i, mail] of mails.entries()) {
      const ics = icsAttachment(mail);
      const e = parseCalendar(ics);
      const want = expected[i]!;
      expect({ method: e.method, sequence: e.sequence, status: e.status, uid: e.uid }, `message ${i + 1}`).toEqual({
        method: want.method,
        sequence: want.sequence,
        status: want.status,
        uid: ical_uid,
      });
      expect(e.organizer.toLowerCase()).toBe(`mailto:${FROM_ADDRESS}`);
      expect(e.attendees.map((a) => a.toLowerCase())).toEqual([`mailto:${w.booker.email}`]);
      expect(e.start.zone?.tzid).toBe("UTC");
      expect(e.end.zone?.tzid).toBe("UTC");
      expect(e.start.toJSDate().toISOString()).toBe(want.start.toISOString());
      expect(e.end.toJSDate().getTime() - e.start.toJSDate().getTime()).toBe(90 * 60_000);

      // The text itself: UTC times end in Z, with no TZID parameter.
      const lines = icsLines(ics);
      for (const name of ["DTSTAMP", "DTSTART", "DTEND"]) {
        const line = lines.find((l) => l.startsWith(`${name}:`) || l.startsWith(`${name};`));
        expect(line, name).toMatch(new RegExp(`^${name}:\\d{8}T\\d{6}Z$`));
      }
      expect(lines.filter((l) => l.startsWith("ATTENDEE"))).toHaveLength(1);
      // The message itself carries the same calendar, inline and attached, with the same method.
      const parts = expectInvitationStructure(mail.raw_mime, want.method as "REQUEST" | "CANCEL");
      expect(parts.inline).toBe(ics);
      expect(parts.attachment).toBe(ics);
    }
  });

  it("is a real invitation in MIME: multipart/mixed > multipart/alternative (text, html, calendar) + one .ics file", async () => {
    const w = await schedulingWorld(db());
    const requestId = await createRequest(db(), { booker: w.booker, organisationId: w.organisationId, courseId: w.courseId });
    const sessionId = await scheduleRequest(db(), w.coordinator, {
      requestId,
      startsAt: london(londonDate(2, 3), "11:00"),
      location: { roomId: await createRoom(db()) },
    });
    await cancelSession(db(), w.coordinator, sessionId, "Room flooded");
    const [invite, cancel] = await outboxTo(db(), w.booker.email);

    const request = expectInvitationStructure(invite!.raw_mime, "REQUEST");
    expect(request.attachment).toBe(icsAttachment(invite!));
    expect(request.inline).toBe(request.attachment);
    const cancelled = expectInvitationStructure(cancel!.raw_mime, "CANCEL");
    expect(parseCalendar(cancelled.attachment).status).toBe("CANCELLED");

    // And what a mail client's parser makes of it.
    const parsed = await simpleParser(invite!.raw_mime);
    expect(parsed.from?.value[0]?.address).toBe(FROM_ADDRESS);
    expect(parsed.text).toMatch(/your session is confirmed/i);
    expect(parsed.html).toBeTruthy();
    const calendars = parsed.attachments.filter((a) => /calendar|ics/i.test(a.contentType));
    const files = calendars.filter((a) => a.contentDisposition === "attachment");
    expect(files.map((a) => a.filename)).toEqual(["invite.ics"]);
    expect(parseCalendar(files[0]!.content.toString("utf8")).method).toBe("REQUEST");
    const parsedCancel = await simpleParser(cancel!.raw_mime);
    const cancelFiles = parsedCancel.attachments.filter((a) => /calendar|ics/i.test(a.contentType) && a.contentDisposition === "attachment");
    expect(cancelFiles.map((a) => a.filename)).toEqual(["cancel.ics"]);
    expect(parseCalendar(cancelFiles[0]!.content.toString("utf8")).method).toBe("CANCEL");
  });
});

describe("the trainer's published feed", () => {
  it("parses, lists their sessions, and has no METHOD and no ATTENDEE", async () => {
    const w = await schedulingWorld(db());
    const trainer = await createTrainer(db(), { qualifiedFor: [w.courseId] });
    const ids: number[] = [];
    for (const weekday of [2, 4]) {
      const requestId = await createRequest(db(), { booker: w.booker, organisationId: w.organisationId, courseId: w.courseId });
      const id = await scheduleRequest(db(), w.coordinator, {
        requestId,
        startsAt: london(londonDate(1, weekday), "10:00"),
        location: { roomId: await createRoom(db()) },
      });
      await assignTrainer(db(), w.coordinator, { sessionId: id, trainerId: trainer.id });
      ids.push(id);
    }
    const token = await issueFeedToken(db(), trainer);
    const feed = await feedForToken(db(), token);
    expect(feed).not.toBeNull();
    const cal = new ICAL.Component(ICAL.parse(feed!));
    expect(cal.getFirstPropertyValue("method")).toBeNull();
    const events = cal.getAllSubcomponents("vevent");
    const uids = await db().selectFrom("sessions").select("ical_uid").where("id", "in", ids).orderBy("starts_at").execute();
    expect(events.map((e) => e.getFirstPropertyValue("uid"))).toEqual(uids.map((u) => u.ical_uid));
    for (const e of events) {
      expect(e.getAllProperties("attendee")).toHaveLength(0);
      expect((e.getFirstPropertyValue("dtstart") as ICAL.Time).zone?.tzid).toBe("UTC");
    }
    expect(icsLines(feed!).some((l) => /^(METHOD|ATTENDEE)[:;]/.test(l))).toBe(false);
    expect(await feedForToken(db(), `${token}x`)).toBeNull();
  });

  it("buildPublishedCalendar keeps a cancelled session as STATUS:CANCELLED", () => {
    const ics = buildPublishedCalendar("Feed", [{ ...SESSION, cancelled: true }]);
    const cal = new ICAL.Component(ICAL.parse(ics));
    expect(cal.getFirstPropertyValue("method")).toBeNull();
    expect(cal.getFirstSubcomponent("vevent")?.getFirstPropertyValue("status")).toBe("CANCELLED");
  });
});

// ---- Clock changes --------------------------------------------------------------------------

const SESSION: CalendarSession = {
  uid: "session-dst@neverok.example",
  sequence: 0,
  courseName: "Active Bystander",
  organisationName: "Rowing Club",
  startsAt: "2025-10-27T10:00:00.000Z",
  endsAt: "2025-10-27T11:30:00.000Z",
  location: "Boat House",
  description: "Bring the team",
  cancelled: false,
};

describe("times across the October 2025 clock change", () => {
  it("writes 10:00 London as 10:00Z on the Monday after the change and 09:00Z on the Friday before", async () => {
    pinClock("2025-10-01T12:00:00Z");
    const w = await schedulingWorld(db());
    const after = londonWallTimeToUtc("2025-10-27", "10:00");
    const before = londonWallTimeToUtc("2025-10-24", "10:00");
    for (const startsAt of [after, before]) {
      const requestId = await createRequest(db(), { booker: w.booker, organisationId: w.organisationId, courseId: w.courseId });
      await scheduleRequest(db(), w.coordinator, { requestId, startsAt, location: { roomId: await createRoom(db()) } });
    }
    const [first, second] = (await outboxTo(db(), w.booker.email, "session-scheduled")).map((m) => icsLines(icsAttachment(m)));
    expect(first).toContain("DTSTART:20251027T100000Z");
    expect(first).toContain("DTEND:20251027T113000Z");
    expect(second).toContain("DTSTART:20251024T090000Z");
    expect(second).toContain("DTEND:20251024T103000Z");
  });

  it("gives the same DTSTART and DTEND whatever the server's TZ", async () => {
    const script = `
      const { buildItipEvent } = await import("#app/calendar/ical.server.ts");
      const { londonWallTimeToUtc } = await import("#app/utils/dates.ts");
      const starts = [["2025-10-24", "10:00"], ["2025-10-27", "10:00"], ["2026-03-27", "10:00"], ["2026-03-30", "10:00"]];
      for (const [date, time] of starts) {
        const start = londonWallTimeToUtc(date, time);
        const end = new Date(start.getTime() + 90 * 60000);
        const ics = buildItipEvent({ uid: "u@x", sequence: 0, courseName: "C", organisationName: null, startsAt: start.toISOString(), endsAt: end.toISOString(), location: "L", description: "D", cancelled: false }, "REQUEST", { email: "a@example.ac.uk", name: "A" });
        console.log(ics.split(/\\r?\\n/).filter((l) => /^DT(START|END)/.test(l)).join(" "));
      }
    `;
    const run = promisify(execFile);
    const cwd = path.resolve(import.meta.dirname, "../..");
    const outputs = await Promise.all(
      ["UTC", "Europe/London", "America/New_York"].map(async (TZ) => {
        const { stdout } = await run(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
          cwd,
          env: { ...process.env, TZ },
          timeout: 60_000,
        });
        return stdout.trim();
      }),
    );
    expect(outputs[0]).toBe(
      [
        "DTSTART:20251024T090000Z DTEND:20251024T103000Z",
        "DTSTART:20251027T100000Z DTEND:20251027T113000Z",
        "DTSTART:20260327T100000Z DTEND:20260327T113000Z",
        "DTSTART:20260330T090000Z DTEND:20260330T103000Z",
      ].join("\n"),
    );
    expect(outputs[1]).toBe(outputs[0]);
    expect(outputs[2]).toBe(outputs[0]);
  }, 90_000);

  it("buildItipEvent copies the instants it is given, in UTC", () => {
    const lines = icsLines(buildItipEvent(SESSION, "REQUEST", { email: "sam@example.ac.uk", name: "Sam" }));
    expect(lines).toContain("DTSTART:20251027T100000Z");
    expect(lines).toContain("DTEND:20251027T113000Z");
    expect(lines).toContain("METHOD:REQUEST");
    expect(lines).toContain("SEQUENCE:0");
  });

  it("ends an invitation and a published calendar with CRLF after END:VCALENDAR, as RFC 5545 ends every line", () => {
    for (const ics of [buildItipEvent(SESSION, "CANCEL", { email: "sam@example.ac.uk", name: "Sam" }), buildPublishedCalendar("Feed", [SESSION])]) {
      expect(ics.endsWith("\r\nEND:VCALENDAR\r\n")).toBe(true);
      expect(ics.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
    }
  });
});

// ---- Free text in names, parameters and text values ------------------------------------------

/** Names a person could type, each trying to break out of the CN parameter or the value. */
const HOSTILE_NAMES = [
  'Eve" ;ATTENDEE;CN=x:mailto:mallory@evil.example',
  'Eve "The Boss", Ltd',
  "Eve; ROLE=CHAIR",
  "Eve: mailto:mallory@evil.example",
  'Eve \\ Backslash \\" quote',
  "Eve\r\nATTENDEE:mailto:mallory@evil.example",
  "Eve\nBEGIN:VEVENT",
  "Eve <mallory@evil.example>, Mallory <m2@evil.example>",
  "Zoë ^ Caret ^' Ñandú",
  "x".repeat(118) + '"',
];

/** What the CN of a name must read as after a calendar program has parsed it. */
/** ical.js leaves unknown properties (NAME, X-WR-CALNAME) as written: RFC 5545 TEXT unescaping. */
const unescapeText = (value: unknown) => String(value).replace(/\\([\\;,nN])/g, (_, c: string) => (c.toLowerCase() === "n" ? "\n" : c));

const shownAs = (name: string) =>
  name
    .replace(/[\r\n]+/g, " ")
    .replace(/\\/g, "")
    .replace(/\s+/g, " ")
    .trim();

function people(ics: string, kind: "attendee" | "organizer") {
  const cal = new ICAL.Component(ICAL.parse(ics));
  return cal
    .getAllSubcomponents("vevent")
    .flatMap((e) =>
      e.getAllProperties(kind).map((p) => ({ address: String(p.getFirstValue()).toLowerCase(), name: p.getParameter("cn") as string | undefined })),
    );
}

describe("names and free text in calendars", () => {
  it("an invitation, its updates and its cancellation have exactly one ATTENDEE, the recipient, whatever their name", async () => {
    for (const name of HOSTILE_NAMES) {
      const w = await schedulingWorld(db());
      const { booker } = await createBooker(db(), { organisationId: w.organisationId, name });
      const requestId = await createRequest(db(), { booker, organisationId: w.organisationId, courseId: w.courseId });
      const roomId = await createRoom(db());
      const sessionId = await scheduleRequest(db(), w.coordinator, { requestId, startsAt: london(londonDate(2, 2), "14:00"), location: { roomId } });
      await rescheduleSession(db(), w.coordinator, { sessionId, startsAt: london(londonDate(2, 3), "14:00"), location: { roomId }, reason: "Moved" });
      await cancelSession(db(), w.coordinator, sessionId, "Called off");
      const mails = await outboxTo(db(), booker.email);
      expect(mails.map((m) => m.template)).toEqual(["session-scheduled", "session-rescheduled", "session-cancelled"]);
      for (const mail of mails) {
        const ics = icsAttachment(mail);
        expect(people(ics, "attendee"), JSON.stringify(name)).toEqual([{ address: `mailto:${booker.email}`, name: shownAs(name) }]);
        expect(people(ics, "organizer")).toEqual([{ address: `mailto:${FROM_ADDRESS}`, name: "Campaign Team" }]);
        expect(icsLines(ics).filter((l) => /^(ATTENDEE|ORGANIZER)[;:]/.test(l))).toHaveLength(2);
        // RFC 5545: no DQUOTE inside a quoted parameter value, and no control character anywhere.
        for (const line of icsLines(ics).filter((l) => /^(ATTENDEE|ORGANIZER)[;:]/.test(l))) {
          expect(line).toMatch(/;CN="[^"]*"(;|:)/);
        }
        expect(ics).not.toMatch(FORBIDDEN_IN_ICAL);
        // The same calendar inline, and the message's own recipients untouched.
        const parsed = await simpleParser(mail.raw_mime);
        const to = Array.isArray(parsed.to) ? parsed.to : [parsed.to];
        expect(to.flatMap((a) => a?.value ?? []).map((a) => a.address)).toEqual([booker.email]);
      }
    }
  });

  it("an open session's attendee gets one ATTENDEE of their own, whatever their name", async () => {
    const { createOpenSession } = await import("#app/signup/open-sessions.server.ts");
    const { register } = await import("#app/signup/registrations.server.ts");
    const w = await schedulingWorld(db());
    const sessionId = await createOpenSession(db(), w.coordinator, openSessionInput(w.courseId, { title: null, address: "Hall", capacity: 50 }));
    for (const [i, name] of HOSTILE_NAMES.entries()) {
      const email = `hostile-${i}-${Date.now()}@example.ac.uk`;
      await register(db(), sessionId, { name, email, studentId: null, accessibilityNeeds: null, answer: null });
      const [mail] = await outboxTo(db(), email);
      expect(people(icsAttachment(mail!), "attendee"), JSON.stringify(name)).toEqual([{ address: `mailto:${email}`, name: shownAs(name) }]);
    }
  });

  it("escapes commas, semicolons, backslashes and line breaks in SUMMARY, LOCATION and DESCRIPTION", () => {
    const text = 'A, B; C\\ D "E" :F\r\nATTENDEE:mailto:mallory@evil.example\nEND:VEVENT\u0007';
    const session: CalendarSession = { ...SESSION, courseName: text, organisationName: text, location: text, description: text };
    for (const ics of [buildItipEvent(session, "REQUEST", { email: "sam@example.ac.uk", name: text }), buildPublishedCalendar(text, [session])]) {
      const cal = new ICAL.Component(ICAL.parse(ics));
      const [event, ...more] = cal.getAllSubcomponents("vevent");
      expect(more).toHaveLength(0);
      const clean = text.replace("\u0007", "").replace("\r\n", "\n");
      expect(event!.getFirstPropertyValue("summary")).toBe(`#NeverOK ${clean} – ${clean}`);
      expect(event!.getFirstPropertyValue("location")).toBe(clean);
      expect(event!.getFirstPropertyValue("description")).toBe(clean);
      expect(event!.getAllProperties("attendee").length).toBeLessThanOrEqual(1);
      expect(ics).not.toMatch(FORBIDDEN_IN_ICAL);
    }
    const feed = new ICAL.Component(ICAL.parse(buildPublishedCalendar(text, [SESSION])));
    for (const prop of ["name", "x-wr-calname"]) {
      expect(feed.getAllProperties(prop)).toHaveLength(1);
      expect(unescapeText(feed.getFirstPropertyValue(prop))).toBe(text.replace("\u0007", "").replace("\r\n", "\n"));
    }
  });

  it("a trainer's feed stays one calendar of their sessions, with no ATTENDEE, whatever the trainer's and organisation's names", async () => {
    for (const name of HOSTILE_NAMES.slice(0, 6)) {
      const w = await schedulingWorld(db());
      const trainer = await createTrainer(db(), { name, qualifiedFor: [w.courseId] });
      const requestId = await createRequest(db(), { booker: w.booker, organisationId: w.organisationId, courseId: w.courseId });
      const id = await scheduleRequest(db(), w.coordinator, {
        requestId,
        startsAt: london(londonDate(1, 2), "10:00"),
        location: { roomId: await createRoom(db(), { name }) },
      });
      await assignTrainer(db(), w.coordinator, { sessionId: id, trainerId: trainer.id });
      const feed = (await feedForToken(db(), await issueFeedToken(db(), trainer)))!;
      const cal = new ICAL.Component(ICAL.parse(feed));
      expect(cal.getAllSubcomponents("vevent")).toHaveLength(1);
      expect(people(feed, "attendee")).toEqual([]);
      expect(people(feed, "organizer")).toEqual([{ address: `mailto:${FROM_ADDRESS}`, name: "Campaign Team" }]);
      expect(unescapeText(cal.getFirstPropertyValue("x-wr-calname"))).toBe(`NeverOK Training: ${name.replace(/\r\n/g, "\n")}`);
      expect(feed).not.toMatch(FORBIDDEN_IN_ICAL);
    }
  });

  it("writes an organiser's name with quotes and commas as one ORGANIZER", () => {
    restores.push(setEnvForTest({ MAIL_FROM: `"Campaign \\"Team\\", Bath; x" <${FROM_ADDRESS}>` }));
    const ics = buildItipEvent(SESSION, "REQUEST", { email: "sam@example.ac.uk", name: "Sam" });
    expect(people(ics, "organizer")).toEqual([{ address: `mailto:${FROM_ADDRESS}`, name: 'Campaign "Team", Bath; x' }]);
    expect(people(ics, "attendee")).toEqual([{ address: "mailto:sam@example.ac.uk", name: "Sam" }]);
  });

  it("refuses to write an attendee that is not one plain address", () => {
    for (const email of ["a@b.example, c@d.example", "a@b.example;x", "<a@b.example>", "a@b.example\r\nATTENDEE:mailto:c@d.example"]) {
      expect(() => buildItipEvent(SESSION, "REQUEST", { email, name: "A" }), email).toThrow();
    }
  });
});
