import type { RequirementValidity } from "#db/schema.ts";
import { academicYearDates, addDays, addMonths } from "#app/utils/dates.ts";

/**
 * Whether a student leader has done the training their roles require, decided from plain data so
 * the same rules serve the dashboard, a leader's own page, reminders and the weekly digest.
 * Dates are London calendar dates, "YYYY-MM-DD"; they compare correctly as strings.
 */

export type ComplianceStatus = "compliant" | "due" | "due_soon" | "overdue";
/** An appointment that has ended demands nothing; a person whose every appointment ended is "ended". */
export type LeaderStatus = ComplianceStatus | "ended";
export type RequirementState = "met" | "exempt" | "missing";
export type EvidenceSource = "attendance" | "external" | "confirmed_match";

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

export interface RequirementRule {
  roleId: number;
  courseId: number;
  courseName: string;
  validity: RequirementValidity;
  validityMonths: number | null;
}

export interface AppointmentFacts {
  id: number;
  roleId: number;
  startedOn: string;
  endedOn: string | null;
}

/** One piece of evidence that a person did a course: a register, or a record an officer made. */
export interface CompletionEvidence {
  courseId: number;
  completedOn: string;
  source: EvidenceSource;
  /** leader_completions.id for recorded evidence. */
  completionId: number | null;
  /** The register entry, for attendance and confirmed near-misses. */
  registrationId: number | null;
  sessionId: number | null;
  provider: string | null;
}

export interface ExemptionFacts {
  id: number;
  courseId: number | null; // null: every course
  startYear: number;
  reason: string;
  grantedBy: string;
}

export interface RequirementResult {
  courseId: number;
  courseName: string;
  validity: RequirementValidity;
  validityMonths: number | null;
  state: RequirementState;
  /** The completion that meets it (the most recent that counts). */
  metBy: CompletionEvidence | null;
  /** The last day the completion counts: the end of the academic year, or completion + N months. */
  validUntil: string | null;
  exemption: ExemptionFacts | null;
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

/**
 * Results of the date arithmetic, which thousands of leaders share (one deadline, a few start dates,
 * one window per requirement): a dashboard for 20,000 leaders works each out once.
 */
const memo = new Map<string, string>();
function remember(key: string, compute: () => string): string {
  let value = memo.get(key);
  if (value === undefined) {
    if (memo.size > 50_000) memo.clear();
    memo.set(key, (value = compute()));
  }
  return value;
}

/** The year's deadline; someone appointed within four weeks of it (or after) has four weeks from their start. */
const daysLater = (date: string, days: number) => remember(`d|${date}|${days}`, () => addDays(date, days));
const monthsLater = (date: string, months: number) => remember(`m|${date}|${months}`, () => addMonths(date, months));

export function dueDate(deadline: string, startedOn: string): string {
  return startedOn > daysLater(deadline, -LATE_APPOINTMENT_DAYS) ? daysLater(startedOn, LATE_APPOINTMENT_DAYS) : deadline;
}

export function isEnded(appointment: { endedOn: string | null }, asOf: string): boolean {
  return appointment.endedOn !== null && appointment.endedOn <= asOf;
}

/** The first and last completion dates that count for a requirement, on `asOf`. */
export function countingWindow(rule: Pick<RequirementRule, "validity" | "validityMonths">, startYear: number, asOf: string): { from: string; to: string } {
  if (rule.validity === "academic_year") {
    const { first, last } = academicYearDates(startYear);
    return { from: first, to: last < asOf ? last : asOf };
  }
  return { from: monthsLater(asOf, -(rule.validityMonths ?? 12)), to: asOf };
}

const STATE_RANK: Record<RequirementState, number> = { missing: 0, exempt: 1, met: 2 };
const rank = (r: RequirementResult) => STATE_RANK[r.state];

function statusOfMissing(dueOn: string, asOf: string): ComplianceStatus {
  if (asOf > dueOn) return "overdue";
  return dueOn <= daysLater(asOf, DUE_SOON_DAYS) ? "due_soon" : "due";
}

export function worstStatus<S extends LeaderStatus>(statuses: Iterable<S>, none: S): S {
  let worst: S | null = null;
  for (const s of statuses) if (worst === null || STATUS_SEVERITY[s] < STATUS_SEVERITY[worst]) worst = s;
  return worst ?? none;
}

const newestFirst = (a: CompletionEvidence, b: CompletionEvidence) => (a.completedOn < b.completedOn ? 1 : a.completedOn > b.completedOn ? -1 : 0);
const collator = new Intl.Collator("en-GB");
const byCourseName = (a: { courseName: string }, b: { courseName: string }) => collator.compare(a.courseName, b.courseName);

/** Evidence grouped by course, most recent first. */
export function indexEvidence(completions: readonly CompletionEvidence[]): Map<number, CompletionEvidence[]> {
  const byCourse = new Map<number, CompletionEvidence[]>();
  for (const c of completions) {
    const list = byCourse.get(c.courseId);
    if (list) list.push(c);
    else byCourse.set(c.courseId, [c]);
  }
  for (const list of byCourse.values()) if (list.length > 1) list.sort(newestFirst);
  return byCourse;
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
  yearLast: string;
  windows: WeakMap<Pick<RequirementRule, "validity" | "validityMonths">, { from: string; to: string }>;
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
    yearLast: academicYearDates(startYear).last,
    windows: new WeakMap(),
  });
}

