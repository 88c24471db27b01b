import { Text } from "@react-email/text";
import { EXAMPLE_SESSION, type SessionDetailsProps } from "./_components/session-details.tsx";
import { emailText, SessionNotice } from "./_components/session-notice.tsx";

export interface TrainerAssignedEmailProps {
  name: string;
  session: SessionDetailsProps;
  url: string;
  note: string | null;
}

export default function TrainerAssignedEmail({ name, session, url, note }: TrainerAssignedEmailProps) {
  return (
    <SessionNotice
      preview={`Please deliver: ${session.course}, ${session.when}`}
      heading={"You have been asked to deliver a session"}
      name={name}
      session={session}
      url={url}
      action="Accept or decline"
    >
      <Text style={emailText.paragraph}>
        The coordinator has assigned you to the session below. Please accept or decline it in NeverOK Training; the calendar invitation is attached.
      </Text>
      {note ? <Text style={emailText.paragraph}>Note from the coordinator: {note}</Text> : null}
    </SessionNotice>
  );
}

TrainerAssignedEmail.PreviewProps = {
  name: "Priya Shah",
  session: EXAMPLE_SESSION,
  url: "http://localhost:3000/",
  note: null,
} satisfies TrainerAssignedEmailProps;
