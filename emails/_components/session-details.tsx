import { Section } from "@react-email/section";
import { Text } from "@react-email/text";
import { nounFor, PEOPLE, plural } from "#app/utils/plural.ts";

export interface SessionDetailsProps {
  course: string;
  when: string; // already formatted: "Tue 14 Oct 2025, 14:00–15:30"
  where: string;
  organisation?: string | null;
  groupSize?: number | null;
  trainers?: string[];
}

const label = { color: "#4b5563", fontSize: "13px", margin: "0" };
const value = { color: "#111827", fontSize: "16px", fontWeight: 600, margin: "0 0 10px" };

export function SessionDetails({ course, when, where, organisation, groupSize, trainers }: SessionDetailsProps) {
  return (
    <Section style={{ backgroundColor: "#f5f3ff", borderRadius: "8px", padding: "16px 20px", margin: "0 0 20px" }}>
      <Text style={label}>Course</Text>
      <Text style={value}>{course}</Text>
      <Text style={label}>When (UK time)</Text>
      <Text style={value}>{when}</Text>
      <Text style={label}>Where</Text>
      <Text style={value}>{where}</Text>
      {organisation ? (
        <>
          <Text style={label}>For</Text>
          <Text style={value}>
            {organisation}
            {groupSize ? ` · ${plural(groupSize, PEOPLE)}` : ""}
          </Text>
        </>
      ) : null}
      {trainers && trainers.length ? (
        <>
          <Text style={label}>{nounFor(trainers.length, "Trainer")}</Text>
          <Text style={value}>{trainers.join(" and ")}</Text>
        </>
      ) : null}
    </Section>
  );
}

export const EXAMPLE_SESSION: SessionDetailsProps = {
  course: "Active Bystander",
  when: "Tue 14 Oct 2025, 14:00–15:30",
  where: "Seminar Room 1.14, East Building",
  organisation: "Department of Psychology",
  groupSize: 40,
  trainers: ["Sam Okafor"],
};
