import { CoordinatorContactLine, EXAMPLE_CONTACT, type CoordinatorContactProps } from "./_components/coordinator-contact.tsx";
import { Text } from "@react-email/components";
import { EXAMPLE_SESSION, type SessionDetailsProps } from "./_components/session-details.tsx";
import { emailText, SessionNotice } from "./_components/session-notice.tsx";

export interface SessionCancelledEmailProps {
  name: string;
  session: SessionDetailsProps;
  url: string;
  reason: string;
  /** To the booker: whom to contact about their booking. */
  contact?: CoordinatorContactProps | null;
}

export default function SessionCancelledEmail({ name, session, url, reason, contact }: SessionCancelledEmailProps) {
  return (
    <SessionNotice
      preview={`Cancelled: ${session.course}, ${session.when}`}
      heading={"This session is cancelled"}
      name={name}
      session={session}
      url={url}
      action="See your bookings"
    >
      <Text style={emailText.paragraph}>The session below will not take place. The attached cancellation removes it from your calendar.</Text>
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
} satisfies SessionCancelledEmailProps;
