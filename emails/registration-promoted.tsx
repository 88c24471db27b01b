import { Text } from "@react-email/text";
import { EXAMPLE_SESSION, type SessionDetailsProps } from "./_components/session-details.tsx";
import { emailText, SessionNotice } from "./_components/session-notice.tsx";
import { SupportSignpost } from "./_components/support.tsx";

export interface RegistrationPromotedEmailProps {
  name: string;
  session: SessionDetailsProps;
  url: string;
}

export default function RegistrationPromotedEmail({ name, session, url }: RegistrationPromotedEmailProps) {
  return (
    <SessionNotice
      preview={`A place is yours: ${session.course}, ${session.when}`}
      heading={"A place has come free: it is yours"}
      name={name}
      session={session}
      url={url}
      action="See or cancel my place"
    >
      <Text style={emailText.paragraph}>
        Someone cancelled, so you have moved from the waiting list to a place. The calendar invitation is attached. If you can no longer come, please cancel so
        the next person can have it.
      </Text>
      <SupportSignpost />
    </SessionNotice>
  );
}

RegistrationPromotedEmail.PreviewProps = {
  name: "Jamie Lee",
  session: EXAMPLE_SESSION,
  url: "http://localhost:3000/registrations/example-token",
} satisfies RegistrationPromotedEmailProps;
