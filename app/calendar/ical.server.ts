import ical, { ICalCalendarMethod, ICalEventStatus, ICalAttendeeRole, ICalAttendeeStatus } from "ical-generator";
import { displayName, mailFrom, requirePlainAddress } from "#app/email/addresses.server.ts";
import { now } from "#app/utils/time.ts";

/** What a calendar needs to know about a session. Times are instants; they are written in UTC. */
export interface CalendarSession {
  uid: string;
  sequence: number;
  courseName: string;
  organisationName: string | null;
  startsAt: string;
  endsAt: string;
  location: string;
  description: string;
  cancelled: boolean;
  /** When the session's record last changed: a published calendar's DTSTAMP, so the same records give the same bytes. */
  revisedAt?: string;
}

/** How often a subscribed calendar should fetch a feed again (REFRESH-INTERVAL and X-PUBLISHED-TTL). */
export const FEED_REFRESH_SECONDS = 60 * 60;

/**
 * Free text for a TEXT value (SUMMARY, LOCATION, DESCRIPTION, the calendar's name). ical-generator
 * escapes backslashes, commas, semicolons and line breaks there; RFC 5545 allows no other control
 * character in text at all, so those are dropped.
 */
export function icalText(text: string): string {
  // eslint-disable-next-line no-control-regex -- these are the control characters to drop
  return text.normalize("NFC").replace(/[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]/g, "");
}

/**
 * A name as a quoted parameter value (the CN of ORGANIZER and ATTENDEE). RFC 5545 allows neither
 * DQUOTE nor a control character inside one and has no escape for them; ical-generator's \" is not
 * valid and lets a name close the quotes and add an attendee. RFC 6868 writes " as ^' (and ^ as
 * ^^), which calendar programs decode; line breaks and controls become spaces. A backslash is no
 * escape in a parameter, but ical-generator would double it, so it is left out.
 */
export function icalParameterText(name: string): string {
  return displayName(name.replace(/\\/g, "")).replace(/\^/g, "^^").replace(/"/g, "^'");
}

/** The calendar's own name (NAME, X-WR-CALNAME), which ical-generator writes as given: escaped here as TEXT. */
function calendarName(name: string): string {
  return icalText(name)
    .replace(/[\\;,]/g, (c) => `\\${c}`)
    .replace(/\r\n|\r|\n/g, "\\n");
}

function organizer() {
  const from = mailFrom();
  return { name: icalParameterText(from.name) || "NeverOK Training", email: requirePlainAddress(from.address) };
}

export function sessionSummary(s: Pick<CalendarSession, "courseName" | "organisationName">) {
  return `#NeverOK ${s.courseName}${s.organisationName ? ` – ${s.organisationName}` : ""}`;
}

function calendar(method: ICalCalendarMethod | null, name?: string) {
  return ical({
    prodId: { company: "NeverOK", product: "Training", language: "EN" },
    method: method ?? undefined,
    name: name ? calendarName(name) : null,
  });
}

/** RFC 5545 ends every content line with CRLF, the last one too; ical-generator leaves END:VCALENDAR without it. */
function calendarText(cal: ReturnType<typeof calendar>): string {
  return `${cal.toString()}\r\n`;
}

function eventText(s: CalendarSession) {
  return { summary: icalText(sessionSummary(s)), description: icalText(s.description), location: icalText(s.location) };
}

/**
 * One event for one recipient, as an iTIP message: REQUEST for an invite or an update (same UID,
 * higher SEQUENCE), CANCEL with STATUS:CANCELLED. ORGANIZER is the From address; the only ATTENDEE
 * is the recipient, so nobody on sensitive training sees anyone else's address.
 */
export function buildItipEvent(session: CalendarSession, method: "REQUEST" | "CANCEL", attendee: { email: string; name: string | null }): string {
  const cal = calendar(method === "REQUEST" ? ICalCalendarMethod.REQUEST : ICalCalendarMethod.CANCEL);
  const name = attendee.name ? icalParameterText(attendee.name) : "";
  cal.createEvent({
    id: session.uid,
    sequence: session.sequence,
    stamp: now(),
    start: new Date(session.startsAt),
    end: new Date(session.endsAt),
    ...eventText(session),
    status: method === "CANCEL" || session.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    organizer: organizer(),
    attendees: [
      {
        email: requirePlainAddress(attendee.email),
        name: name || undefined,
        role: ICalAttendeeRole.REQ,
        status: ICalAttendeeStatus.NEEDSACTION,
        rsvp: false,
      },
    ],
  });
  return calendarText(cal);
}

/**
 * A plain published calendar (a trainer's feed, a session download): no METHOD, no ATTENDEE. Each
 * event's DTSTAMP is when its record last changed (RFC 5545's meaning without a METHOD), so the same
 * records always give the same text, and an ETag taken from the text changes only when they do.
 * REFRESH-INTERVAL and X-PUBLISHED-TTL ask subscribers to fetch it hourly: without them Outlook may
 * wait a week.
 */
export function buildPublishedCalendar(name: string, sessions: CalendarSession[]): string {
  const cal = calendar(null, name);
  cal.ttl(FEED_REFRESH_SECONDS);
  const from = organizer();
  for (const s of sessions) {
    cal.createEvent({
      id: s.uid,
      sequence: s.sequence,
      stamp: s.revisedAt ? new Date(s.revisedAt) : now(),
      start: new Date(s.startsAt),
      end: new Date(s.endsAt),
      ...eventText(s),
      status: s.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      organizer: from,
    });
  }
  return calendarText(cal);
}

export function newSessionUid(): string {
  const domain = mailFrom().address.split("@")[1] ?? "neverok.example";
  return `session-${crypto.randomUUID()}@${domain}`;
}
