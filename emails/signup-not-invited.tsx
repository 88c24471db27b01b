import { Text } from "@react-email/text";
import { EXAMPLE_SESSION, type SessionDetailsProps } from "./_components/session-details.tsx";
import { emailText, SessionNotice } from "./_components/session-notice.tsx";
import { SupportSignpost } from "./_components/support.tsx";

export interface SignupNotInvitedEmailProps {
  name: string;
  session: SessionDetailsProps;
  /** The list of open sessions, to find another. */
  url: string;
}

/** A sign-up with an address not on a session's invited list: told by email, never on the page, so the page tells nobody who is on a list. */
export default function SignupNotInvitedEmail({ name, session, url }: SignupNotInvitedEmailProps) {
  return (
    <SessionNotice
      preview={`We could not sign you up to ${session.course}`}
      heading="We could not sign you up"
      name={name}
      session={session}
      url={url}
      action="See other sessions"
    >
      <Text style={emailText.paragraph}>
        Someone, probably you, asked to sign up to this session with this email address. The session is for an invited list of people, and this address is not
        on it, so you have not been signed up.
      </Text>
      <Text style={emailText.paragraph}>
        If you were invited, sign up again with the address your invitation was sent to, or ask the training coordinator. If it was not you, you can ignore this
        email.
      </Text>
      <SupportSignpost />
    </SessionNotice>
  );
}

SignupNotInvitedEmail.PreviewProps = {
  name: "Jamie Lee",
  session: EXAMPLE_SESSION,
  url: "http://localhost:3000/sessions/open",
} satisfies SignupNotInvitedEmailProps;
