import type { Kysely, SelectQueryBuilder } from "kysely";
import type { z } from "zod";
import type { Database } from "#db/schema.ts";
import { londonWallTimeToUtc } from "#app/utils/dates.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { now } from "#app/utils/time.ts";
import {
  academicYearDates,
  addDays,
  countingWindow,
  evaluateLeader,
  isCalendarDate,
  type CompletionEvidence,
  type ExemptionFacts,
  type PersonResult,
  type RequirementRule,
} from "./rules.ts";

/**
 * Everything the rules need for one roster year, read in a handful of set-based queries however
 * many leaders there are: appointments, requirements, recorded completions, exemptions, and
 * attendance that matches a leader by email or student ID (read from the registers, never copied).
 */

export type Db = Kysely<Database>;

// "en-CA" writes dates as YYYY-MM-DD; one formatter, made once.
const londonDay = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London", year: "numeric", month: "2-digit", day: "2-digit" });

/** A London calendar date for an instant (or the date itself). */
export function londonDate(at: Date | string): string {
  if (typeof at === "string" && isCalendarDate(at)) return at;
  return londonDay.format(typeof at === "string" ? new Date(at) : at);
}

export function asOfDate(asOf?: Date | string): string {
  return londonDate(asOf ?? now());
}

/** The UTC instant a London date starts, as stored text. */
export function londonDayStartIso(date: string): string {
  return londonWallTimeToUtc(date, "00:00").toISOString();
}

/** Parses input with its schema; the first problem becomes a RuleViolation on its field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new RuleViolation(issue.path.map(String).join(".") || "form", issue.message);
}

export interface LeaderYearRow {
  startYear: number;
  deadline: string;
}

export async function getLeaderYear(db: Db, startYear: number): Promise<LeaderYearRow | null> {
  const row = await db.selectFrom("leader_years").select(["start_year", "deadline"]).where("start_year", "=", startYear).executeTakeFirst();
  return row ? { startYear: row.start_year, deadline: row.deadline } : null;
}

export async function requireLeaderYear(db: Db, startYear: number): Promise<LeaderYearRow> {
  const year = await getLeaderYear(db, startYear);
  if (!year) throw new RuleViolation("startYear", "Set up this academic year and its deadline first");
  return year;
}

export interface AppointmentRow {
  id: number;
  personId: number;
  startYear: number;
  roleId: number;
  roleName: string;
  groupName: string;
  organisationId: number | null;
  isPresident: boolean;
  startedOn: string;
  endedOn: string | null;
  endReason: string | null;
  name: string;
  email: string;
  studentId: string | null;
}

/** Requirements of every role, by role id, with course names. One query. */
export async function loadRequirementsByRole(db: Db): Promise<Map<number, RequirementRule[]>> {
  const rows = await db
    .selectFrom("leader_role_requirements as q")
    .innerJoin("courses as c", "c.id", "q.course_id")
    .select(["q.role_id", "q.course_id", "q.validity", "q.validity_months", "c.name as course_name"])
    .orderBy("c.name")
    .execute();
  const byRole = new Map<number, RequirementRule[]>();
  for (const r of rows) {
    const rule: RequirementRule = { roleId: r.role_id, courseId: r.course_id, courseName: r.course_name, validity: r.validity, validityMonths: r.validity_months };
    const list = byRole.get(r.role_id);
    if (list) list.push(rule);
    else byRole.set(r.role_id, [rule]);
  }
  return byRole;
}

/**
 * Who to read evidence for: everyone on a year's roster, named people, or anyone (for callers that
 * keep only the people they hold anyway, which is cheaper than asking the database to check).
 */
export type PersonScope =
  | { startYear: number; personIds?: undefined; anyone?: undefined }
  | { personIds: readonly number[]; startYear?: undefined; anyone?: undefined }
  | { anyone: true; startYear?: undefined; personIds?: undefined };

/**
 * Narrows a query to the people in scope; `column` holds a leader_people id. "On the roster" is a
 * correlated EXISTS: SQLite runs an IN (subquery) here once per row.
 */
