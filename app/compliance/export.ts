import { toCsv } from "#app/utils/csv.ts";
import { STATUS_LABELS, type LeaderStatus, type RequirementResult } from "./rules.ts";

/** The dashboard's rows as a spreadsheet: one line per person per role, what is done and what is missing. */
export interface ExportRow {
  name: string;
  email: string;
  studentId: string | null;
  roleName: string;
  groupName: string;
  isPresident: boolean;
  startedOn: string;
  endedOn: string | null;
  status: LeaderStatus;
  dueOn: string;
  requirements: RequirementResult[];
  lastRemindedAt: string | null;
}

const HOW: Record<string, string> = { attendance: "attended", external: "recorded", confirmed_match: "attended (confirmed)" };

function describe(r: RequirementResult): string {
  if (r.state === "met") return `${r.courseName}: ${HOW[r.metBy!.source]} ${r.metBy!.completedOn}`;
  if (r.state === "exempt") return `${r.courseName}: exempt`;
  return `${r.courseName}: missing`;
}

export function complianceCsv(rows: readonly ExportRow[]): string {
  return toCsv([
    ["Name", "Email", "Student ID", "Role", "Group", "President", "Started", "Ended", "Status", "Due", "Missing", "Training", "Last reminded"],
    ...rows.map((r) => [
      r.name,
      r.email,
      r.studentId,
      r.roleName,
      r.groupName,
      r.isPresident ? "yes" : "no",
      r.startedOn,
      r.endedOn,
      STATUS_LABELS[r.status],
      r.status === "ended" || r.status === "compliant" ? "" : r.dueOn,
      r.requirements
        .filter((q) => q.state === "missing")
        .map((q) => q.courseName)
        .join("; "),
      r.requirements.map(describe).join("; "),
      r.lastRemindedAt ? r.lastRemindedAt.slice(0, 10) : "",
    ]),
  ]);
}