function windowOn(day: Day, rule: Pick<RequirementRule, "validity" | "validityMonths">): { from: string; to: string } {
  let window = day.windows.get(rule);
  if (!window) day.windows.set(rule, (window = countingWindow(rule, day.startYear, day.asOf)));
  return window;
}

/** Everything about one person for one roster year. */
export function evaluateLeader(facts: LeaderFacts): PersonResult {
  const { startYear, deadline, asOf } = facts;
  const day = dayOf(startYear, deadline, asOf);
  const evidence = indexEvidence(facts.completions);
  const exemptionFor = (courseId: number) =>
    facts.exemptions.find((e) => e.startYear === startYear && (e.courseId === null || e.courseId === courseId)) ?? null;

  const appointments: AppointmentResult[] = facts.appointments.map((a) => {
    // As dueDate() and statusOfMissing(), with the shared dates.
    const dueOn = a.startedOn > day.lateFrom ? daysLater(a.startedOn, LATE_APPOINTMENT_DAYS) : deadline;
    const rules = facts.requirementsByRole.get(a.roleId) ?? [];
    if (isEnded(a, asOf)) return { appointmentId: a.id, status: "ended", dueOn, requirements: [] };
    let missing = false;
    const requirements = rules.map((rule): RequirementResult => {
      const { courseId, courseName, validity, validityMonths } = rule;
      const list = evidence.get(courseId);
      let metBy: CompletionEvidence | null = null;
      if (list) {
        const { from, to } = windowOn(day, rule);
        for (const c of list) {
          if (c.completedOn >= from && c.completedOn <= to) {
            metBy = c;
            break;
          }
        }
      }
      if (metBy) {
        const until = validity === "academic_year" ? day.yearLast : monthsLater(metBy.completedOn, validityMonths ?? 12);
        return { courseId, courseName, validity, validityMonths, state: "met", metBy, validUntil: until, exemption: null };
      }
      const exemption = facts.exemptions.length ? exemptionFor(courseId) : null;
      if (exemption) return { courseId, courseName, validity, validityMonths, state: "exempt", metBy: null, validUntil: null, exemption };
      missing = true;
      return { courseId, courseName, validity, validityMonths, state: "missing", metBy: null, validUntil: null, exemption: null };
    });
    const status: ComplianceStatus = !missing ? "compliant" : asOf > dueOn ? "overdue" : dueOn <= day.dueSoonBy ? "due_soon" : "due";
    return { appointmentId: a.id, status, dueOn, requirements };
  });

  // One line per course across the live appointments: missing if any appointment still needs it.
  const merged = new Map<number, PersonRequirement>();
  for (const a of appointments) {
    for (const r of a.requirements) {
      const seen = merged.get(r.courseId);
      if (!seen) merged.set(r.courseId, { ...r, dueOn: a.dueOn });
      else if (rank(r) < rank(seen) || (rank(r) === rank(seen) && a.dueOn < seen.dueOn)) merged.set(r.courseId, { ...r, dueOn: a.dueOn });
    }
  }
  const live = appointments.filter((a) => a.status !== "ended");
  const missingDue = live.filter((a) => a.status !== "compliant").map((a) => a.dueOn);
  return {
    status:
      live.length === 0
        ? "ended"
        : worstStatus(
            live.map((a) => a.status as ComplianceStatus),
            "compliant",
          ),
    dueOn: missingDue.length ? missingDue.reduce((x, y) => (x < y ? x : y)) : null,
    appointments,
    requirements: merged.size > 1 ? [...merged.values()].sort(byCourseName) : [...merged.values()],
  };
}

