import { Text } from "@react-email/text";
import { EXAMPLE_SESSION, type SessionDetailsProps } from "./_components/session-details.tsx";
import { emailText, SessionNotice } from "./_components/session-notice.tsx";

export interface TrainerRemovedEmailProps {
  name: string;
  session: SessionDetailsProps;
  url: string;
  /** The trainer declined it themselves, or the coordinator took them off. */
  cause: "declined" | "taken_off";
  reason: string | null;
}

/** To a trainer who is no longer delivering a session that still takes place. */
export default function TrainerRemovedEmail({ name, session, url, cause, reason }: TrainerRemovedEmailProps) {
  return (
    <SessionNotice
      preview={`You are no longer delivering ${session.course}, ${session.when}; the session goes ahead`}
      heading={"You are no longer delivering this session"}
      name={name}
      session={session}
      url={url}
      action="See your sessions"
    >
      <Text style={emailText.paragraph}>
        {cause === "declined" ? "You declined the session below, so you have been taken off it." : "The coordinator has taken you off the session below."} The
        session itself is not cancelled: it goes ahead with another trainer, and you do not need to do anything more.
      </Text>
      {reason ? <Text style={emailText.paragraph}>{cause === "declined" ? `Your reason: ${reason}` : `Reason: ${reason}`}</Text> : null}
      <Text style={emailText.paragraph}>The attached cancellation takes the session out of your own calendar only; nothing changes for the group.</Text>
    </SessionNotice>
  );
}

TrainerRemovedEmail.PreviewProps = {
  name: "Chloe Bennett",
  session: EXAMPLE_SESSION,
  url: "http://localhost:3000/trainer",
  cause: "declined",
  reason: "I am at a conference that week.",
} satisfies TrainerRemovedEmailProps;
