import { Button } from "@react-email/button";
import { Heading } from "@react-email/heading";
import { Link } from "@react-email/link";
import { Text } from "@react-email/text";
import { EmailLayout, emailText } from "./_components/layout.tsx";
import { CoursesNeeded, EXAMPLE_COURSES, type CourseNeeded } from "./_components/induction-sessions.tsx";

export interface LeaderReminderEmailProps {
  name: string;
  /** "Sports club committee (Rugby Club)" */
  roles: string[];
  yearLabel: string;
  /** Already formatted: "Fri 31 Oct 2025". */
  dueOn: string;
  overdue: boolean;
  courses: CourseNeeded[];
  /** Where the leader can ask for a link to see their own training record. */
  statusUrl: string;
}

export default function LeaderReminderEmail({ name, roles, yearLabel, dueOn, overdue, courses, statusUrl }: LeaderReminderEmailProps) {
  const list = courses.map((c) => c.course).join(" and ");
  return (
    <EmailLayout preview={overdue ? `Your leader training is overdue: ${list}` : `Your leader training is due by ${dueOn}: ${list}`}>
      <Heading as="h1" style={emailText.heading}>
        {overdue ? "Your leader training is overdue" : "Your leader training is due"}
      </Heading>
      <Text style={emailText.paragraph}>Hello {name},</Text>
      <Text style={emailText.paragraph}>
        As {roles.join(" and ")} in {yearLabel}, you need to complete {list} as part of your leader induction.{" "}
        {overdue ? `It was due by ${dueOn}, and we have no record of it yet.` : `Please complete it by ${dueOn}.`} Choose a session below and sign up; it takes
        a minute.
      </Text>
      <CoursesNeeded courses={courses} />
      {courses[0]?.sessions[0] ? (
        <Button href={courses[0].sessions[0].url} style={emailText.button}>
          Sign up for the next session
        </Button>
      ) : null}
      <Text style={emailText.small}>
        Done this training elsewhere, or think our record is wrong? Reply to this email and the Students&apos; Union will check. You can see your own record at{" "}
        <Link href={statusUrl}>{statusUrl}</Link>.
      </Text>
    </EmailLayout>
  );
}

LeaderReminderEmail.PreviewProps = {
  name: "Amira Hussain",
  roles: ["Sports club committee (Rugby Club)"],
  yearLabel: "2025–26",
  dueOn: "Fri 31 Oct 2025",
  overdue: true,
  courses: EXAMPLE_COURSES,
  statusUrl: "http://localhost:3000/leaders/access",
} satisfies LeaderReminderEmailProps;
