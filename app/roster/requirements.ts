import { addDays, addMonths } from "#app/utils/dates.ts";

/**
 * Whether a person on a roster has done the courses their roles require, decided from plain data: the
 * requirements, the evidence that they did a course (a register, or a record someone made) and their
 * exemptions. Any roster evaluates its people with these rules: student leaders within an academic
 * year, a venue's staff over a rolling twelve months. Dates are London calendar dates, "YYYY-MM-DD";
 * they compare correctly as strings.
 */

/** How long a completed course counts. */
export type Validity =
  /** For good, once done. */
  | { kind: "once" }
  /** When done within the roster's current period (a leader's academic year), until the period ends. */
  | { kind: "period" }
  /** For this many months from the day it was done; then a refresher is due. */
  | { kind: "months"; months: number };

/** A roster's current period, both days inclusive. */
export interface Period {
  first: string;
  last: string;
}

/** A course a role requires, and how long doing it counts. */
export interface CourseRequirement {
  courseId: number;
  courseName: string;
  lasts: Validity;
}

export type EvidenceSource = "attendance" | "external" | "confirmed_match";

/** One piece of evidence that a person did a course: a register, or a record someone made. */
export interface CompletionEvidence {
  courseId: number;
  completedOn: string;
  source: EvidenceSource;
  /** The recorded completion's id, for recorded evidence. */
  completionId: number | null;
  /** The register entry, for attendance and confirmed near-misses. */
  registrationId: number | null;
  sessionId: number | null;
  provider: string | null;
}

/** Someone excused from one course, or from every course (`courseId` null), with who granted it and why. */
export interface Exemption {
  id: number;
  courseId: number | null;
  reason: string;
  grantedBy: string;
}

export type RequirementState = "met" | "exempt" | "missing";

/** Worst first: how requirement states sort and combine. */
export const REQUIREMENT_SEVERITY: Readonly<Record<RequirementState, number>> = { missing: 0, exempt: 1, met: 2 };

export interface RequirementOutcome<E extends Exemption = Exemption> {
  state: RequirementState;
  /** The completion that meets it: the most recent that counts. */
  metBy: CompletionEvidence | null;
  /** The last day that completion counts: the period's last day, or N months on; null for good (and when not met). */
  validUntil: string | null;
  exemption: E | null;
}

// ---- The date arithmetic a roster shares -------------------------------------------------------

/**
 * Results of the date arithmetic, which thousands of people share (one deadline, a few start dates,
 * one window per requirement): a roster of 20,000 works each out once.
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

export const daysLater = (date: string, days: number) => remember(`d|${date}|${days}`, () => addDays(date, days));
const monthsLater = (date: string, months: number) => remember(`m|${date}|${months}`, () => addMonths(date, months));

/** Before any course the campaign ran: where a course done "once" starts counting from. */
const BEGINNING = "1970-01-01";

/** The first and last completion dates that count. */
export interface CountingWindow {
  from: string;
  to: string;
}

/** The first and last completion dates that count on `asOf` towards a requirement that lasts so long. */
export function countingWindow(lasts: Validity, asOf: string, period: Period | null): CountingWindow {
  switch (lasts.kind) {
    case "once":
      return { from: BEGINNING, to: asOf };
    case "period": {
      const { first, last } = periodOf(period);
      return { from: first, to: last < asOf ? last : asOf };
    }
    case "months":
      return { from: monthsLater(asOf, -lasts.months), to: asOf };
  }
}

function periodOf(period: Period | null): Period {
  if (!period) throw new Error("A requirement that counts for the period needs a roster with periods");
  return period;
}

/**
 * The day a roster's requirements are evaluated on, within its current period if it has periods.
 * Each validity's window is worked out once for the day: a roster of thousands shares a handful.
 */
export class CountingDay {
  private readonly windows = new WeakMap<Validity, CountingWindow>();

  constructor(
    readonly asOf: string,
    readonly period: Period | null,
  ) {}

  windowOf(lasts: Validity): CountingWindow {
    let window = this.windows.get(lasts);
    if (!window) this.windows.set(lasts, (window = countingWindow(lasts, this.asOf, this.period)));
    return window;
  }

