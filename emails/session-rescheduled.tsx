import { Text } from "@react-email/text";
import { CoordinatorContactLine, type CoordinatorContactProps } from "./_components/coordinator-contact.tsx";
import { EXAMPLE_SESSION, type SessionDetailsProps } from "./_components/session-details.tsx";
import { emailText, SessionNotice } from "./_components/session-notice.tsx";

export interface SessionRescheduledEmailProps {
  name: string;
  session: SessionDetailsProps;
  url: string;
  previousWhen: string;
  previousWhere: string;
  reason: string;
  /** For someone who signed up: their place, or where they stand on the waiting list. */
  place?: { waitingPosition: number | null } | null;
  /** To the booker whose change this move accepts: what they asked for. */
  changeAccepted?: string[];
  /** To the booker: whom to contact about it. */
  contact?: CoordinatorContactProps | null;
}

export default function SessionRescheduledEmail({
  name,
  session,
  url,
  previousWhen,
  previousWhere,
  reason,
  place,
  changeAccepted,
  contact,
}: SessionRescheduledEmailProps) {
  const waiting = place?.waitingPosition ?? null;
  return (
    <SessionNotice
      preview={`Moved: ${session.course} is now ${session.when}`}
      heading={"Your session has moved"}
      name={name}
      session={session}
      url={url}
      action={waiting !== null ? "See or leave the waiting list" : place ? "See or cancel my place" : "See the session"}
    >
      {waiting !== null ? (
        <>
          <Text style={emailText.paragraph}>
            The session you are waiting for was {previousWhen} at {previousWhere}. The new details are below.
          </Text>
          <Text style={emailText.paragraph}>
            You are still number {waiting} on the waiting list. If a place comes free we give it to the first person waiting and email you with a calendar
            invitation. If the new time does not suit you, please leave the list.
          </Text>
        </>
      ) : (
        <Text style={emailText.paragraph}>
          This session was {previousWhen} at {previousWhere}. The new details are below, and the attached update moves the event in your calendar.
          {place ? " If you can no longer come, please cancel your place so someone on the waiting list can have it." : null}
        </Text>
      )}
      <Text style={emailText.paragraph}>Reason: {reason}</Text>
      {changeAccepted ? (
        <>
          <Text style={emailText.paragraph}>This answers the change you asked for:</Text>
          {changeAccepted.map((c) => (
            <Text key={c} style={emailText.paragraph}>
              {c}
            </Text>
          ))}
        </>
      ) : null}
      <CoordinatorContactLine contact={contact} />
    </SessionNotice>
  );
}

SessionRescheduledEmail.PreviewProps = {
  name: "Priya Shah",
  session: EXAMPLE_SESSION,
  url: "http://localhost:3000/",
  previousWhen: "Mon 13 Oct 2025, 10:00–11:30",
  previousWhere: "Meeting Room 3, Students' Union",
  reason: "The room was needed for exams.",
} satisfies SessionRescheduledEmailProps;
