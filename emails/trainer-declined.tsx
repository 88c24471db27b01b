import { Text } from "@react-email/text";
import { EXAMPLE_SESSION, type SessionDetailsProps } from "./_components/session-details.tsx";
import { emailText, SessionNotice } from "./_components/session-notice.tsx";

export interface TrainerDeclinedEmailProps {
  name: string;
  session: SessionDetailsProps;
  url: string;
  trainerName: string;
  reason: string;
}

export default function TrainerDeclinedEmail({ name, session, url, trainerName, reason }: TrainerDeclinedEmailProps) {
  return (
    <SessionNotice
      preview={`${trainerName} declined ${session.course}, ${session.when}`}
      heading={"A trainer has declined"}
      name={name}
      session={session}
      url={url}
      action="Find another trainer"
    >
      <Text style={emailText.paragraph}>
        {trainerName} cannot deliver the session below. Reason: {reason}. It is back in your queue for another trainer.
      </Text>
    </SessionNotice>
  );
}

TrainerDeclinedEmail.PreviewProps = {
  name: "Priya Shah",
  session: EXAMPLE_SESSION,
  url: "http://localhost:3000/",
  trainerName: "Chloe Bennett",
  reason: "I am at a conference that week.",
} satisfies TrainerDeclinedEmailProps;
