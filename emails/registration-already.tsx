import { Text } from "@react-email/text";
import { EXAMPLE_SESSION, type SessionDetailsProps } from "./_components/session-details.tsx";
import { emailText, SessionNotice } from "./_components/session-notice.tsx";
import { SupportSignpost } from "./_components/support.tsx";

export interface RegistrationAlreadyEmailProps {
  name: string;
  session: SessionDetailsProps;
  url: string;
  status: "registered" | "waiting";
}

/** Someone signed up again with an address that already holds a place (or a waiting-list entry): the answer comes here, not on the page. */
export default function RegistrationAlreadyEmail({ name, session, url, status }: RegistrationAlreadyEmailProps) {
  const place = status === "waiting" ? "on the waiting list for" : "signed up to";
  return (
    <SessionNotice
      preview={`You are already ${place} ${session.course}`}
      heading={`You are already ${place} this session`}
      name={name}
      session={session}
      url={url}
      action="See or cancel my place"
    >
      <Text style={emailText.paragraph}>
        Someone, probably you, just asked to sign up to this session with this email address. You are already {place} it, so nothing has changed. Use the button
        below to see or cancel your place: it replaces the link in any earlier email from us about this session.
      </Text>
      <Text style={emailText.paragraph}>If it was not you, you can ignore this email.</Text>
      <SupportSignpost />
    </SessionNotice>
  );
}

RegistrationAlreadyEmail.PreviewProps = {
  name: "Jamie Lee",
  session: EXAMPLE_SESSION,
  url: "http://localhost:3000/registrations/example-token",
  status: "registered",
} satisfies RegistrationAlreadyEmailProps;
