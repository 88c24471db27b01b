import { CoordinatorContactLine, EXAMPLE_CONTACT, type CoordinatorContactProps } from "./_components/coordinator-contact.tsx";
import { Text } from "@react-email/text";
import { EXAMPLE_SESSION, type SessionDetailsProps } from "./_components/session-details.tsx";
import { emailText, SessionNotice } from "./_components/session-notice.tsx";

export interface SessionScheduledEmailProps {
  name: string;
  session: SessionDetailsProps;
  url: string;
  /** To the booker: whom to contact about their booking. */
  contact?: CoordinatorContactProps | null;
}

export default function SessionScheduledEmail({ name, session, url, contact }: SessionScheduledEmailProps) {
  return (
    <SessionNotice
      preview={`Confirmed: ${session.course}, ${session.when}`}
      heading={"Your session is confirmed"}
      name={name}
      session={session}
      url={url}
      action="See the booking"
    >
      <Text style={emailText.paragraph}>
        Your #NeverOK training is booked. The calendar invitation is attached: accept it to add the session to your calendar. If anything changes, you will get
        an update to the same event.
      </Text>
      <Text style={emailText.paragraph}>To ask for a change, or to cancel, open the booking with the button below.</Text>
      <CoordinatorContactLine contact={contact} />
    </SessionNotice>
  );
}

SessionScheduledEmail.PreviewProps = {
  name: "Priya Shah",
  session: EXAMPLE_SESSION,
  url: "http://localhost:3000/",
  contact: EXAMPLE_CONTACT,
} satisfies SessionScheduledEmailProps;
