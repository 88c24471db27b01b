import { plural } from "#app/utils/plural.ts";
import type { StaffRequirementValidity } from "#db/schema.ts";
import {
  daysLater,
  indexEvidence,
  meetRequirement,
  REQUIREMENT_SEVERITY,
  type CompletionEvidence,
  type CountingDay,
  type CourseRequirement,
  type Exemption,
  type RequirementOutcome,
  type Validity,
} from "#app/roster/requirements.ts";
import { percentOf, worstOf } from "#app/roster/status.ts";

/**
 * Whether a partner venue's or staff team's staff are trained, on the roster rules
 * (`#app/roster/requirements.ts`): training valid for good or for a rolling number of months, no
 * academic year and no deadline. A member is trained when every course their role needs is met (or
 * they are excused); their training lapses on the earliest day one of those stops counting. The
 * venue is accredited while the trained share is at least the campaign's threshold, until the day
 * enough members' training lapses to take it below. Decided from plain data, so the venue's page,
 * the coordinator's list and the impact report agree.
 */

/** A course a staff role needs, as the coordinator set it, in the roster rules' terms. */
export interface StaffRequirementRule extends CourseRequirement {
  roleId: number;
  validity: StaffRequirementValidity;
  validityMonths: number | null;
}

const FOR_GOOD: Validity = Object.freeze({ kind: "once" });

/** A role's requirement as stored, ready for the rules. */
export function staffRequirementRule(rule: Omit<StaffRequirementRule, "lasts">): StaffRequirementRule {
  return { ...rule, lasts: rule.validity === "once" ? FOR_GOOD : { kind: "months", months: rule.validityMonths ?? 12 } };
}

/** How long a course counts, as the coordinator says it. */
export const staffValidityText = (r: { validity: string; validityMonths: number | null }) =>
  r.validity === "once" ? "for good once done" : `for ${plural(r.validityMonths ?? 0, "month")}, then a refresher`;

/** A refresher is "due soon" when the training lapses within this many days: time to book the next session. */
export const REFRESHER_SOON_DAYS = 60;

/** The campaign's threshold unless the coordinator sets another: four in five staff trained. */
export const DEFAULT_THRESHOLD_PERCENT = 80;

export type StaffStatus = "trained" | "due_soon" | "exempt" | "missing";

export const STAFF_STATUS_LABELS: Record<StaffStatus, string> = {
  trained: "Trained",
  due_soon: "Refresher due soon",
  exempt: "Exempt",
  missing: "Needs training",
};

/** One course for one member: met, exempt or missing, and for a missing one the day their last training of it lapsed. */
export interface StaffRequirementResult extends RequirementOutcome {
  courseId: number;
  courseName: string;
  /** When missing because earlier training has run out: the last day it counted. */
  lapsedOn: string | null;
}

export interface MemberCoverage {
  memberId: number;
  status: StaffStatus;
  /** The last day their training counts (the earliest of their courses'); null when it counts for good, or is missing. */
  lapsesOn: string | null;
  requirements: StaffRequirementResult[];
  /** Courses to send them on: those missing, and those whose refresher is due soon. */
  needs: { courseId: number; courseName: string }[];
}

export interface Accreditation {
  accredited: boolean;
  /** The last day it holds, when the training of enough members lapses then to take the share below the threshold. */
  until: string | null;
}

export interface VenueCoverage {
  members: MemberCoverage[];
  /** Staff on the list on the day. */
  counted: number;
  /** Of those, trained or exempt. */
  trained: number;
  /** The trained share, 0–100 to one decimal; null with nobody on the list. */
  share: number | null;
  thresholdPercent: number;
  accreditation: Accreditation;
  /** The next day a member's training lapses, if any. */
  nextLapse: string | null;
}

export interface StaffMemberFacts {
  id: number;
  roleId: number;
}

/** Evidence and exemptions, each by member. */
export interface StaffEvidence {
  completions: ReadonlyMap<number, readonly CompletionEvidence[]>;
  exemptions: ReadonlyMap<number, readonly Exemption[]>;
}

/** One member on the day. */
export function evaluateMember(
  member: StaffMemberFacts,
  requirements: readonly StaffRequirementRule[],
  evidence: StaffEvidence,
  day: CountingDay,
): MemberCoverage {
  const byCourse = indexEvidence(evidence.completions.get(member.id) ?? []);
  const exemptions = evidence.exemptions.get(member.id) ?? [];
  const soon = daysLater(day.asOf, REFRESHER_SOON_DAYS);
  const results = requirements.map((r): StaffRequirementResult => {
    const outcome = meetRequirement(r, byCourse, exemptions, day);
    let lapsedOn: string | null = null;
    if (outcome.state === "missing") {
      const last = (byCourse.get(r.courseId) ?? []).find((c) => c.completedOn <= day.asOf);
      lapsedOn = last ? day.lapsesOn(r.lasts, last.completedOn) : null;
    }
    return { ...outcome, courseId: r.courseId, courseName: r.courseName, lapsedOn };
  });
  const state = worstOf(
    results.map((r) => r.state),
    REQUIREMENT_SEVERITY,
    "met",
  );
  const lapsesOn = state === "missing" ? null : (results.flatMap((r) => (r.validUntil ? [r.validUntil] : [])).sort()[0] ?? null);
  const dueSoon = (r: StaffRequirementResult) => r.state === "met" && r.validUntil !== null && r.validUntil <= soon;
  let status: StaffStatus = "trained";
  if (state === "missing") status = "missing";
  else if (lapsesOn !== null && lapsesOn <= soon) status = "due_soon";
  else if (results.length && results.every((r) => r.state === "exempt")) status = "exempt";
  return {
    memberId: member.id,
    status,
    lapsesOn,
    requirements: results,
    needs: results.filter((r) => r.state === "missing" || dueSoon(r)).map((r) => ({ courseId: r.courseId, courseName: r.courseName })),
  };
}

/**
 * Accredited while at least `thresholdPercent` of the staff are trained (exactly: 4 of 5 is 80%). It
 * lapses when enough members' training lapses to take the share below: with T trained of N and
 * `needed` the fewest that reach the threshold, the (T − needed + 1)th lapse, in date order.
 */
export function accreditationOf(members: readonly Pick<MemberCoverage, "status" | "lapsesOn">[], thresholdPercent: number): Accreditation {
  const counted = members.length;
  const trained = members.filter((m) => m.status !== "missing").length;
  const needed = Math.ceil((thresholdPercent * counted) / 100);
  if (counted === 0 || trained < needed) return { accredited: false, until: null };
  const lapses = members
    .filter((m) => m.status !== "missing" && m.lapsesOn !== null)
    .map((m) => m.lapsesOn!)
    .sort();
  return { accredited: true, until: lapses[trained - needed] ?? null };
}

/** A whole venue on the day. */
export function evaluateVenue(
  members: readonly StaffMemberFacts[],
  requirementsByRole: ReadonlyMap<number, readonly StaffRequirementRule[]>,
  evidence: StaffEvidence,
  day: CountingDay,
  thresholdPercent: number,
): VenueCoverage {
  const results = members.map((m) => evaluateMember(m, requirementsByRole.get(m.roleId) ?? [], evidence, day));
  const trained = results.filter((m) => m.status !== "missing").length;
  return {
    members: results,
    counted: results.length,
    trained,
    share: percentOf(trained, results.length),
    thresholdPercent,
    accreditation: accreditationOf(results, thresholdPercent),
    nextLapse: results.flatMap((m) => (m.lapsesOn ? [m.lapsesOn] : [])).sort()[0] ?? null,
  };
}
