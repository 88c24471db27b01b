import { describe, expect, it } from "vitest";
import { parseCsv } from "#app/utils/csv.ts";
import { complianceCsv } from "./export.ts";

describe("complianceCsv", () => {
  it("writes one line per person per role with what is done and what is missing", () => {
    const csv = complianceCsv([
      {
        name: "Dara O'Neill",
        email: "dara@students.example.ac.uk",
        studentId: "S1",
        roleName: "Hall rep",
        groupName: "Hall Reps",
        isPresident: false,
        startedOn: "2026-09-01",
        endedOn: null,
        status: "overdue",
        dueOn: "2026-10-31",
        lastRemindedAt: "2026-11-20T12:00:00.000Z",
        requirements: [
          {
            courseId: 1,
            courseName: "Active Bystander",
            validity: "academic_year",
            validityMonths: null,
            state: "met",
            metBy: { courseId: 1, completedOn: "2026-10-07", source: "attendance", completionId: null, registrationId: 3, sessionId: 4, provider: null },
            validUntil: "2027-07-31",
            exemption: null,
          },
          {
            courseId: 2,
            courseName: "Handling Disclosures",
            validity: "months",
            validityMonths: 24,
            state: "missing",
            metBy: null,
            validUntil: null,
            exemption: null,
          },
        ],
      },
    ]);
    expect(parseCsv(csv)).toEqual([
      ["Name", "Email", "Student ID", "Role", "Group", "President", "Started", "Ended", "Status", "Due", "Missing", "Training", "Last reminded"],
      [
        "Dara O'Neill",
        "dara@students.example.ac.uk",
        "S1",
        "Hall rep",
        "Hall Reps",
        "no",
        "2026-09-01",
        "",
        "Overdue",
        "2026-10-31",
        "Handling Disclosures",
        "Active Bystander: attended 2026-10-07; Handling Disclosures: missing",
        "2026-11-20",
      ],
    ]);
  });
});
