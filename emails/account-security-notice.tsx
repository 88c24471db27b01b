import { Heading } from "@react-email/heading";
import { Link } from "@react-email/link";
import { Text } from "@react-email/text";
import { EmailLayout, emailText } from "./_components/layout.tsx";

export interface AccountSecurityNoticeEmailProps {
  name: string;
  /** What changed, as a sentence: "Your password was changed." */
  change: string;
  /** When, already written in en-GB, Europe/London. */
  when: string;
  /** What else happened because of it, if anything. */
  consequence?: string;
  forgotPasswordUrl: string;
}

/** Tells a person that something protecting their account changed, so a change they did not make is noticed. */
export default function AccountSecurityNoticeEmail({ name, change, when, consequence, forgotPasswordUrl }: AccountSecurityNoticeEmailProps) {
  return (
    <EmailLayout preview={change}>
      <Heading as="h1" style={emailText.heading}>
        {change}
      </Heading>
      <Text style={emailText.paragraph}>Hello {name},</Text>
      <Text style={emailText.paragraph}>
        {change} This happened on {when}.{consequence ? ` ${consequence}` : ""}
      </Text>
      <Text style={emailText.paragraph}>If it was you, there is nothing more to do.</Text>
      <Text style={emailText.paragraph}>
        If it was not you, someone else may be using your account: choose a new password now at <Link href={forgotPasswordUrl}>{forgotPasswordUrl}</Link>, which
        also signs out every other device, and tell the training coordinator.
      </Text>
    </EmailLayout>
  );
}

AccountSecurityNoticeEmail.PreviewProps = {
  name: "Priya Shah",
  change: "Your NeverOK Training password was changed.",
  when: "Tue 14 Oct 2025, 14:03",
  consequence: "Every other device signed in to your account was signed out.",
  forgotPasswordUrl: "http://localhost:3000/forgot-password",
} satisfies AccountSecurityNoticeEmailProps;
