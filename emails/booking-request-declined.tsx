import { CoordinatorContactLine, EXAMPLE_CONTACT, type CoordinatorContactProps } from "./_components/coordinator-contact.tsx";
import { Text } from "@react-email/text";
import { EXAMPLE_SESSION, type SessionDetailsProps } from "./_components/session-details.tsx";
import { emailText, SessionNotice } from "./_components/session-notice.tsx";

export interface BookingRequestDeclinedEmailProps {
  name: string;
  session: SessionDetailsProps;
  url: string;
  reason: string;
  /** To the booker: whom to contact about their booking. */
  contact?: CoordinatorContactProps | null;
}

export default function BookingRequestDeclinedEmail({ name, session, url, reason, contact }: BookingRequestDeclinedEmailProps) {
  return (
    <SessionNotice
      preview={`We could not schedule ${session.course}`}
      heading={"We could not schedule your request"}
      name={name}
      session={session}
      url={url}
      action="Make a new request"
    >
      <Text style={emailText.paragraph}>We are sorry: the training coordinator could not schedule this request.</Text>
      <Text style={emailText.paragraph}>Reason: {reason}</Text>
      <Text style={emailText.paragraph}>You are welcome to make a new request with other dates.</Text>
      <CoordinatorContactLine contact={contact} />
    </SessionNotice>
  );
}

BookingRequestDeclinedEmail.PreviewProps = {
  name: "Priya Shah",
  session: EXAMPLE_SESSION,
  url: "http://localhost:3000/",
  reason: "No trainer is free on those dates; could you offer dates in November?",
  contact: EXAMPLE_CONTACT,
} satisfies BookingRequestDeclinedEmailProps;
