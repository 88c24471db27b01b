import { Text } from "@react-email/text";
import { EXAMPLE_SESSION, type SessionDetailsProps } from "./_components/session-details.tsx";
import { emailText, SessionNotice } from "./_components/session-notice.tsx";

export interface BookingChangeNewEmailProps {
  name: string;
  session: SessionDetailsProps;
  url: string;
  askedBy: string;
  /** Each change asked for, as a sentence: "A new time: Thu 16 Oct 2025, 10:00." */
  changes: string[];
}

export default function BookingChangeNewEmail({ name, session, url, askedBy, changes }: BookingChangeNewEmailProps) {
  return (
    <SessionNotice
      preview={`${askedBy} asks to change ${session.course}`}
      heading={"A booker asks for a change"}
      name={name}
      session={session}
      url={url}
      action="Answer the request"
    >
      <Text style={emailText.paragraph}>
        {askedBy} asks to change the session below. It waits in your queue until you accept it (by moving the session if they asked for another time) or decline
        it with a reason.
      </Text>
      {changes.map((c) => (
        <Text key={c} style={emailText.paragraph}>
          {c}
        </Text>
      ))}
    </SessionNotice>
  );
}

BookingChangeNewEmail.PreviewProps = {
  name: "Alex Morgan",
  session: EXAMPLE_SESSION,
  url: "http://localhost:3000/",
  askedBy: "Priya Shah",
  changes: ["A new time: Thu 16 Oct 2025, 10:00.", "New numbers: 45 people (was 40).", "Message: Our second-year group is joining."],
} satisfies BookingChangeNewEmailProps;