export function inScope<QB extends SelectQueryBuilder<Database, any, any>>(q: QB, column: string, scope: PersonScope): QB {
  if (scope.anyone) return q;
  if (scope.personIds) return q.where(column as never, "in", (scope.personIds.length ? scope.personIds : [-1]) as never) as QB;
  return q.where(({ exists, selectFrom }) =>
    exists(
      selectFrom("leader_appointments as roster")
        .select("roster.id")
        .whereRef("roster.person_id", "=", column as never)
        .where("roster.start_year", "=", scope.startYear),
    ),
  ) as QB;
}

/**
 * Attendance that counts without anyone's say: present at a delivered session, with the leader's
 * email (any letter case) or student ID. One statement; each side of the OR uses its unique index.
 */
export async function matchedAttendance(
  db: Db,
  scope: PersonScope,
  opts: { courseIds?: readonly number[]; sinceIso?: string } = {},
): Promise<Map<number, CompletionEvidence[]>> {
  if (opts.courseIds && opts.courseIds.length === 0) return new Map();
  if (scope.personIds && scope.personIds.length <= FEW_PEOPLE) return attendanceOfFew(db, scope.personIds, opts);
  let q = db
    .selectFrom("registrations as r")
    .innerJoin("sessions as s", "s.id", "r.session_id")
    .innerJoin("leader_people as lp", (j) =>
      j.on((eb) =>
        eb.or([
          eb("lp.email", "=", eb.fn<string>("lower", ["r.email"])),
          eb("lp.student_id", "=", eb.fn<string>("upper", ["r.student_id"])),
        ]),
      ),
    )
    .select(["lp.id as person_id", "s.course_id", "s.starts_at", "r.id as registration_id", "s.id as session_id"])
    .where("s.status", "=", "delivered")
    .where("r.attendance", "=", "present")
    .where("r.status", "!=", "cancelled");
  if (opts.courseIds) q = q.where("s.course_id", "in", opts.courseIds);
  if (opts.sinceIso) q = q.where("s.starts_at", ">=", opts.sinceIso);
  // Many named people: cheaper to read everyone's and keep theirs than to send a long list.
  const wanted = scope.personIds ? new Set(scope.personIds) : null;
  const rows = await inScope(q, "lp.id", wanted ? { anyone: true } : scope).execute();
  return toEvidence(wanted ? rows.filter((r) => wanted.has(r.person_id)) : rows);
}

/** Up to this many people, attendance is looked up from their addresses through the registers' own indexes. */
const FEW_PEOPLE = 200;

async function attendanceOfFew(db: Db, personIds: readonly number[], opts: { courseIds?: readonly number[]; sinceIso?: string }) {
  if (!personIds.length) return new Map<number, CompletionEvidence[]>();
  const people = await db.selectFrom("leader_people").select(["id", "email", "student_id"]).where("id", "in", personIds).execute();
  const byEmail = new Map(people.map((p) => [p.email, p.id]));
  const byStudentId = new Map(people.filter((p) => p.student_id).map((p) => [p.student_id!, p.id]));
  if (!people.length) return new Map<number, CompletionEvidence[]>();
  let q = db
    .selectFrom("registrations as r")
    .innerJoin("sessions as s", "s.id", "r.session_id")
    .select((eb) => [
      eb.fn<string | null>("lower", ["r.email"]).as("email_key"),
      eb.fn<string | null>("upper", ["r.student_id"]).as("student_id_key"),
      "s.course_id",
      "s.starts_at",
      "r.id as registration_id",
      "s.id as session_id",
    ])
    .where((eb) =>
      eb.or([
        eb(eb.fn("lower", ["r.email"]), "in", [...byEmail.keys()]),
        ...(byStudentId.size ? [eb(eb.fn("upper", ["r.student_id"]), "in", [...byStudentId.keys()])] : []),
      ]),
    )
    .where("s.status", "=", "delivered")
    .where("r.attendance", "=", "present")
    .where("r.status", "!=", "cancelled");
  if (opts.courseIds) q = q.where("s.course_id", "in", opts.courseIds);
  if (opts.sinceIso) q = q.where("s.starts_at", ">=", opts.sinceIso);
  const rows = (await q.execute()).flatMap((r) => {
    const a = r.email_key ? byEmail.get(r.email_key) : undefined;
    const b = r.student_id_key ? byStudentId.get(r.student_id_key) : undefined;
    const ids = a !== undefined && b !== undefined && a !== b ? [a, b] : a !== undefined ? [a] : b !== undefined ? [b] : [];
    return ids.map((person_id) => ({ ...r, person_id }));
  });
  return toEvidence(rows);
}

