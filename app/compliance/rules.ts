import type { RequirementValidity } from "#db/schema.ts";
import { academicYearDates } from "#app/utils/dates.ts";
import {
  CountingDay,
  daysLater,
  excuses,
  indexEvidence,
  meetRequirement,
  REQUIREMENT_SEVERITY,
  RosterWindows,
  type CompletionEvidence,
  type CompletionWindows,
  type CourseRequirement,
  type Exemption,
  type RequirementOutcome,
  type Validity,
} from "#app/roster/requirements.ts";
import { worstOf } from "#app/roster/status.ts";

/**
 * Whether a student leader has done the training their roles require: the roster rules
 * (`#app/roster/requirements.ts`) with what is particular to leaders. A roster year is an academic
 * year, the period a per-year requirement counts in; each year has a deadline, and someone appointed
 * late has four weeks from their start; a role can end mid-year. Decided from plain data, so the same
 * rules serve the dashboard, a leader's own page, reminders and the weekly digest.
 */

export type ComplianceStatus = "compliant" | "due" | "due_soon" | "overdue";
/** An appointment that has ended demands nothing; a person whose every appointment ended is "ended". */
export type LeaderStatus = ComplianceStatus | "ended";

/** Someone appointed later than this many days before the deadline has this many days from their start. */
export const LATE_APPOINTMENT_DAYS = 28;
/** "Due soon" when the due date is at most this many days away. */
export const DUE_SOON_DAYS = 14;

/** Worst first: how statuses sort and combine. */
export const STATUS_SEVERITY: Record<LeaderStatus, number> = { overdue: 0, due_soon: 1, due: 2, compliant: 3, ended: 4 };

export const STATUS_LABELS: Record<LeaderStatus, string> = {
  overdue: "Overdue",
  due_soon: "Due soon",
  due: "Due",
  compliant: "Compliant",
  ended: "Role ended",
};

/** A course a leader role requires, as the officer set it, with how long it lasts in the roster rules' terms. */
export interface RequirementRule extends CourseRequirement {
  roleId: number;
  /** "academic_year": done within the roster year (the rules' per-period validity); "months": within `validityMonths`. */
  validity: RequirementValidity;
  validityMonths: number | null;
}

const PER_YEAR: Validity = Object.freeze({ kind: "period" });

/** A role's requirement as stored, ready for the rules. */
export function requirementRule(rule: Omit<RequirementRule, "lasts">): RequirementRule {
  return { ...rule, lasts: rule.validity === "academic_year" ? PER_YEAR : { kind: "months", months: rule.validityMonths ?? 12 } };
}

export interface AppointmentFacts {
  id: number;
  roleId: number;
  startedOn: string;
  endedOn: string | null;
}

/** An exemption is for one roster year. */
export interface ExemptionFacts extends Exemption {
  startYear: number;
}

export interface RequirementResult extends RequirementOutcome<ExemptionFacts> {
  courseId: number;
  courseName: string;
  validity: RequirementValidity;
  validityMonths: number | null;
}

export interface AppointmentResult {
  appointmentId: number;
  status: LeaderStatus;
  dueOn: string;
  requirements: RequirementResult[];
}

/** One course across all of a person's live appointments. */
export interface PersonRequirement extends RequirementResult {
  /** The earliest due date among the appointments that still need it (or that demand it, when met). */
  dueOn: string;
}

export interface PersonResult {
  status: LeaderStatus;
  /** The earliest date something still missing is due; null when nothing is missing. */
  dueOn: string | null;
  appointments: AppointmentResult[];
  requirements: PersonRequirement[];
}

export interface LeaderFacts {
  startYear: number;
  deadline: string;
  asOf: string;
  appointments: AppointmentFacts[];
  /** Requirements of every role involved, by role id. */
  requirementsByRole: ReadonlyMap<number, readonly RequirementRule[]>;
  completions: readonly CompletionEvidence[];
  exemptions: readonly ExemptionFacts[];
}

// ---- The rules --------------------------------------------------------------------------------

