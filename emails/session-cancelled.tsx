import { CoordinatorContactLine, EXAMPLE_CONTACT, type CoordinatorContactProps } from "./_components/coordinator-contact.tsx";
import { Text } from "@react-email/text";
import { EXAMPLE_SESSION, type SessionDetailsProps } from "./_components/session-details.tsx";
import { emailText, SessionNotice } from "./_components/session-notice.tsx";

export interface SessionCancelledEmailProps {
  name: string;
  session: SessionDetailsProps;
  url: string;
  reason: string;
  /** Someone on the waiting list never had the event in their calendar, so nothing is attached for them. */
  calendarAttached: boolean;
  /** To the booker: whom to contact about their booking. */
  contact?: CoordinatorContactProps | null;
}

export default function SessionCancelledEmail({ name, session, url, reason, calendarAttached, contact }: SessionCancelledEmailProps) {
  return (
    <SessionNotice
      preview={`Cancelled: ${session.course}, ${session.when}`}
      heading={"This session is cancelled"}
      name={name}
      session={session}
      url={url}
      action="Open NeverOK Training"
    >
      <Text style={emailText.paragraph}>
        The session below will not take place.
        {calendarAttached ? " The attached cancellation removes it from your calendar." : " You were on its waiting list, which is closed with it."}
      </Text>
      <Text style={emailText.paragraph}>Reason: {reason}</Text>
      <CoordinatorContactLine contact={contact} />
    </SessionNotice>
  );
}

SessionCancelledEmail.PreviewProps = {
  name: "Priya Shah",
  session: EXAMPLE_SESSION,
  url: "http://localhost:3000/",
  reason: "The group has moved its induction to next term.",
  contact: EXAMPLE_CONTACT,
  calendarAttached: true,
} satisfies SessionCancelledEmailProps;
