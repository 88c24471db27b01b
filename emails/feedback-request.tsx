import { Text } from "@react-email/components";
import { EXAMPLE_SESSION, type SessionDetailsProps } from "./_components/session-details.tsx";
import { emailText, SessionNotice } from "./_components/session-notice.tsx";
import { SupportSignpost } from "./_components/support.tsx";

export interface FeedbackRequestEmailProps {
  name: string;
  session: SessionDetailsProps;
  url: string;
}

export default function FeedbackRequestEmail({ name, session, url }: FeedbackRequestEmailProps) {
  return (
    <SessionNotice
      preview={`How was ${session.course}? Two minutes of feedback`}
      heading={"How was the session?"}
      name={name}
      session={session}
      url={url}
      action="Give feedback"
    >
      <Text style={emailText.paragraph}>
        Thank you for coming. Would you tell us how it went? It takes two minutes, your answers are not shown with your name, and they help us make the training
        better. The link works once and for 30 days.
      </Text>
      <SupportSignpost />
    </SessionNotice>
  );
}

FeedbackRequestEmail.PreviewProps = {
  name: "Jamie Lee",
  session: EXAMPLE_SESSION,
  url: "http://localhost:3000/registrations/example-token",
} satisfies FeedbackRequestEmailProps;