/** The year's deadline; someone appointed within four weeks of it (or after) has four weeks from their start. */
export function dueDate(deadline: string, startedOn: string): string {
  return startedOn > daysLater(deadline, -LATE_APPOINTMENT_DAYS) ? daysLater(startedOn, LATE_APPOINTMENT_DAYS) : deadline;
}

export function isEnded(appointment: { endedOn: string | null }, asOf: string): boolean {
  return appointment.endedOn !== null && appointment.endedOn <= asOf;
}

function statusOfMissing(dueOn: string, asOf: string): ComplianceStatus {
  if (asOf > dueOn) return "overdue";
  return dueOn <= daysLater(asOf, DUE_SOON_DAYS) ? "due_soon" : "due";
}

/**
 * The day a roster year is evaluated on: its academic year is the period per-year requirements count
 * in. Kept for the last year and day asked about, so a whole roster shares its windows.
 */
let lastCounting: { startYear: number; day: CountingDay } | null = null;
export function countingDayOf(startYear: number, asOf: string): CountingDay {
  if (lastCounting?.startYear !== startYear || lastCounting.day.asOf !== asOf)
    lastCounting = { startYear, day: new CountingDay(asOf, academicYearDates(startYear)) };
  return lastCounting.day;
}

/**
 * What every leader evaluated for the same year and day shares: the last start date that keeps the
 * year's deadline, the last due date that is "due soon", and each requirement's window. Kept for the
 * last day asked about, so evaluating a whole roster works each out once.
 */
interface Day {
  startYear: number;
  deadline: string;
  asOf: string;
  lateFrom: string;
  dueSoonBy: string;
  counting: CountingDay;
}
let lastDay: Day | null = null;
function dayOf(startYear: number, deadline: string, asOf: string): Day {
  if (lastDay && lastDay.startYear === startYear && lastDay.deadline === deadline && lastDay.asOf === asOf) return lastDay;
  return (lastDay = {
    startYear,
    deadline,
    asOf,
    lateFrom: daysLater(deadline, -LATE_APPOINTMENT_DAYS),
    dueSoonBy: daysLater(asOf, DUE_SOON_DAYS),
    counting: countingDayOf(startYear, asOf),
  });
}

/** Exemptions that hold in a roster year. */
const ofYear = (exemptions: readonly ExemptionFacts[], startYear: number) =>
  exemptions.length ? exemptions.filter((e) => e.startYear === startYear) : exemptions;

/** Everything about one person for one roster year. */
export function evaluateLeader(facts: LeaderFacts): PersonResult {
  const { startYear, deadline, asOf } = facts;
  const day = dayOf(startYear, deadline, asOf);
  const evidence = indexEvidence(facts.completions);
  const exemptions = ofYear(facts.exemptions, startYear);

  const appointments: AppointmentResult[] = facts.appointments.map((a) => {
    // As dueDate() and statusOfMissing(), with the shared dates.
    const dueOn = a.startedOn > day.lateFrom ? daysLater(a.startedOn, LATE_APPOINTMENT_DAYS) : deadline;
    const rules = facts.requirementsByRole.get(a.roleId) ?? [];
    if (isEnded(a, asOf)) return { appointmentId: a.id, status: "ended", dueOn, requirements: [] };
    let missing = false;
    const requirements = rules.map((rule): RequirementResult => {
      const { state, metBy, validUntil, exemption } = meetRequirement(rule, evidence, exemptions, day.counting);
      if (state === "missing") missing = true;
      return {
        courseId: rule.courseId,
        courseName: rule.courseName,
        validity: rule.validity,
        validityMonths: rule.validityMonths,
        state,
        metBy,
        validUntil,
        exemption,
      };
    });
    const status: ComplianceStatus = !missing ? "compliant" : asOf > dueOn ? "overdue" : dueOn <= day.dueSoonBy ? "due_soon" : "due";
    return { appointmentId: a.id, status, dueOn, requirements };
  });

  // One line per course across the live appointments: missing if any appointment still needs it.
  const rank = (r: RequirementResult) => REQUIREMENT_SEVERITY[r.state];
  const merged = new Map<number, PersonRequirement>();
  for (const a of appointments) {
    for (const r of a.requirements) {
      const seen = merged.get(r.courseId);
      if (!seen) merged.set(r.courseId, { ...r, dueOn: a.dueOn });
      else if (rank(r) < rank(seen) || (rank(r) === rank(seen) && a.dueOn < seen.dueOn)) merged.set(r.courseId, { ...r, dueOn: a.dueOn });
    }
  }
  const missingDue = appointments.filter((a) => a.status !== "ended" && a.status !== "compliant").map((a) => a.dueOn);
  return {
    // "ended" is the least severe: the status of someone with any live appointment is theirs.
    status: worstOf(
      appointments.map((a) => a.status),
      STATUS_SEVERITY,
      "ended",
    ),
    dueOn: missingDue.length ? missingDue.reduce((x, y) => (x < y ? x : y)) : null,
    appointments,
    requirements: merged.size > 1 ? [...merged.values()].sort(byCourseName) : [...merged.values()],
  };
}

