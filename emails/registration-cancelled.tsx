import { Text } from "@react-email/components";
import { EXAMPLE_SESSION, type SessionDetailsProps } from "./_components/session-details.tsx";
import { emailText, SessionNotice } from "./_components/session-notice.tsx";
import { SupportSignpost } from "./_components/support.tsx";

export interface RegistrationCancelledEmailProps {
  name: string;
  session: SessionDetailsProps;
  url: string;
  reason: string;
}

export default function RegistrationCancelledEmail({ name, session, url, reason }: RegistrationCancelledEmailProps) {
  return (
    <SessionNotice
      preview={`Cancelled: your place on ${session.course}, ${session.when}`}
      heading={"Your place is cancelled"}
      name={name}
      session={session}
      url={url}
      action="See open sessions"
    >
      <Text style={emailText.paragraph}>{reason}</Text>
      <Text style={emailText.paragraph}>The attached cancellation removes the session from your calendar. You are welcome to sign up to another session.</Text>
      <SupportSignpost />
    </SessionNotice>
  );
}

RegistrationCancelledEmail.PreviewProps = {
  name: "Jamie Lee",
  session: EXAMPLE_SESSION,
  url: "http://localhost:3000/registrations/example-token",
  reason: "You cancelled your place.",
} satisfies RegistrationCancelledEmailProps;
