import { Text } from "@react-email/text";
import { EXAMPLE_SESSION, type SessionDetailsProps } from "./_components/session-details.tsx";
import { emailText, SessionNotice } from "./_components/session-notice.tsx";
import { SupportSignpost } from "./_components/support.tsx";

export interface RegistrationConfirmedEmailProps {
  name: string;
  session: SessionDetailsProps;
  url: string;
}

export default function RegistrationConfirmedEmail({ name, session, url }: RegistrationConfirmedEmailProps) {
  return (
    <SessionNotice
      preview={`You have a place: ${session.course}, ${session.when}`}
      heading={"You have a place"}
      name={name}
      session={session}
      url={url}
      action="See or cancel my place"
    >
      <Text style={emailText.paragraph}>
        You are registered. The calendar invitation is attached: accept it to add the session to your calendar. If you can no longer come, please cancel so
        someone on the waiting list can have your place.
      </Text>
      <SupportSignpost />
    </SessionNotice>
  );
}

RegistrationConfirmedEmail.PreviewProps = {
  name: "Jamie Lee",
  session: EXAMPLE_SESSION,
  url: "http://localhost:3000/registrations/example-token",
} satisfies RegistrationConfirmedEmailProps;
