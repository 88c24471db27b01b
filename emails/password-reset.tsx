import { Button } from "@react-email/button";
import { Heading } from "@react-email/heading";
import { Link } from "@react-email/link";
import { Text } from "@react-email/text";
import { EmailLayout, emailText } from "./_components/layout.tsx";
import { plural } from "#app/utils/plural.ts";

export interface PasswordResetEmailProps {
  name: string;
  resetUrl: string;
  expiresInMinutes: number;
}

export default function PasswordResetEmail({ name, resetUrl, expiresInMinutes }: PasswordResetEmailProps) {
  return (
    <EmailLayout preview="Choose a new password for NeverOK Training">
      <Heading as="h1" style={emailText.heading}>
        Choose a new password
      </Heading>
      <Text style={emailText.paragraph}>Hello {name},</Text>
      <Text style={emailText.paragraph}>
        Someone asked to reset the password for your NeverOK Training account. If it was you, open the link below and choose a new password. The link works once
        and expires in {plural(expiresInMinutes, "minute")}.
      </Text>
      <Button href={resetUrl} style={emailText.button}>
        Choose a new password
      </Button>
      <Text style={emailText.small}>
        Or paste this address into your browser: <Link href={resetUrl}>{resetUrl}</Link>
      </Text>
      <Text style={emailText.small}>If you did not ask for this, you can ignore this email: your password stays as it is.</Text>
    </EmailLayout>
  );
}

PasswordResetEmail.PreviewProps = {
  name: "Priya Shah",
  resetUrl: "http://localhost:3000/set-password/example-token",
  expiresInMinutes: 60,
} satisfies PasswordResetEmailProps;
