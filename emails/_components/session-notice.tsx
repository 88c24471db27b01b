import { Button } from "@react-email/button";
import { Heading } from "@react-email/heading";
import { Text } from "@react-email/text";
import type { ReactNode } from "react";
import { EmailLayout, emailText } from "./layout.tsx";
import { SessionDetails, type SessionDetailsProps } from "./session-details.tsx";

/**
 * The frame every message about one session shares: a heading, a greeting, what happened, the
 * session, one button, and anything that belongs after it (the support directory).
 */
export function SessionNotice(props: {
  preview: string;
  heading: string;
  name: string;
  session: SessionDetailsProps;
  url: string;
  action: string;
  children: ReactNode;
  afterAction?: ReactNode;
}) {
  return (
    <EmailLayout preview={props.preview}>
      <Heading as="h1" style={emailText.heading}>
        {props.heading}
      </Heading>
      <Text style={emailText.paragraph}>Hello {props.name},</Text>
      {props.children}
      <SessionDetails {...props.session} />
      <Button href={props.url} style={emailText.button}>
        {props.action}
      </Button>
      {props.afterAction}
    </EmailLayout>
  );
}

export { emailText };
