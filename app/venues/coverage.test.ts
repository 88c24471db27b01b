import { describe, expect, it } from "vitest";
import { CountingDay, type CompletionEvidence, type Exemption } from "#app/roster/requirements.ts";
import { accreditationOf, evaluateVenue, staffRequirementRule, type StaffEvidence, type StaffRequirementRule } from "./coverage.ts";

const BYSTANDER = 1;
const DISCLOSURES = 2;
const DOOR = 10;
const BAR = 11;

const requirementsByRole = new Map<number, StaffRequirementRule[]>([
  [
    DOOR,
    [
      staffRequirementRule({ roleId: DOOR, courseId: BYSTANDER, courseName: "Active Bystander", validity: "months", validityMonths: 12 }),
      staffRequirementRule({ roleId: DOOR, courseId: DISCLOSURES, courseName: "Handling Disclosures", validity: "months", validityMonths: 24 }),
    ],
  ],
  [BAR, [staffRequirementRule({ roleId: BAR, courseId: BYSTANDER, courseName: "Active Bystander", validity: "once", validityMonths: null })]],
]);

const done = (courseId: number, completedOn: string): CompletionEvidence => ({
  courseId,
  completedOn,
  source: "attendance",
  completionId: null,
  registrationId: 1,
  sessionId: 1,
  provider: null,
});

function venue(staff: { id: number; roleId: number; done?: CompletionEvidence[]; exempt?: Exemption[] }[], asOf: string, threshold = 80) {
  const evidence: StaffEvidence = {
    completions: new Map(staff.map((s) => [s.id, s.done ?? []])),
    exemptions: new Map(staff.map((s) => [s.id, s.exempt ?? []])),
  };
  return evaluateVenue(staff, requirementsByRole, evidence, new CountingDay(asOf, null), threshold);
}

describe("a staff member's training", () => {
  it("counts for its months and lapses on the same day of the month that many months on, then is due again", () => {
    const staff = [{ id: 1, roleId: DOOR, done: [done(BYSTANDER, "2024-05-01"), done(DISCLOSURES, "2024-05-01")] }];
    expect(venue(staff, "2025-05-01").members[0]).toMatchObject({ status: "due_soon", lapsesOn: "2025-05-01" });
    const after = venue(staff, "2025-05-02").members[0]!;
    expect(after).toMatchObject({ status: "missing", lapsesOn: null, needs: [{ courseId: BYSTANDER, courseName: "Active Bystander" }] });
    expect(after.requirements.find((r) => r.courseId === BYSTANDER)).toMatchObject({ state: "missing", lapsedOn: "2025-05-01" });
    // Handling Disclosures lasts 24 months: still good.
    expect(after.requirements.find((r) => r.courseId === DISCLOSURES)).toMatchObject({ state: "met", validUntil: "2026-05-01" });
  });

  it("lapses on the earliest of their courses, and a course needed once never lapses", () => {
    const door = { id: 1, roleId: DOOR, done: [done(BYSTANDER, "2025-03-10"), done(DISCLOSURES, "2024-01-15")] };
    const bar = { id: 2, roleId: BAR, done: [done(BYSTANDER, "2019-06-01")] };
    const v = venue([door, bar], "2025-06-01");
    expect(v.members.map((m) => [m.status, m.lapsesOn])).toEqual([
      ["trained", "2026-01-15"],
      ["trained", null],
    ]);
    expect(v.nextLapse).toBe("2026-01-15");
  });

  it("says a refresher is due soon within 60 days of the lapse, and sends them on it", () => {
    const staff = [{ id: 1, roleId: DOOR, done: [done(BYSTANDER, "2024-08-01"), done(DISCLOSURES, "2025-01-01")] }];
    expect(venue(staff, "2025-06-01").members[0]).toMatchObject({ status: "trained", needs: [] });
    expect(venue(staff, "2025-06-02").members[0]).toMatchObject({ status: "due_soon", needs: [{ courseId: BYSTANDER }] });
  });

  it("is exempt only when excused from everything they have not done", () => {
    const all: Exemption = { id: 1, courseId: null, reason: "Trains the team", grantedBy: "Manager" };
    const one: Exemption = { id: 2, courseId: DISCLOSURES, reason: "Done elsewhere", grantedBy: "Manager" };
    const v = venue(
      [
        { id: 1, roleId: DOOR, exempt: [all] },
        { id: 2, roleId: DOOR, exempt: [one], done: [done(BYSTANDER, "2025-05-01")] },
        { id: 3, roleId: DOOR, exempt: [one] },
      ],
      "2025-06-01",
    );
    expect(v.members.map((m) => m.status)).toEqual(["exempt", "trained", "missing"]);
  });
});

