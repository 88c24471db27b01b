import { describe, expect, it } from "vitest";
import type { CompletionEvidence } from "#app/roster/requirements.ts";
import { countingDayOf, dueDate, evaluateLeader, requirementRule, type ExemptionFacts, type LeaderFacts, type RequirementRule } from "./rules.ts";
import { addMonths } from "#app/utils/dates.ts";
import { isRealDate } from "#app/utils/date-fields.ts";

const BYSTANDER = 1;
const DISCLOSURES = 2;
const CONSENT = 3;
const CAPTAIN = 10;
const HALL_REP = 11;

const rules = new Map<number, RequirementRule[]>([
  [
    CAPTAIN,
    [
      requirementRule({ roleId: CAPTAIN, courseId: BYSTANDER, courseName: "Active Bystander", validity: "academic_year", validityMonths: null }),
      requirementRule({ roleId: CAPTAIN, courseId: CONSENT, courseName: "Consent", validity: "academic_year", validityMonths: null }),
    ],
  ],
  [
    HALL_REP,
    [
      requirementRule({ roleId: HALL_REP, courseId: BYSTANDER, courseName: "Active Bystander", validity: "academic_year", validityMonths: null }),
      requirementRule({ roleId: HALL_REP, courseId: DISCLOSURES, courseName: "Handling Disclosures", validity: "months", validityMonths: 24 }),
    ],
  ],
]);

const done = (courseId: number, completedOn: string, source: CompletionEvidence["source"] = "attendance"): CompletionEvidence => ({
  courseId,
  completedOn,
  source,
  completionId: source === "attendance" ? null : 1,
  registrationId: source === "external" ? null : 7,
  sessionId: null,
  provider: null,
});

/** A hall rep for 2026–27 (deadline 31 Oct 2026), appointed on 1 September, seen on 1 December. */
function facts(over: Partial<LeaderFacts> = {}): LeaderFacts {
  return {
    startYear: 2026,
    deadline: "2026-10-31",
    asOf: "2026-12-01",
    appointments: [{ id: 1, roleId: HALL_REP, startedOn: "2026-09-01", endedOn: null }],
    requirementsByRole: rules,
    completions: [],
    exemptions: [],
    ...over,
  };
}

const state = (result: ReturnType<typeof evaluateLeader>, courseId: number) => result.requirements.find((r) => r.courseId === courseId)?.state;

describe("a requirement for this academic year", () => {
  it("counts a completion within the year (1 August – 31 July) and not one from last year", () => {
    const lastYear = evaluateLeader(facts({ completions: [done(BYSTANDER, "2026-07-31"), done(DISCLOSURES, "2026-05-01")] }));
    expect(state(lastYear, BYSTANDER)).toBe("missing");
    expect(lastYear.status).toBe("overdue");

    const thisYear = evaluateLeader(facts({ completions: [done(BYSTANDER, "2026-08-01"), done(DISCLOSURES, "2026-05-01")] }));
    expect(state(thisYear, BYSTANDER)).toBe("met");
    expect(thisYear.requirements.find((r) => r.courseId === BYSTANDER)?.validUntil).toBe("2027-07-31");
    expect(thisYear.status).toBe("compliant");
  });

  it("does not count a completion dated after today", () => {
    const result = evaluateLeader(facts({ asOf: "2026-09-10", completions: [done(BYSTANDER, "2026-09-11"), done(DISCLOSURES, "2026-05-01")] }));
    expect(state(result, BYSTANDER)).toBe("missing");
  });

  it("picks the most recent completion that counts", () => {
    const result = evaluateLeader(
      facts({ completions: [done(BYSTANDER, "2026-09-01"), done(BYSTANDER, "2026-10-01", "external"), done(BYSTANDER, "2025-10-01")] }),
    );
    const met = result.requirements.find((r) => r.courseId === BYSTANDER)!.metBy!;
    expect(met).toMatchObject({ completedOn: "2026-10-01", source: "external" });
  });
});

describe("a requirement valid for N months", () => {
  it("counts a completion within the last 24 months, and not one older", () => {
    const inside = evaluateLeader(facts({ completions: [done(BYSTANDER, "2026-09-15"), done(DISCLOSURES, "2024-12-01")] }));
    expect(state(inside, DISCLOSURES)).toBe("met");
    expect(inside.requirements.find((r) => r.courseId === DISCLOSURES)?.validUntil).toBe("2026-12-01");
    expect(inside.status).toBe("compliant");

    const outside = evaluateLeader(facts({ completions: [done(BYSTANDER, "2026-09-15"), done(DISCLOSURES, "2024-11-30")] }));
    expect(state(outside, DISCLOSURES)).toBe("missing");
    expect(outside.status).toBe("overdue");
  });

  it("lets a completion lapse as time passes", () => {
    const completions = [done(BYSTANDER, "2026-09-15"), done(DISCLOSURES, "2025-01-10")];
    expect(evaluateLeader(facts({ asOf: "2026-12-01", completions })).status).toBe("compliant");
    expect(evaluateLeader(facts({ asOf: "2027-01-11", completions })).status).toBe("overdue");
  });

  it("does not count a completion in the future", () => {
    const result = evaluateLeader(facts({ completions: [done(BYSTANDER, "2026-09-15"), done(DISCLOSURES, "2026-12-02")] }));
    expect(state(result, DISCLOSURES)).toBe("missing");
  });

  it("works out the window in whole months, keeping to the end of short months", () => {
    const oneMonth = requirementRule({ roleId: HALL_REP, courseId: DISCLOSURES, courseName: "Handling Disclosures", validity: "months", validityMonths: 1 });
    expect(countingDayOf(2026, "2027-03-31").windowOf(oneMonth.lasts)).toEqual({ from: "2027-02-28", to: "2027-03-31" });
    expect(addMonths("2024-02-29", 12)).toBe("2025-02-28");
    expect(addMonths("2026-01-31", -2)).toBe("2025-11-30");
  });
});