const collator = new Intl.Collator("en-GB");
const byCourseName = (a: { courseName: string }, b: { courseName: string }) => collator.compare(a.courseName, b.courseName);

/**
 * The rules for one roster year on one day, prepared once for a whole roster (see `RosterWindows`):
 * `appointmentStatus` gives the same status as `evaluateLeader` without building the detail, for
 * dashboards that count everyone and show a page.
 */
export interface YearRules {
  startYear: number;
  deadline: string;
  asOf: string;
  windows: RosterWindows<RequirementRule>;
  dueOn(startedOn: string): string;
  /**
   * The appointment's status, given which windows the person has a completion in and their exemptions.
   * Calls `onMissing` for each requirement still needed; without it, stops at the first.
   */
  appointmentStatus(
    appointment: Omit<AppointmentFacts, "id">,
    person: { slot: number; exemptions: readonly ExemptionFacts[] },
    completions: CompletionWindows,
    onMissing?: (rule: RequirementRule) => void,
  ): LeaderStatus;
  /** The person's status from their appointments' statuses, as `evaluateLeader` combines them. */
  personStatus(appointmentStatuses: readonly LeaderStatus[]): LeaderStatus;
}

export function prepareYearRules(
  requirementsByRole: ReadonlyMap<number, readonly RequirementRule[]>,
  startYear: number,
  deadline: string,
  asOf: string,
): YearRules {
  const windows = new RosterWindows(requirementsByRole, dayOf(startYear, deadline, asOf).counting);
  const dueOnByStart = new Map<string, string>();
  const dueOn = (startedOn: string) => {
    let due = dueOnByStart.get(startedOn);
    if (due === undefined) dueOnByStart.set(startedOn, (due = dueDate(deadline, startedOn)));
    return due;
  };
  const statusByDue = new Map<string, ComplianceStatus>();
  const missingStatus = (due: string) => {
    let status = statusByDue.get(due);
    if (status === undefined) statusByDue.set(due, (status = statusOfMissing(due, asOf)));
    return status;
  };

  return {
    startYear,
    deadline,
    asOf,
    windows,
    dueOn,
    appointmentStatus(appointment, { slot, exemptions }, completions, onMissing) {
      if (isEnded(appointment, asOf)) return "ended";
      let missing = false;
      for (const { requirement, window } of windows.of(appointment.roleId)) {
        if (completions.has(slot, window)) continue;
        if (exemptions.length && exemptions.some((e) => e.startYear === startYear && excuses(e, requirement.courseId))) continue;
        missing = true;
        if (!onMissing) break;
        onMissing(requirement);
      }
      return missing ? missingStatus(dueOn(appointment.startedOn)) : "compliant";
    },
    personStatus: (statuses) => worstOf(statuses, STATUS_SEVERITY, "ended"),
  };
}