function toEvidence(rows: { person_id: number; course_id: number; starts_at: string; registration_id: number; session_id: number }[]) {
  const dayOf = new Map<string, string>();
  const byPerson = new Map<number, CompletionEvidence[]>();
  for (const r of rows) {
    let day = dayOf.get(r.starts_at);
    if (!day) dayOf.set(r.starts_at, (day = londonDate(r.starts_at)));
    const evidence: CompletionEvidence = {
      courseId: r.course_id,
      completedOn: day,
      source: "attendance",
      completionId: null,
      registrationId: r.registration_id,
      sessionId: r.session_id,
      provider: null,
    };
    const list = byPerson.get(r.person_id);
    if (list) list.push(evidence);
    else byPerson.set(r.person_id, [evidence]);
  }
  return byPerson;
}

/** Completions officers recorded (not withdrawn). */
export async function recordedCompletions(db: Db, scope: PersonScope, opts: { courseIds?: readonly number[] } = {}) {
  let q = db
    .selectFrom("leader_completions")
    .select(["id", "person_id", "course_id", "completed_on", "source", "provider", "registration_id"])
    .where("withdrawn_at", "is", null);
  if (opts.courseIds) q = q.where("course_id", "in", opts.courseIds.length ? opts.courseIds : [-1]);
  const rows = await inScope(q, "leader_completions.person_id", scope).execute();
  const byPerson = new Map<number, CompletionEvidence[]>();
  for (const r of rows) {
    const evidence: CompletionEvidence = {
      courseId: r.course_id,
      completedOn: r.completed_on,
      source: r.source,
      completionId: r.id,
      registrationId: r.registration_id,
      sessionId: null,
      provider: r.provider,
    };
    const list = byPerson.get(r.person_id);
    if (list) list.push(evidence);
    else byPerson.set(r.person_id, [evidence]);
  }
  return byPerson;
}

export interface EvaluatedLeader {
  personId: number;
  name: string;
  email: string;
  studentId: string | null;
  appointments: AppointmentRow[];
  evidence: CompletionEvidence[];
  exemptions: ExemptionFacts[];
  result: PersonResult;
}

export interface EvaluatedYear {
  year: LeaderYearRow;
  asOf: string;
  requirementsByRole: Map<number, RequirementRule[]>;
  people: Map<number, EvaluatedLeader>;
}

/** The earliest completion date any requirement could count from on `asOf`. */
export function earliestCountingDate(requirementsByRole: Map<number, RequirementRule[]>, startYear: number, asOf: string): string {
  let earliest = countingWindow({ validity: "academic_year", validityMonths: null }, startYear, asOf).from;
  for (const rules of requirementsByRole.values()) {
    for (const rule of rules) {
      const { from } = countingWindow(rule, startYear, asOf);
      if (from < earliest) earliest = from;
    }
  }
  return earliest;
}

/**
 * Every leader on a year's roster (or the named people), evaluated: six queries in all, then the
 * rules in memory. Without `asOf`, today; for a year that is over, its last day (31 July).
 */
