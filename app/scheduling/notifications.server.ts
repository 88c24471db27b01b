import type { ReactElement } from "react";
import type { Db } from "#db/schema.ts";
import type { SessionDetailsProps } from "#emails/_components/session-details.tsx";
import { buildItipEvent, type CalendarSession } from "#app/calendar/ical.server.ts";
import { composeEmail, enqueueEmail } from "#app/email/outbox.server.ts";
import { formatRange } from "#app/utils/dates.ts";
import { getEnv } from "#app/utils/env.server.ts";
import { activeTrainers, sessionWhere, type SessionDetail } from "./session-detail.server.ts";
import { plural, PEOPLE } from "#app/utils/plural.ts";

export function calendarSession(s: SessionDetail): CalendarSession {
  const trainers = activeTrainers(s).map((t) => t.name);
  const lines = [
    s.course.description,
    "",
    s.organisation ? `For: ${s.organisation.name}${s.request ? ` (${plural(s.request.groupSize, PEOPLE)})` : ""}` : null,
    trainers.length ? `Trainers: ${trainers.join(", ")}` : null,
    s.room?.accessibilityNotes ? `Access: ${s.room.accessibilityNotes}` : null,
    `Details: ${getEnv().APP_URL}/sessions/${s.id}`,
    "",
    "Support is always available: Report + Support, the Advice and Support Centre, or 999 in an emergency.",
  ].filter((l): l is string => l !== null);
  return {
    uid: s.icalUid,
    sequence: s.icalSequence,
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
 * invitation: the text/calendar part inside multipart/alternative, and the same .ics attached.
 * Messages about one session share an ordering key, so they are delivered in the order written.
 */
export async function enqueueSessionEmail(
  trx: Db,
  s: SessionDetail,
  to: Recipient,
  message: { template: string; subject: string; react: ReactElement; calendar?: "REQUEST" | "CANCEL"; orderingKey?: string },
) {
  const ics = message.calendar ? buildItipEvent(calendarSession(s), message.calendar, { email: to.email, name: to.name }) : null;
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