/**
 * The rules for one roster year on one day, prepared once for a whole roster. Each requirement counts
 * completions within a window (a course and the first and last day that count); roles share them, so
 * a roster has a handful. A completion is noted once against the windows it falls in, and
 * `appointmentStatus` then gives the same status as `evaluateLeader` without building the detail:
 * for dashboards that count everyone and show a page.
 */
export interface YearRules {
  startYear: number;
  deadline: string;
  asOf: string;
  /** How many distinct windows the requirements have. */
  windowCount: number;
  /** The windows a completion of this course on this day falls in. */
  windowsOf(courseId: number, completedOn: string): readonly number[];
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

/** Which windows each person has a completion in, people by their place in a roster (0, 1, 2…). */
export class CompletionWindows {
  private readonly done: Uint8Array;
  constructor(
    people: number,
    private readonly windows: number,
  ) {
    this.done = new Uint8Array(people * windows);
  }
  add(slot: number, windows: readonly number[]) {
    for (const w of windows) this.done[slot * this.windows + w] = 1;
  }
  has(slot: number, window: number): boolean {
    return this.done[slot * this.windows + window] === 1;
  }
}

interface Window {
  courseId: number;
  from: string;
  to: string;
}

export function prepareYearRules(
  requirementsByRole: ReadonlyMap<number, readonly RequirementRule[]>,
  startYear: number,
  deadline: string,
  asOf: string,
): YearRules {
  const windows: Window[] = [];
  const windowIndex = new Map<string, number>();
  const byRole = new Map<number, { rule: RequirementRule; window: number }[]>();
  for (const [roleId, rules] of requirementsByRole) {
    byRole.set(
      roleId,
      rules.map((rule) => {
        const { from, to } = countingWindow(rule, startYear, asOf);
        const key = `${rule.courseId}|${from}|${to}`;
        let window = windowIndex.get(key);
        if (window === undefined) windowIndex.set(key, (window = windows.push({ courseId: rule.courseId, from, to }) - 1));
        return { rule, window };
      }),
    );
  }
  const windowsByCompletion = new Map<string, number[]>();
  const windowsOf = (courseId: number, completedOn: string) => {
    const key = `${courseId}|${completedOn}`;
    let found = windowsByCompletion.get(key);
    if (!found) {
      found = [];
      for (let w = 0; w < windows.length; w++) {
        const { courseId: c, from, to } = windows[w]!;
        if (c === courseId && completedOn >= from && completedOn <= to) found.push(w);
      }
      windowsByCompletion.set(key, found);
    }
    return found;
  };
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
  const none: { rule: RequirementRule; window: number }[] = [];

  return {
    startYear,
    deadline,
    asOf,
    windowCount: windows.length,
    windowsOf,
    dueOn,
    appointmentStatus(appointment, { slot, exemptions }, completions, onMissing) {
      if (isEnded(appointment, asOf)) return "ended";
      let missing = false;
      for (const { rule, window } of byRole.get(appointment.roleId) ?? none) {
        if (completions.has(slot, window)) continue;
        if (exemptions.length && exemptions.some((e) => e.startYear === startYear && (e.courseId === null || e.courseId === rule.courseId))) continue;
        missing = true;
        if (!onMissing) break;
        onMissing(rule);
      }
      return missing ? missingStatus(dueOn(appointment.startedOn)) : "compliant";
    },
    personStatus(statuses) {
      let worst: LeaderStatus = "ended";
      for (const s of statuses) if (s !== "ended" && (worst === "ended" || STATUS_SEVERITY[s] < STATUS_SEVERITY[worst])) worst = s;
      return worst;
    },
  };
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const ALREADY_PLAIN = /^[a-z0-9]+(?: [a-z0-9]+)*$/;

/** Names compared for near-misses: case, accents, punctuation and spacing ignored. */
export function normaliseName(name: string): string {
  // Most names on a register are plain ASCII, where this is the same as the Unicode steps below and
  // far quicker: near-misses compare every name on the registers.
  if (PRINTABLE_ASCII.test(name)) {
    const lower = name.toLowerCase();
    return ALREADY_PLAIN.test(lower)
      ? lower
      : lower
          .replace(/[^a-z0-9 ]/g, "")
          .replace(/ +/g, " ")
          .trim();
  }
  return name
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, "")
    .replace(/\s+/g, " ")
    .trim();
}
