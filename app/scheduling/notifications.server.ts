import type { ReactElement } from "react";
import type { Db } from "#db/schema.ts";
import type { SessionDetailsProps } from "#emails/_components/session-details.tsx";
import { buildItipEvent, type CalendarSession } from "#app/calendar/ical.server.ts";
import { mailReplyTo } from "#app/email/addresses.server.ts";
import { composeEmail, enqueueEmail } from "#app/email/outbox.server.ts";
import { formatRange } from "#app/utils/dates.ts";
import { getEnv } from "#app/utils/env.server.ts";
import { raiseSequence } from "./sequence.server.ts";
import { activeTrainers, sessionWhere, type SessionDetail } from "./session-detail.server.ts";
import { plural, PEOPLE } from "#app/utils/plural.ts";

/**
 * The session as a calendar event. Calendar programs offer Yes and No on any invitation and mail the
 * answer to the organiser, where nothing reads it, so the description says where to answer instead:
 * `answerAt`, the person's own page for the session (a place's manage link, a trainer's or a booker's
 * page; by default the session's address, which takes a signed-in person to theirs), and who reads
 * replies by email.
 */
export function calendarSession(s: SessionDetail, answerAt: string | null = appUrl(`/sessions/${s.id}`)): CalendarSession {
  const trainers = activeTrainers(s).map((t) => t.name);
  const lines = [
    s.course.description,
    "",
    s.organisation ? `For: ${s.organisation.name}${s.request ? ` (${plural(s.request.groupSize, PEOPLE)})` : ""}` : null,
    trainers.length ? `Trainers: ${trainers.join(", ")}` : null,
    s.room?.accessibilityNotes ? `Access: ${s.room.accessibilityNotes}` : null,
    "",
    answerAt ? `To accept, decline or cancel, use NeverOK Training, not your calendar's reply buttons (those answers are not read): ${answerAt}` : null,
    `Questions: email ${mailReplyTo().address}`,
    "",
    "Support is always available: Report + Support, the Advice and Support Centre, or 999 in an emergency.",
  ].filter((l): l is string => l !== null);
  return {
    uid: s.icalUid,
    sequence: s.icalSequence,
    revisedAt: s.updatedAt,
    courseName: s.course.name,
    organisationName: s.organisation?.name ?? null,
    startsAt: s.startsAt,
    endsAt: s.endsAt,
    location: sessionWhere(s),
    description: lines.join("\n"),
    cancelled: s.status === "cancelled",
  };
}

export function sessionDetailsProps(s: SessionDetail): SessionDetailsProps {
  return {
    course: s.course.name,
    when: formatRange(s.startsAt, s.endsAt),
    where: sessionWhere(s),
    organisation: s.organisation?.name ?? null,
    groupSize: s.request?.groupSize ?? null,
    trainers: activeTrainers(s).map((t) => t.name),
  };
}

export interface Recipient {
  email: string;
  name: string;
}

/**
 * One message to one person about a session. With a calendar method, the message is a real
 * invitation: the text/calendar part inside multipart/alternative, and the same .ics attached, at
 * the SEQUENCE of this change (raised once per change, so a person's copies only ever go up).
 * `answerAt` is the recipient's own page for the session, which an invitation or update points to.
 * Messages about one session share an ordering key, so they are delivered in the order written.
 */
export async function enqueueSessionEmail(
  trx: Db,
  s: SessionDetail,
  to: Recipient,
  message: { template: string; subject: string; react: ReactElement; calendar?: "REQUEST" | "CANCEL"; answerAt?: string; orderingKey?: string },
) {
  let ics: string | null = null;
  if (message.calendar) {
    // A cancelled copy has nothing left to answer.
    const event = { ...calendarSession(s, message.calendar === "CANCEL" ? null : message.answerAt), sequence: await raiseSequence(trx, s.id) };
    ics = buildItipEvent(event, message.calendar, { email: to.email, name: to.name });
  }
  const email = await composeEmail({
    template: message.template,
    to: { email: to.email, name: to.name },
    subject: message.subject,
    react: message.react,
    orderingKey: message.orderingKey ?? `session-${s.id}`,
    calendar: ics && message.calendar ? { method: message.calendar, content: ics } : undefined,
    attachments: ics
      ? [
          {
            filename: message.calendar === "CANCEL" ? "cancel.ics" : "invite.ics",
            contentType: `text/calendar; charset=utf-8; method=${message.calendar}`,
            content: ics,
          },
        ]
      : undefined,
  });
  return enqueueEmail(trx, email);
}

/** Active coordinators, who are told about new requests and declined assignments. */
export function listCoordinators(db: Db): Promise<Recipient[]> {
  return db
    .selectFrom("users")
    .innerJoin("user_roles", "user_roles.user_id", "users.id")
    .select(["users.email", "users.name"])
    .where("user_roles.role", "=", "coordinator")
    .where("users.is_active", "=", 1)
    .execute();
}

export const appUrl = (path: string) => `${getEnv().APP_URL}${path}`;
