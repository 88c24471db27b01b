import { Text } from "@react-email/components";
import { EXAMPLE_SESSION, type SessionDetailsProps } from "./_components/session-details.tsx";
import { emailText, SessionNotice } from "./_components/session-notice.tsx";

export interface SessionScheduledEmailProps {
  name: string;
  session: SessionDetailsProps;
  url: string;
}

export default function SessionScheduledEmail({ name, session, url }: SessionScheduledEmailProps) {
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
    </SessionNotice>
  );
}

SessionScheduledEmail.PreviewProps = {
  name: "Priya Shah",
  session: EXAMPLE_SESSION,
  url: "http://localhost:3000/",
} satisfies SessionScheduledEmailProps;
