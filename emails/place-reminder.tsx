import { Text } from "@react-email/text";
import { EXAMPLE_SESSION, type SessionDetailsProps } from "./_components/session-details.tsx";
import { emailText, SessionNotice } from "./_components/session-notice.tsx";
import { EXAMPLE_SUPPORT, SupportDirectory, type SupportDirectoryEntry } from "./_components/support-directory.tsx";

export interface PlaceReminderEmailProps {
  name: string;
  session: SessionDetailsProps;
  /** The link to see or cancel the place. */
  url: string;
  support: SupportDirectoryEntry[];
}

/** The reminder to someone who holds a place: their own wording, and the way to give the place up. */
export default function PlaceReminderEmail({ name, session, url, support }: PlaceReminderEmailProps) {
  return (
    <SessionNotice
      preview={`Reminder: your place on ${session.course}, ${session.when}`}
      heading={"Your place is coming up"}
      name={name}
      session={session}
      url={url}
      action="See or cancel my place"
      afterAction={<SupportDirectory services={support} />}
    >
      <Text style={emailText.paragraph}>A reminder that you have a place on the #NeverOK session below. We look forward to seeing you.</Text>
      <Text style={emailText.paragraph}>
        If you can no longer come, please cancel your place now: the next person on the waiting list gets it straight away. This link replaces the one in
        earlier emails about your place.
      </Text>
    </SessionNotice>
  );
}

PlaceReminderEmail.PreviewProps = {
  name: "Jamie Lee",
  session: EXAMPLE_SESSION,
  url: "http://localhost:3000/registrations/example-token",
  support: EXAMPLE_SUPPORT,
} satisfies PlaceReminderEmailProps;
