import { Heading } from "@react-email/heading";
import { Section } from "@react-email/section";
import { Text } from "@react-email/text";
import { EmailLayout, emailText } from "./_components/layout.tsx";
import { plural } from "#app/utils/plural.ts";

export interface LeaderReminderGroupEmailProps {
  name: string;
  groupName: string;
  yearLabel: string;
  people: { name: string; role: string; missing: string[]; dueOn: string; overdue: boolean }[];
}

/** The copy a group's president gets: who in their group was reminded, and what each still needs. */
export default function LeaderReminderGroupEmail({ name, groupName, yearLabel, people }: LeaderReminderGroupEmailProps) {
  return (
    <EmailLayout preview={`${plural(people.length, "leader")} in ${groupName} still need their induction training`}>
      <Heading as="h1" style={emailText.heading}>
        Leader training in {groupName}
      </Heading>
      <Text style={emailText.paragraph}>Hello {name},</Text>
      <Text style={emailText.paragraph}>
        As president of {groupName}, here is a copy for you: we have reminded {people.length === 1 ? "this leader" : `these ${plural(people.length, "leader")}`}{" "}
        that their {yearLabel} induction training is not done yet. A word from you helps.
      </Text>
      <Section style={{ backgroundColor: "#f5f3ff", borderRadius: "8px", padding: "16px 20px", margin: "0 0 20px" }}>
        {people.map((p) => (
          <Text key={`${p.name}-${p.role}`} style={{ color: "#1f2937", fontSize: "15px", lineHeight: "22px", margin: "0 0 8px" }}>
            <strong>{p.name}</strong> ({p.role}): {p.missing.join(", ")}, {p.overdue ? `overdue since ${p.dueOn}` : `due by ${p.dueOn}`}
          </Text>
        ))}
      </Section>
      <Text style={emailText.small}>Each of them has had an email with the next sessions that have places and how to sign up.</Text>
    </EmailLayout>
  );
}

LeaderReminderGroupEmail.PreviewProps = {
  name: "Ollie Grant",
  groupName: "Rugby Club",
  yearLabel: "2025–26",
  people: [
    { name: "Ben Carter", role: "Sports club committee", missing: ["Active Bystander"], dueOn: "Fri 31 Oct 2025", overdue: true },
    { name: "Chen Wei", role: "Sports club committee", missing: ["Active Bystander"], dueOn: "Fri 14 Nov 2025", overdue: false },
  ],
} satisfies LeaderReminderGroupEmailProps;
