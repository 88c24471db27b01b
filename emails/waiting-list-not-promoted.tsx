import { plural } from "#app/utils/plural.ts";
import { Text } from "@react-email/text";
import { EXAMPLE_SESSION, type SessionDetailsProps } from "./_components/session-details.tsx";
import { emailText, SessionNotice } from "./_components/session-notice.tsx";

export interface WaitingListNotPromotedEmailProps {
  name: string;
  session: SessionDetailsProps;
  url: string;
  firstWaiting: string;
  cutoffHours: number;
}

/** To the coordinators: a place came free too close to the start to hand it on by itself. */
export default function WaitingListNotPromotedEmail({ name, session, url, firstWaiting, cutoffHours }: WaitingListNotPromotedEmailProps) {
  return (
    <SessionNotice
      preview={`A place came free too late to promote: ${session.course}, ${session.when}`}
      heading={"A place is free, but nobody was moved up"}
      name={name}
      session={session}
      url={url}
      action="Promote someone by hand"
    >
      <Text style={emailText.paragraph}>
        A place on the session below was cancelled within {plural(cutoffHours, "hour")} of the start, so {firstWaiting} (first on the waiting list) was not
        moved up automatically. You can promote them by hand.
      </Text>
    </SessionNotice>
  );
}

WaitingListNotPromotedEmail.PreviewProps = {
  name: "Alex Morgan",
  session: EXAMPLE_SESSION,
  url: "http://localhost:3000/coordinator/sessions/1",
  firstWaiting: "Jamie Lee",
  cutoffHours: 3,
} satisfies WaitingListNotPromotedEmailProps;
