import { describe, expect, it } from "vitest";
import {
  countingWindow,
  CountingDay,
  indexEvidence,
  meetRequirement,
  RosterWindows,
  type CompletionEvidence,
  type CourseRequirement,
  type Exemption,
  type Validity,
} from "./requirements.ts";
import { percentOf, worstOf } from "./status.ts";

const COURSE = 1;
const OTHER = 2;
const YEAR = { first: "2026-08-01", last: "2027-07-31" };

const done = (completedOn: string, courseId = COURSE, source: CompletionEvidence["source"] = "attendance"): CompletionEvidence => ({
  courseId,
  completedOn,
  source,
  completionId: null,
  registrationId: null,
  sessionId: null,
  provider: null,
});
const requirement = (lasts: Validity, courseId = COURSE): CourseRequirement => ({ courseId, courseName: `Course ${courseId}`, lasts });
const meet = (lasts: Validity, asOf: string, completions: CompletionEvidence[], opts: { period?: typeof YEAR | null; exemptions?: Exemption[] } = {}) =>
  meetRequirement(requirement(lasts), indexEvidence(completions), opts.exemptions ?? [], new CountingDay(asOf, opts.period ?? null));

describe("how long a completion counts", () => {
  it("once done, for good: any completion up to the day, never lapsing", () => {
    expect(meet({ kind: "once" }, "2030-01-01", [done("2019-05-01")])).toMatchObject({ state: "met", validUntil: null });
    expect(meet({ kind: "once" }, "2019-04-30", [done("2019-05-01")]).state).toBe("missing");
  });

  it("for the period: done within the roster's current period, until its last day", () => {
    expect(meet({ kind: "period" }, "2026-12-01", [done("2026-08-01")], { period: YEAR })).toMatchObject({ state: "met", validUntil: "2027-07-31" });
    expect(meet({ kind: "period" }, "2026-12-01", [done("2026-07-31")], { period: YEAR }).state).toBe("missing");
    expect(countingWindow({ kind: "period" }, "2028-01-10", YEAR)).toEqual({ from: "2026-08-01", to: "2027-07-31" });
  });

  it("for the period: refused for a roster without periods", () => {
    expect(() => meet({ kind: "period" }, "2026-12-01", [done("2026-09-01")])).toThrow(/periods/);
  });

  it("for N months: a rolling window back from the day, lapsing N months after the completion, in whole months", () => {
    const twelve: Validity = { kind: "months", months: 12 };
    expect(meet(twelve, "2026-06-01", [done("2025-06-01")])).toMatchObject({ state: "met", validUntil: "2026-06-01" });
    expect(meet(twelve, "2026-06-02", [done("2025-06-01")]).state).toBe("missing");
    expect(meet(twelve, "2026-06-01", [done("2026-06-02")]).state).toBe("missing");
    expect(countingWindow({ kind: "months", months: 1 }, "2027-03-31", null)).toEqual({ from: "2027-02-28", to: "2027-03-31" });
    expect(new CountingDay("2025-01-01", null).lapsesOn({ kind: "months", months: 12 }, "2024-02-29")).toBe("2025-02-28");
  });
});

describe("one requirement", () => {
  const twelve: Validity = { kind: "months", months: 12 };
  const excused: Exemption = { id: 7, courseId: COURSE, reason: "Trains others", grantedBy: "Venue manager" };

  it("is met by the most recent completion that counts, of that course", () => {
    const outcome = meet(twelve, "2026-06-01", [done("2025-09-01"), done("2026-03-01", COURSE, "external"), done("2026-04-01", OTHER), done("2024-01-01")]);
    expect(outcome.metBy).toMatchObject({ completedOn: "2026-03-01", source: "external" });
    expect(outcome.validUntil).toBe("2027-03-01");
  });

  it("is exempt when not met and excused from that course or from every course; met when done anyway", () => {
    expect(meet(twelve, "2026-06-01", [], { exemptions: [excused] })).toMatchObject({ state: "exempt", exemption: excused, validUntil: null });
    expect(meet(twelve, "2026-06-01", [], { exemptions: [{ ...excused, courseId: null }] }).state).toBe("exempt");
    expect(meet(twelve, "2026-06-01", [], { exemptions: [{ ...excused, courseId: OTHER }] }).state).toBe("missing");
    expect(meet(twelve, "2026-06-01", [done("2026-01-01")], { exemptions: [excused] })).toMatchObject({ state: "met", exemption: null });
  });
});

describe("a whole roster", () => {
  it("numbers each distinct window once, however many roles share it, and finds the windows a completion falls in", () => {
    const twelve = requirement({ kind: "months", months: 12 });
    const windows = new RosterWindows(
      new Map([
        [1, [twelve, requirement({ kind: "once" }, OTHER)]],
        [2, [{ ...twelve, lasts: { kind: "months", months: 12 } }]],
        [3, [requirement({ kind: "months", months: 24 })]],
      ]),
      new CountingDay("2026-06-01", null),
    );
    expect(windows.count).toBe(3);
    expect(windows.of(2)[0]!.window).toBe(windows.of(1)[0]!.window);
    expect(windows.windowsOf(COURSE, "2025-01-01")).toEqual([windows.of(3)[0]!.window]);
    expect(windows.windowsOf(COURSE, "2025-07-01")).toEqual([windows.of(1)[0]!.window, windows.of(3)[0]!.window]);
    expect(windows.windowsOf(OTHER, "2001-01-01")).toEqual([windows.of(1)[1]!.window]);
    expect(windows.of(99)).toEqual([]);
  });

  it("combines statuses worst first, and gives shares to one decimal", () => {
    const severity = { lapsed: 0, lapsing: 1, trained: 2 };
    expect(worstOf(["trained", "lapsing", "trained"], severity, "trained")).toBe("lapsing");
    expect(worstOf<keyof typeof severity>([], severity, "trained")).toBe("trained");
    expect(percentOf(2, 3)).toBe(66.7);
    expect(percentOf(0, 0)).toBeNull();
  });
});