export async function evaluateYear(db: Db, startYear: number, opts: { asOf?: Date | string; personIds?: readonly number[] } = {}): Promise<EvaluatedYear> {
  // A long list of people is read as the whole roster and narrowed here: no statement carries thousands of ids.
  if (opts.personIds && opts.personIds.length > FEW_PEOPLE) {
    const all = await evaluateYear(db, startYear, { asOf: opts.asOf });
    const wanted = new Set(opts.personIds);
    for (const id of all.people.keys()) if (!wanted.has(id)) all.people.delete(id);
    return all;
  }
  const year = await requireLeaderYear(db, startYear);
  // A year that is over is seen as it stood on its last day.
  const yearLast = academicYearDates(startYear).last;
  const asOf = opts.asOf ? asOfDate(opts.asOf) : asOfDate() > yearLast ? yearLast : asOfDate();
  // For a whole roster, evidence is read for anyone and kept for the people on it.
  const scope: PersonScope = opts.personIds ? { personIds: opts.personIds } : { anyone: true };

  let appointmentsQuery = db
    .selectFrom("leader_appointments as a")
    .innerJoin("leader_people as p", "p.id", "a.person_id")
    .innerJoin("leader_roles as r", "r.id", "a.role_id")
    .select([
      "a.id",
      "a.person_id",
      "a.start_year",
      "a.role_id",
      "r.name as role_name",
      "a.group_name",
      "a.organisation_id",
      "a.is_president",
      "a.started_on",
      "a.ended_on",
      "a.end_reason",
      "p.name",
      "p.email",
      "p.student_id",
    ])
    .where("a.start_year", "=", startYear);
  if (opts.personIds) appointmentsQuery = appointmentsQuery.where("a.person_id", "in", opts.personIds.length ? opts.personIds : [-1]);

  const requirementsByRole = await loadRequirementsByRole(db);
  const courseIds = [...new Set([...requirementsByRole.values()].flat().map((r) => r.courseId))];
  const sinceIso = londonDayStartIso(addDays(earliestCountingDate(requirementsByRole, startYear, asOf), -1));

  const [appointmentRows, recorded, attended, exemptionRows] = await Promise.all([
    appointmentsQuery.execute(),
    recordedCompletions(db, scope, { courseIds }),
    matchedAttendance(db, scope, { courseIds, sinceIso }),
    inScope(
      db
        .selectFrom("leader_exemptions")
        .select(["id", "person_id", "course_id", "start_year", "reason", "granted_by"])
        .where("start_year", "=", startYear)
        .where("withdrawn_at", "is", null),
      "leader_exemptions.person_id",
      scope,
    ).execute(),
  ]);

  const exemptionsByPerson = new Map<number, ExemptionFacts[]>();
  for (const e of exemptionRows) {
    const facts: ExemptionFacts = { id: e.id, courseId: e.course_id, startYear: e.start_year, reason: e.reason, grantedBy: e.granted_by };
    const list = exemptionsByPerson.get(e.person_id);
    if (list) list.push(facts);
    else exemptionsByPerson.set(e.person_id, [facts]);
  }

  const appointmentsByPerson = new Map<number, AppointmentRow[]>();
  for (const a of appointmentRows) {
    const row: AppointmentRow = {
      id: a.id,
      personId: a.person_id,
      startYear: a.start_year,
      roleId: a.role_id,
      roleName: a.role_name,
      groupName: a.group_name,
      organisationId: a.organisation_id,
      isPresident: a.is_president === 1,
      startedOn: a.started_on,
      endedOn: a.ended_on,
      endReason: a.end_reason,
      name: a.name,
      email: a.email,
      studentId: a.student_id,
    };
    const list = appointmentsByPerson.get(a.person_id);
    if (list) list.push(row);
    else appointmentsByPerson.set(a.person_id, [row]);
  }

  const people = new Map<number, EvaluatedLeader>();
  for (const [personId, appointments] of appointmentsByPerson) {
    const evidence = [...(attended.get(personId) ?? []), ...(recorded.get(personId) ?? [])];
    const exemptions = exemptionsByPerson.get(personId) ?? [];
    const first = appointments[0]!;
    people.set(personId, {
      personId,
      name: first.name,
      email: first.email,
      studentId: first.studentId,
      appointments,
      evidence,
      exemptions,
      result: evaluateLeader({
        startYear,
        deadline: year.deadline,
        asOf,
        appointments: appointments.map((a) => ({ id: a.id, roleId: a.roleId, startedOn: a.startedOn, endedOn: a.endedOn })),
        requirementsByRole,
        completions: evidence,
        exemptions,
      }),
    });
  }
  return { year, asOf, requirementsByRole, people };
}
