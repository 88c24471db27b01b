import { CoordinatorContactLine, EXAMPLE_CONTACT, type CoordinatorContactProps } from "./_components/coordinator-contact.tsx";
import { Text } from "@react-email/text";
import { EXAMPLE_SESSION, type SessionDetailsProps } from "./_components/session-details.tsx";
import { emailText, SessionNotice } from "./_components/session-notice.tsx";

export interface BookingRequestReceivedEmailProps {
  name: string;
  session: SessionDetailsProps;
  url: string;
  /** To the booker: whom to contact about their booking. */
  contact?: CoordinatorContactProps | null;
}

export default function BookingRequestReceivedEmail({ name, session, url, contact }: BookingRequestReceivedEmailProps) {
  return (
    <SessionNotice
      preview={`We have your request for ${session.course}`}
      heading={"We have your request"}
      name={name}
      session={session}
      url={url}
      action="Follow your request"
    >
      <Text style={emailText.paragraph}>
        Thank you for booking #NeverOK training. The training coordinator will schedule it at one of your preferred times, or get in touch, and you will get a
        calendar invitation when it is confirmed.
      </Text>
      <CoordinatorContactLine contact={contact} />
    </SessionNotice>
  );
}

BookingRequestReceivedEmail.PreviewProps = {
  name: "Priya Shah",
  session: EXAMPLE_SESSION,
  url: "http://localhost:3000/",
  contact: EXAMPLE_CONTACT,
} satisfies BookingRequestReceivedEmailProps;
