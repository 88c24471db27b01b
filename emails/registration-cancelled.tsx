import { Text } from "@react-email/text";
import { EXAMPLE_SESSION, type SessionDetailsProps } from "./_components/session-details.tsx";
import { emailText, SessionNotice } from "./_components/session-notice.tsx";
import { SupportSignpost } from "./_components/support.tsx";

export interface RegistrationCancelledEmailProps {
  name: string;
  session: SessionDetailsProps;
  url: string;
  reason: string;
  /** A waiting-list entry was never a place and never had an invitation. */
  wasWaiting: boolean;
}

export default function RegistrationCancelledEmail({ name, session, url, reason, wasWaiting }: RegistrationCancelledEmailProps) {
  return (
    <SessionNotice
      preview={wasWaiting ? `Off the waiting list: ${session.course}, ${session.when}` : `Cancelled: your place on ${session.course}, ${session.when}`}
      heading={wasWaiting ? "You are off the waiting list" : "Your place is cancelled"}
      name={name}
      session={session}
      url={url}
      action="See open sessions"
    >
      <Text style={emailText.paragraph}>{reason}</Text>
      <Text style={emailText.paragraph}>
        {wasWaiting
          ? "You no longer have a place in the queue for the session below, which itself goes ahead. You are welcome to sign up to another session."
          : "The attached cancellation removes the session from your calendar. You are welcome to sign up to another session."}
      </Text>
      <SupportSignpost />
    </SessionNotice>
  );
}

RegistrationCancelledEmail.PreviewProps = {
  name: "Jamie Lee",
  session: EXAMPLE_SESSION,
  url: "http://localhost:3000/registrations/example-token",
  reason: "You cancelled your place.",
  wasWaiting: false,
} satisfies RegistrationCancelledEmailProps;