  /** The last day a completion on `completedOn` counts; null when it counts for good. */
  lapsesOn(lasts: Validity, completedOn: string): string | null {
    switch (lasts.kind) {
      case "once":
        return null;
      case "period":
        return periodOf(this.period).last;
      case "months":
        return monthsLater(completedOn, lasts.months);
    }
  }
}

// ---- One person's requirements -----------------------------------------------------------------

const newestFirst = (a: CompletionEvidence, b: CompletionEvidence) => (a.completedOn < b.completedOn ? 1 : a.completedOn > b.completedOn ? -1 : 0);

/** Evidence grouped by course, most recent first (of two on the same day, the first given). */
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

/** Whether an exemption excuses a course. */
export const excuses = (exemption: Exemption, courseId: number) => exemption.courseId === null || exemption.courseId === courseId;

const MISSING: RequirementOutcome<never> = Object.freeze({ state: "missing", metBy: null, validUntil: null, exemption: null });

/**
 * One requirement for one person on the day: met by the most recent completion that counts (training
 * done is shown as done even when they are also excused), else exempt, else missing. `evidence` is
 * `indexEvidence`'s; `exemptions` those that hold on the day.
 */
export function meetRequirement<E extends Exemption>(
  requirement: CourseRequirement,
  evidence: ReadonlyMap<number, readonly CompletionEvidence[]>,
  exemptions: readonly E[],
  day: CountingDay,
): RequirementOutcome<E> {
  const list = evidence.get(requirement.courseId);
  if (list) {
    const { from, to } = day.windowOf(requirement.lasts);
    for (const c of list) {
      if (c.completedOn >= from && c.completedOn <= to) {
        return { state: "met", metBy: c, validUntil: day.lapsesOn(requirement.lasts, c.completedOn), exemption: null };
      }
    }
  }
  const exemption = exemptions.length ? (exemptions.find((e) => excuses(e, requirement.courseId)) ?? null) : null;
  return exemption ? { state: "exempt", metBy: null, validUntil: null, exemption } : MISSING;
}

// ---- A whole roster ------------------------------------------------------------------------------

interface Window extends CountingWindow {
  courseId: number;
}

/**
 * Every role's requirements on one day, prepared once for a whole roster. Each requirement counts
 * completions within a window (a course and the first and last day that count); roles share them, so
 * a roster has a handful, numbered 0, 1, 2… A completion is noted once against the windows it falls
 * in (`CompletionWindows`), and each person's requirements are then looked up, not worked out.
 */
export class RosterWindows<R extends CourseRequirement> {
  private readonly windows: Window[] = [];
  private readonly byRole = new Map<number, { requirement: R; window: number }[]>();
  private readonly byCompletion = new Map<string, number[]>();

  constructor(requirementsByRole: ReadonlyMap<number, readonly R[]>, day: CountingDay) {
    const index = new Map<string, number>();
    for (const [roleId, requirements] of requirementsByRole) {
      this.byRole.set(
        roleId,
        requirements.map((requirement) => {
          const { from, to } = day.windowOf(requirement.lasts);
          const key = `${requirement.courseId}|${from}|${to}`;
          let window = index.get(key);
          if (window === undefined) index.set(key, (window = this.windows.push({ courseId: requirement.courseId, from, to }) - 1));
          return { requirement, window };
        }),
      );
    }
  }

  /** How many distinct windows there are. */
  get count(): number {
    return this.windows.length;
  }

  /** A role's requirements, each with its window. */
  of(roleId: number): readonly { requirement: R; window: number }[] {
    return this.byRole.get(roleId) ?? NONE;
  }

  /** The windows a completion of this course on this day falls in. */
  windowsOf(courseId: number, completedOn: string): readonly number[] {
    const key = `${courseId}|${completedOn}`;
    let found = this.byCompletion.get(key);
    if (!found) {
      found = [];
      for (let w = 0; w < this.windows.length; w++) {
        const { courseId: c, from, to } = this.windows[w]!;
        if (c === courseId && completedOn >= from && completedOn <= to) found.push(w);
      }
      this.byCompletion.set(key, found);
    }
    return found;
  }
}

const NONE: readonly never[] = Object.freeze([]);

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