describe("a venue's trained share and accreditation", () => {
  it("is accredited at exactly the threshold and not a member below it", () => {
    const trained = (id: number) => ({ id, roleId: BAR, done: [done(BYSTANDER, "2025-01-01")] });
    const untrained = (id: number) => ({ id, roleId: BAR, done: [] });
    const fourOfFive = venue([trained(1), trained(2), trained(3), trained(4), untrained(5)], "2025-06-01");
    expect(fourOfFive).toMatchObject({ counted: 5, trained: 4, share: 80, accreditation: { accredited: true, until: null } });
    const threeOfFive = venue([trained(1), trained(2), trained(3), untrained(4), untrained(5)], "2025-06-01");
    expect(threeOfFive).toMatchObject({ share: 60, accreditation: { accredited: false, until: null } });
    // 7 of 9 is 77.8%, under 80% however it is rounded; at a 75% threshold it is enough.
    const sevenOfNine = [1, 2, 3, 4, 5, 6, 7].map(trained).concat([untrained(8), untrained(9)]);
    expect(venue(sevenOfNine, "2025-06-01").accreditation.accredited).toBe(false);
    expect(venue(sevenOfNine, "2025-06-01", 75).accreditation.accredited).toBe(true);
    expect(venue([], "2025-06-01")).toMatchObject({ counted: 0, share: null, accreditation: { accredited: false } });
  });

  it("lapses on the day enough members' training lapses to take the share below the threshold", () => {
    const door = (id: number, bystander: string) => ({ id, roleId: DOOR, done: [done(BYSTANDER, bystander), done(DISCLOSURES, "2025-01-01")] });
    const staff = [
      door(1, "2025-03-10"),
      door(2, "2025-05-20"),
      door(3, "2025-02-01"),
      { id: 4, roleId: BAR, done: [done(BYSTANDER, "2020-01-01")] },
      { id: 5, roleId: DOOR, exempt: [{ id: 1, courseId: null, reason: "Owner", grantedBy: "Coordinator" }] },
    ];
    // All five trained; 80% needs four, so the second lapse (10 March 2026) takes it to three of five.
    const june = venue(staff, "2025-06-01");
    expect(june.accreditation).toEqual({ accredited: true, until: "2026-03-10" });
    expect(venue(staff, "2026-03-10").accreditation.accredited).toBe(true);
    expect(venue(staff, "2026-03-11").accreditation).toEqual({ accredited: false, until: null });
    // A lower threshold holds longer: at 60%, three of five are enough, until the third lapse.
    expect(venue(staff, "2025-06-01", 60).accreditation.until).toBe("2026-05-20");
  });

  it("takes lapses that fall on the same day together", () => {
    expect(
      accreditationOf(
        [
          { status: "trained", lapsesOn: "2026-01-01" },
          { status: "trained", lapsesOn: "2026-01-01" },
          { status: "trained", lapsesOn: "2026-02-01" },
          { status: "trained", lapsesOn: null },
        ],
        75,
      ),
    ).toEqual({ accredited: true, until: "2026-01-01" });
  });
});
