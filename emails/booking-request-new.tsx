import { Text } from "@react-email/text";
import { EXAMPLE_SESSION, type SessionDetailsProps } from "./_components/session-details.tsx";
import { emailText, SessionNotice } from "./_components/session-notice.tsx";

export interface NewBookingRequestEmailProps {
  name: string;
  session: SessionDetailsProps;
  url: string;
  requestedBy: string;
  preferredTimes: string[];
}

export default function NewBookingRequestEmail({ name, session, url, requestedBy, preferredTimes }: NewBookingRequestEmailProps) {
  return (
    <SessionNotice
      preview={`New request: ${session.course} for ${session.organisation ?? "an organisation"}`}
      heading={"A new training request"}
      name={name}
      session={session}
      url={url}
      action="Schedule it"
    >
      <Text style={emailText.paragraph}>
        {requestedBy} has asked for {session.course}. Preferred times: {preferredTimes.join("; ")}.
      </Text>
    </SessionNotice>
  );
}

NewBookingRequestEmail.PreviewProps = {
  name: "Priya Shah",
  session: EXAMPLE_SESSION,
  url: "http://localhost:3000/",
  requestedBy: "Priya Shah",
  preferredTimes: ["Tue 14 Oct 2025, 14:00", "Thu 16 Oct 2025, 10:00"],
} satisfies NewBookingRequestEmailProps;
