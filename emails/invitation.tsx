import { Button } from "@react-email/button";
import { Heading } from "@react-email/heading";
import { Link } from "@react-email/link";
import { Text } from "@react-email/text";
import { EmailLayout, emailText } from "./_components/layout.tsx";
import { plural } from "#app/utils/plural.ts";

export interface InvitationEmailProps {
  name: string;
  invitedBy: string;
  roles: string[];
  setPasswordUrl: string;
  expiresInDays: number;
  /** The person's organisation signs them in: the email leads there instead of to a password. */
  signInThrough?: { name: string; url: string } | null;
}

export default function InvitationEmail({ name, invitedBy, roles, setPasswordUrl, expiresInDays, signInThrough }: InvitationEmailProps) {
  return (
    <EmailLayout preview={`${invitedBy} has invited you to NeverOK Training`}>
      <Heading as="h1" style={emailText.heading}>
        You have been invited to NeverOK Training
      </Heading>
      <Text style={emailText.paragraph}>Hello {name},</Text>
      <Text style={emailText.paragraph}>
        {invitedBy} has given you an account on NeverOK Training, the system the #NeverOK campaign uses to book and run its in-person training, as{" "}
        {roles.join(" and ")}.
      </Text>
      {signInThrough ? (
        <>
          <Text style={emailText.paragraph}>
            You sign in through {signInThrough.name}, with the account and password you already have there: there is no new password to choose.
          </Text>
          <Button href={signInThrough.url} style={emailText.button}>
            Sign in through {signInThrough.name}
          </Button>
          <Text style={emailText.small}>
            Or paste this address into your browser: <Link href={signInThrough.url}>{signInThrough.url}</Link>
          </Text>
        </>
      ) : (
        <>
          <Text style={emailText.paragraph}>Choose a password to start. The link works once and expires in {plural(expiresInDays, "day")}.</Text>
          <Button href={setPasswordUrl} style={emailText.button}>
            Choose a password
          </Button>
          <Text style={emailText.small}>
            Or paste this address into your browser: <Link href={setPasswordUrl}>{setPasswordUrl}</Link>
          </Text>
        </>
      )}
    </EmailLayout>
  );
}

InvitationEmail.PreviewProps = {
  name: "Sam Okafor",
  invitedBy: "Alex Morgan",
  roles: ["trainer"],
  setPasswordUrl: "http://localhost:3000/set-password/example-token",
  expiresInDays: 7,
} satisfies InvitationEmailProps;
