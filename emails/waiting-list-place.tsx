import { Text } from "@react-email/text";
import { EXAMPLE_SESSION, type SessionDetailsProps } from "./_components/session-details.tsx";
import { emailText, SessionNotice } from "./_components/session-notice.tsx";
import { SupportSignpost } from "./_components/support.tsx";

export interface WaitingListPlaceEmailProps {
  name: string;
  session: SessionDetailsProps;
  url: string;
  position: number;
}

export default function WaitingListPlaceEmail({ name, session, url, position }: WaitingListPlaceEmailProps) {
  return (
    <SessionNotice
      preview={`Waiting list: ${session.course}, ${session.when}`}
      heading={"You are on the waiting list"}
      name={name}
      session={session}
      url={url}
      action="See or leave the waiting list"
    >
      <Text style={emailText.paragraph}>
        The session is full, so you are number {position} on the waiting list. If a place comes free we give it to the first person waiting and email you with a
        calendar invitation. You can leave the waiting list at any time.
      </Text>
      <SupportSignpost />
    </SessionNotice>
  );
}

WaitingListPlaceEmail.PreviewProps = {
  name: "Jamie Lee",
  session: EXAMPLE_SESSION,
  url: "http://localhost:3000/registrations/example-token",
  position: 3,
} satisfies WaitingListPlaceEmailProps;
