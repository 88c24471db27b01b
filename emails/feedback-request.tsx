import { Text } from "@react-email/text";
import { EXAMPLE_SESSION, type SessionDetailsProps } from "./_components/session-details.tsx";
import { emailText, SessionNotice } from "./_components/session-notice.tsx";
import { EXAMPLE_SUPPORT, SupportDirectory, type SupportDirectoryEntry } from "./_components/support-directory.tsx";

export interface FeedbackRequestEmailProps {
  name: string;
  session: SessionDetailsProps;
  url: string;
  support: SupportDirectoryEntry[];
}

export default function FeedbackRequestEmail({ name, session, url, support }: FeedbackRequestEmailProps) {
  return (
    <SessionNotice
      preview={`How was ${session.course}? Two minutes of feedback`}
      heading={"How was the session?"}
      name={name}
      session={session}
      url={url}
      action="Give feedback"
      afterAction={<SupportDirectory services={support} />}
    >
      <Text style={emailText.paragraph}>
        Thank you for coming. Would you tell us how it went? It takes two minutes, your answers are not shown with your name, and they help us make the training
        better. The link works once and for 30 days.
      </Text>
    </SessionNotice>
  );
}

FeedbackRequestEmail.PreviewProps = {
  name: "Jamie Lee",
  session: EXAMPLE_SESSION,
  url: "http://localhost:3000/registrations/example-token",
  support: EXAMPLE_SUPPORT,
} satisfies FeedbackRequestEmailProps;
