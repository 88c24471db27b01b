import { CoordinatorContactLine, EXAMPLE_CONTACT, type CoordinatorContactProps } from "./_components/coordinator-contact.tsx";
import { Text } from "@react-email/text";
import { EXAMPLE_SESSION, type SessionDetailsProps } from "./_components/session-details.tsx";
import { emailText, SessionNotice } from "./_components/session-notice.tsx";
import { EXAMPLE_SUPPORT, SupportDirectory, type SupportDirectoryEntry } from "./_components/support-directory.tsx";

export interface SessionReminderEmailProps {
  name: string;
  session: SessionDetailsProps;
  url: string;
  role: "booker" | "trainer";
  support: SupportDirectoryEntry[];
  /** To the booker: whom to contact about their booking. */
  contact?: CoordinatorContactProps | null;
}

export default function SessionReminderEmail({ name, session, url, role, support, contact }: SessionReminderEmailProps) {
  return (
    <SessionNotice
      preview={`Reminder: ${session.course}, ${session.when}`}
      heading={"Your session is coming up"}
      name={name}
      session={session}
      url={url}
      action="See the session"
      afterAction={<SupportDirectory services={support} />}
    >
      <Text style={emailText.paragraph}>
        {role === "trainer"
          ? "A reminder that you are delivering the session below."
          : "A reminder that your group's #NeverOK session is coming up. Please let everyone know the time and place."}
      </Text>
      <CoordinatorContactLine contact={contact} />
    </SessionNotice>
  );
}

SessionReminderEmail.PreviewProps = {
  name: "Priya Shah",
  session: EXAMPLE_SESSION,
  url: "http://localhost:3000/",
  role: "booker",
  support: EXAMPLE_SUPPORT,
  contact: EXAMPLE_CONTACT,
} satisfies SessionReminderEmailProps;
