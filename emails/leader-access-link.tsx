import { Button } from "@react-email/button";
import { Heading } from "@react-email/heading";
import { Link } from "@react-email/link";
import { Text } from "@react-email/text";
import { EmailLayout, emailText } from "./_components/layout.tsx";
import { plural } from "#app/utils/plural.ts";

export interface LeaderAccessLinkEmailProps {
  name: string;
  url: string;
  expiresInHours: number;
}

export default function LeaderAccessLinkEmail({ name, url, expiresInHours }: LeaderAccessLinkEmailProps) {
  return (
    <EmailLayout preview="Your leader training record">
      <Heading as="h1" style={emailText.heading}>
        Your leader training record
      </Heading>
      <Text style={emailText.paragraph}>Hello {name},</Text>
      <Text style={emailText.paragraph}>
        You asked to see the training your leader role needs and what you have done. Open the link below; it works for {plural(expiresInHours, "hour")}, and
        only for you, so please do not forward this email.
      </Text>
      <Button href={url} style={emailText.button}>
        See my training
      </Button>
      <Text style={emailText.small}>
        Or paste this address into your browser: <Link href={url}>{url}</Link>
      </Text>
      <Text style={emailText.small}>If you did not ask for this, you can ignore this email.</Text>
    </EmailLayout>
  );
}

LeaderAccessLinkEmail.PreviewProps = {
  name: "Amira Hussain",
  url: "http://localhost:3000/leaders/access/example-token",
  expiresInHours: 24,
} satisfies LeaderAccessLinkEmailProps;
