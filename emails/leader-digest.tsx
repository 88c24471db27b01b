import { Button } from "@react-email/button";
import { Heading } from "@react-email/heading";
import { Section } from "@react-email/section";
import { Text } from "@react-email/text";
import { EmailLayout, emailText } from "./_components/layout.tsx";
import { countOf, nounFor, plural } from "#app/utils/plural.ts";

export interface DigestLine {
  label: string;
  compliant: number;
  total: number;
  overdue: number;
  percent: number | null;
}

export interface LeaderDigestEmailProps {
  name: string;
  yearLabel: string;
  deadline: string; // formatted
  overall: { total: number; compliant: number; overdue: number; dueSoon: number; due: number; percent: number | null };
  byRole: DigestLine[];
  /** The groups with the most people overdue. */
  groupsBehind: DigestLine[];
  nearMisses: number;
  dashboardUrl: string;
}

const line = { color: "#1f2937", fontSize: "15px", lineHeight: "22px", margin: "0 0 6px" };
const pct = (p: number | null) => (p === null ? "–" : `${p}%`);

export default function LeaderDigestEmail({ name, yearLabel, deadline, overall, byRole, groupsBehind, nearMisses, dashboardUrl }: LeaderDigestEmailProps) {
  return (
    <EmailLayout preview={`Leader training this week: ${pct(overall.percent)} compliant, ${overall.overdue} overdue`}>
      <Heading as="h1" style={emailText.heading}>
        Leader training this week
      </Heading>
      <Text style={emailText.paragraph}>Hello {name},</Text>
      <Text style={emailText.paragraph}>
        {yearLabel} (deadline {deadline}): {countOf(overall.compliant, overall.total, "leader")} have done everything their roles require (
        {pct(overall.percent)}). {overall.overdue} overdue, {overall.dueSoon} due in the next two weeks, {overall.due} due later.
      </Text>
      <Section style={{ backgroundColor: "#f5f3ff", borderRadius: "8px", padding: "16px 20px", margin: "0 0 20px" }}>
        <Text style={{ ...line, fontWeight: 700 }}>By role</Text>
        {byRole.map((r) => (
          <Text key={r.label} style={line}>
            {r.label}: {r.compliant} of {r.total} ({pct(r.percent)}){r.overdue ? `, ${r.overdue} overdue` : ""}
          </Text>
        ))}
        {groupsBehind.length ? (
          <>
            <Text style={{ ...line, fontWeight: 700, marginTop: "12px" }}>Groups furthest behind</Text>
            {groupsBehind.map((g) => (
              <Text key={g.label} style={line}>
                {g.label}: {g.overdue} overdue, {g.compliant} of {g.total} done
              </Text>
            ))}
          </>
        ) : null}
      </Section>
      {nearMisses ? (
        <Text style={emailText.paragraph}>
          {plural(nearMisses, { one: "attendance looks", other: "attendances look" })} like a leader under another email address: please confirm or dismiss{" "}
          {nounFor(nearMisses, { one: "it", other: "them" })}.
        </Text>
      ) : null}
      <Button href={dashboardUrl} style={emailText.button}>
        Open the dashboard
      </Button>
    </EmailLayout>
  );
}

LeaderDigestEmail.PreviewProps = {
  name: "Jordan Ellis",
  yearLabel: "2025–26",
  deadline: "Fri 31 Oct 2025",
  overall: { total: 120, compliant: 84, overdue: 30, dueSoon: 4, due: 2, percent: 70 },
  byRole: [
    { label: "Freshers' Week captain", compliant: 20, total: 24, overdue: 4, percent: 83.3 },
    { label: "Hall rep", compliant: 12, total: 20, overdue: 8, percent: 60 },
  ],
  groupsBehind: [{ label: "Hall Reps", compliant: 12, total: 20, overdue: 8, percent: 60 }],
  nearMisses: 1,
  dashboardUrl: "http://localhost:3000/officer/leaders",
} satisfies LeaderDigestEmailProps;
