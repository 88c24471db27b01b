import { Text } from "@react-email/text";
import { CoordinatorContactLine, EXAMPLE_CONTACT, type CoordinatorContactProps } from "./_components/coordinator-contact.tsx";
import { EXAMPLE_SESSION, type SessionDetailsProps } from "./_components/session-details.tsx";
import { emailText, SessionNotice } from "./_components/session-notice.tsx";

export interface BookingChangeAnsweredEmailProps {
  name: string;
  session: SessionDetailsProps;
  url: string;
  /** Each change asked for, as a sentence. */
  changes: string[];
  answer: { accepted: true } | { accepted: false; reason: string };
  contact: CoordinatorContactProps | null;
}

export default function BookingChangeAnsweredEmail({ name, session, url, changes, answer, contact }: BookingChangeAnsweredEmailProps) {
  return (
    <SessionNotice
      preview={answer.accepted ? `Your change to ${session.course} is made` : `We could not make your change to ${session.course}`}
      heading={answer.accepted ? "Your change is made" : "We could not make your change"}
      name={name}
      session={session}
      url={url}
      action="See the booking"
    >
      <Text style={emailText.paragraph}>You asked to change your #NeverOK session:</Text>
      {changes.map((c) => (
        <Text key={c} style={emailText.paragraph}>
          {c}
        </Text>
      ))}
      {answer.accepted ? (
        <Text style={emailText.paragraph}>The training coordinator has made the change. The booking as it now stands is below.</Text>
      ) : (
        <>
          <Text style={emailText.paragraph}>The training coordinator could not make this change, so the booking stays as below.</Text>
          <Text style={emailText.paragraph}>Reason: {answer.reason}</Text>
        </>
      )}
      <CoordinatorContactLine contact={contact} />
    </SessionNotice>
  );
}

BookingChangeAnsweredEmail.PreviewProps = {
  name: "Priya Shah",
  session: EXAMPLE_SESSION,
  url: "http://localhost:3000/",
  changes: ["New numbers: 45 people (was 40)."],
  answer: { accepted: false, reason: "The room holds 40; could you split the group across two sessions?" },
  contact: EXAMPLE_CONTACT,
} satisfies BookingChangeAnsweredEmailProps;
