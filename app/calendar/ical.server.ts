import ical, { ICalCalendarMethod, ICalEventStatus, ICalAttendeeRole, ICalAttendeeStatus } from "ical-generator";
import { getEnv } from "#app/utils/env.server.ts";
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
}

export function mailFromAddress(): { name: string; email: string } {
  const from = getEnv().MAIL_FROM;
  const match = /^\s*"?([^"<]*)"?\s*<([^>]+)>\s*$/.exec(from);
  return match ? { name: match[1]!.trim() || "NeverOK Training", email: match[2]!.trim() } : { name: "NeverOK Training", email: from.trim() };
}

export function sessionSummary(s: Pick<CalendarSession, "courseName" | "organisationName">) {
  return `#NeverOK ${s.courseName}${s.organisationName ? ` – ${s.organisationName}` : ""}`;
}

function calendar(method: ICalCalendarMethod | null, name?: string) {
  return ical({
    prodId: { company: "NeverOK", product: "Training", language: "EN" },
    method: method ?? undefined,
    name: name ?? null,
  });
}

/**
 * One event for one recipient, as an iTIP message: REQUEST for an invite or an update (same UID,
 * higher SEQUENCE), CANCEL with STATUS:CANCELLED. ORGANIZER is the From address; the only ATTENDEE
 * is the recipient, so nobody on sensitive training sees anyone else's address.
 */
export function buildItipEvent(session: CalendarSession, method: "REQUEST" | "CANCEL", attendee: { email: string; name: string | null }): string {
  const cal = calendar(method === "REQUEST" ? ICalCalendarMethod.REQUEST : ICalCalendarMethod.CANCEL);
  const organizer = mailFromAddress();
  cal.createEvent({
    id: session.uid,
    sequence: session.sequence,
    stamp: now(),
    start: new Date(session.startsAt),
    end: new Date(session.endsAt),
    summary: sessionSummary(session),
    description: session.description,
    location: session.location,
    status: method === "CANCEL" || session.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    organizer: { name: organizer.name, email: organizer.email },
    attendees: [
      {
        email: attendee.email,
        name: attendee.name ?? undefined,
        role: ICalAttendeeRole.REQ,
        status: ICalAttendeeStatus.NEEDSACTION,
        rsvp: false,
      },
    ],
  });
  return cal.toString();
}

/** A plain published calendar (a trainer's feed, a session download): no METHOD, no ATTENDEE. */
export function buildPublishedCalendar(name: string, sessions: CalendarSession[]): string {
  const cal = calendar(null, name);
  const organizer = mailFromAddress();
  for (const s of sessions) {
    cal.createEvent({
      id: s.uid,
      sequence: s.sequence,
      stamp: now(),
      start: new Date(s.startsAt),
      end: new Date(s.endsAt),
      summary: sessionSummary(s),
      description: s.description,
      location: s.location,
      status: s.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      organizer: { name: organizer.name, email: organizer.email },
    });
  }
  return cal.toString();
}

export function newSessionUid(): string {
  const domain = mailFromAddress().email.split("@")[1] ?? "neverok.example";
  return `session-${crypto.randomUUID()}@${domain}`;
}