describe("roles that end", () => {
  it("an ended role demands nothing, and a person with only ended roles is 'ended'", () => {
    const result = evaluateLeader(facts({ appointments: [{ id: 1, roleId: HALL_REP, startedOn: "2026-09-01", endedOn: "2026-10-15" }] }));
    expect(result.status).toBe("ended");
    expect(result.appointments[0]).toMatchObject({ status: "ended", requirements: [] });
    expect(result.requirements).toEqual([]);
    expect(result.dueOn).toBeNull();
  });

  it("a role ending later still demands its training today", () => {
    const result = evaluateLeader(facts({ asOf: "2026-12-01", appointments: [{ id: 1, roleId: HALL_REP, startedOn: "2026-09-01", endedOn: "2027-01-31" }] }));
    expect(result.status).toBe("overdue");
  });

  it("ending one of two roles leaves the other's requirements", () => {
    const result = evaluateLeader(
      facts({
        appointments: [
          { id: 1, roleId: HALL_REP, startedOn: "2026-09-01", endedOn: "2026-10-15" },
          { id: 2, roleId: CAPTAIN, startedOn: "2026-08-01", endedOn: null },
        ],
        completions: [done(BYSTANDER, "2026-09-02"), done(CONSENT, "2026-09-03")],
      }),
    );
    expect(result.status).toBe("compliant");
    expect(result.requirements.map((r) => r.courseName)).toEqual(["Active Bystander", "Consent"]); // no Handling Disclosures
  });
});

describe("exemptions", () => {
  const exemption = (courseId: number | null, startYear = 2026): ExemptionFacts => ({
    id: 1,
    courseId,
    startYear,
    reason: "Trains others",
    grantedBy: "VP Welfare",
  });

  it("an exemption from a course satisfies that course only", () => {
    const result = evaluateLeader(facts({ completions: [done(BYSTANDER, "2026-09-15")], exemptions: [exemption(DISCLOSURES)] }));
    expect(state(result, DISCLOSURES)).toBe("exempt");
    expect(result.status).toBe("compliant");
    expect(state(evaluateLeader(facts({ exemptions: [exemption(DISCLOSURES)] })), BYSTANDER)).toBe("missing");
  });

  it("an exemption from every course satisfies them all", () => {
    const result = evaluateLeader(facts({ exemptions: [exemption(null)] }));
    expect(result.requirements.map((r) => r.state)).toEqual(["exempt", "exempt"]);
    expect(result.status).toBe("compliant");
  });

  it("an exemption from another year does not count", () => {
    expect(evaluateLeader(facts({ exemptions: [exemption(null, 2025)] })).status).toBe("overdue");
  });

  it("training done is shown as met even when an exemption exists", () => {
    const result = evaluateLeader(facts({ completions: [done(BYSTANDER, "2026-09-15")], exemptions: [exemption(null)] }));
    expect(state(result, BYSTANDER)).toBe("met");
  });
});

describe("due dates and status", () => {
  it("is the year's deadline, or four weeks from a start within four weeks of it", () => {
    expect(dueDate("2026-10-31", "2026-08-01")).toBe("2026-10-31");
    expect(dueDate("2026-10-31", "2026-10-03")).toBe("2026-10-31"); // exactly 28 days before
    expect(dueDate("2026-10-31", "2026-10-04")).toBe("2026-11-01");
    expect(dueDate("2026-10-31", "2027-02-01")).toBe("2027-03-01");
  });

  it("goes due → due soon (14 days) → overdue (after the due date)", () => {
    const at = (asOf: string) => evaluateLeader(facts({ asOf })).status;
    expect(at("2026-10-16")).toBe("due");
    expect(at("2026-10-17")).toBe("due_soon");
    expect(at("2026-10-31")).toBe("due_soon");
    expect(at("2026-11-01")).toBe("overdue");
  });

  it("gives someone appointed late their own four weeks", () => {
    const late = evaluateLeader(facts({ asOf: "2026-11-20", appointments: [{ id: 1, roleId: HALL_REP, startedOn: "2026-11-15", endedOn: null }] }));
    expect(late).toMatchObject({ status: "due", dueOn: "2026-12-13" });
  });

  it("a person's status is the worst of their roles, and each course is listed once", () => {
    const result = evaluateLeader(
      facts({
        asOf: "2026-11-20",
        appointments: [
          { id: 1, roleId: CAPTAIN, startedOn: "2026-08-01", endedOn: null },
          { id: 2, roleId: HALL_REP, startedOn: "2026-11-15", endedOn: null },
        ],
        completions: [done(BYSTANDER, "2026-09-01"), done(CONSENT, "2026-09-01")],
      }),
    );
    expect(result.appointments.map((a) => a.status)).toEqual(["compliant", "due"]);
    expect(result.status).toBe("due");
    expect(result.requirements.map((r) => `${r.courseName}:${r.state}`)).toEqual(["Active Bystander:met", "Consent:met", "Handling Disclosures:missing"]);
    expect(result.requirements.find((r) => r.courseId === DISCLOSURES)?.dueOn).toBe("2026-12-13");
  });

  it("a role with no requirements is compliant", () => {
    expect(evaluateLeader(facts({ appointments: [{ id: 1, roleId: 99, startedOn: "2026-09-01", endedOn: null }] })).status).toBe("compliant");
  });
});

describe("helpers", () => {
  it("knows a real calendar date", () => {
    expect(isRealDate("2026-02-28")).toBe(true);
    expect(isRealDate("2026-02-29")).toBe(false);
    expect(isRealDate("31/10/2026")).toBe(false);
  });
});
