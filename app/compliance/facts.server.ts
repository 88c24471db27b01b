import type { SelectQueryBuilder } from "kysely";
import type { Database, Db } from "#db/schema.ts";
import { academicYearDates, londonDateOf, londonToday } from "#app/utils/dates.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { attendanceEvidence, countingSessions, countingSessionsQuery, matchedRegistrations } from "#app/roster/attendance.server.ts";
import { inChunks } from "#app/roster/chunks.server.ts";
import { CompletionWindows, type CompletionEvidence } from "#app/roster/requirements.ts";
import { countingDayOf, evaluateLeader, requirementRule, type ExemptionFacts, type PersonResult, type RequirementRule, type YearRules } from "./rules.ts";

/**
 * Everything the rules need for one roster year, read in a handful of set-based queries however
 * many leaders there are: appointments, requirements, recorded completions, exemptions, and
 * attendance that matches a leader by email or student ID (read from the registers, never copied).
 */

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

/**
 * What the rules, the counts and the dashboard's order need about an appointment: read for everyone on
 * a roster, so kept to a few columns (each one costs a little for each of thousands of rows).
 */
export interface RosterAppointment {
  id: number;
  personId: number;
  roleId: number;
  groupName: string;
  organisationId: number | null;
  startedOn: string;
  endedOn: string | null;
  /** The person's. */
  name: string;
  /** The person's, when asked for. */
  email?: string;
  studentId?: string | null;
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

export interface RolesAndRequirements {
  roleNames: Map<number, string>;
  requirementsByRole: Map<number, RequirementRule[]>;
}

/** Every role's name and requirements (with course names), in one query. */
export async function loadRoles(db: Db): Promise<RolesAndRequirements> {
  const rows = await db
    .selectFrom("leader_roles as lr")
    .leftJoin("leader_role_requirements as q", "q.role_id", "lr.id")
    .leftJoin("courses as c", "c.id", "q.course_id")
    .select(["lr.id as role_id", "lr.name as role_name", "q.course_id", "q.validity", "q.validity_months", "c.name as course_name"])
    .orderBy("c.name")
    .orderBy("q.course_id")
    .execute();
  const roleNames = new Map<number, string>();
  const requirementsByRole = new Map<number, RequirementRule[]>();
  for (const r of rows) {
    roleNames.set(r.role_id, r.role_name);
    if (r.course_id === null || r.validity === null || r.course_name === null) continue;
    const rule = requirementRule({
      roleId: r.role_id,
      courseId: r.course_id,
      courseName: r.course_name,
      validity: r.validity,
      validityMonths: r.validity_months,
    });
    const list = requirementsByRole.get(r.role_id);
    if (list) list.push(rule);
    else requirementsByRole.set(r.role_id, [rule]);
  }
  return { roleNames, requirementsByRole };
}

/** Requirements of every role, by role id, with course names. One query. */
export async function loadRequirementsByRole(db: Db): Promise<Map<number, RequirementRule[]>> {
  return (await loadRoles(db)).requirementsByRole;
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
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any query over our tables, whatever its aliases and selection: Kysely's builder cannot be generic over the database
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

/** Everyone in scope, as the registers know them (see `matchedRegistrations`). */
export function leaderPeople(db: Db, scope: PersonScope) {
  return inScope(db.selectFrom("leader_people as lp").select(["lp.id", "lp.email", "lp.student_id"]), "lp.id", scope);
}

/** Beyond this many named people, the whole roster is read and narrowed: cheaper than a statement for every few hundred. */
const MANY_PEOPLE = 2_000;

/** Completions officers recorded (not withdrawn), oldest record first. */
export async function recordedCompletions(
  db: Db,
  scope: PersonScope,
  opts: { courseIds?: readonly number[] } = {},
): Promise<{ personId: number; evidence: CompletionEvidence }[]> {
  let q = db
    .selectFrom("leader_completions")
    .select(["id", "person_id", "course_id", "completed_on", "source", "provider", "registration_id"])
    .where("withdrawn_at", "is", null);
  if (opts.courseIds) q = q.where("course_id", "in", opts.courseIds.length ? opts.courseIds : [-1]);
  const rows = await inScope(q, "leader_completions.person_id", scope).execute();
  return rows
    .sort((a, b) => a.id - b.id)
    .map((r) => ({
      personId: r.person_id,
      evidence: {
        courseId: r.course_id,
        completedOn: r.completed_on,
        source: r.source,
        completionId: r.id,
        registrationId: r.registration_id,
        sessionId: null,
        provider: r.provider,
      },
    }));
}

/** The roster with only the given people. */
function narrowRoster<A extends RosterAppointment>(roster: RosterYear<A>, wanted: ReadonlySet<number>): RosterYear<A> {
  const people = new Map<number, RosterPerson<A>>();
  for (const [id, person] of roster.people) if (wanted.has(id)) people.set(id, { ...person, slot: people.size });
  const recorded = new Map([...roster.recorded].filter(([id]) => wanted.has(id)));
  const appointmentCount = [...people.values()].reduce((n, p) => n + p.appointments.length, 0);
  return { ...roster, people, appointmentCount, attendance: roster.attendance.filter((r) => wanted.has(r.person_id)), recorded };
}

/** One person on a year's roster: their appointments and exemptions (their completions are the roster's). */
export interface RosterPerson<A extends RosterAppointment = RosterAppointment> {
  personId: number;
  name: string;
  /** 0, 1, 2… in the roster's order, for tables with a place per person. */
  slot: number;
  appointments: A[];
  exemptions: readonly ExemptionFacts[];
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

export interface DeliveredSession {
  id: number;
  courseId: number;
  startsAt: string;
  title: string | null;
  /** The London date it took place. */
  day: string;
}

export interface RosterYear<A extends RosterAppointment = RosterAppointment> {
  year: LeaderYearRow;
  asOf: string;
  roleNames: Map<number, string>;
  requirementsByRole: Map<number, RequirementRule[]>;
  /** Delivered sessions of a required course that could count on `asOf`. */
  sessions: Map<number, DeliveredSession>;
  /** In the order of their first appointment (by role, then as added). */
  people: Map<number, RosterPerson<A>>;
  appointmentCount: number;
  /**
   * Present at one of those sessions: a person in `people`, a register entry, a session in `sessions`
   * (save one whose register was closed, or person added, after those were read: left for next time).
   */
  attendance: { person_id: number; registration_id: number; session_id: number }[];
  /** Completions officers recorded, of people in `people`. */
  recorded: Map<number, CompletionEvidence[]>;
}

export interface EvaluatedYear {
  year: LeaderYearRow;
  asOf: string;
  requirementsByRole: Map<number, RequirementRule[]>;
  people: Map<number, EvaluatedLeader>;
}

/** The day a roster year is seen as of: the given day, or today, or for a year that is over, its last day (31 July). */
export function rosterAsOf(startYear: number, asOf?: Date | string): string {
  if (asOf) return londonDateOf(asOf);
  const today = londonToday();
  const yearLast = academicYearDates(startYear).last;
  return today > yearLast ? yearLast : today;
}

export interface RosterOptions {
  asOf?: Date | string;
  /** Only these people (those not on the roster are left out). */
  personIds?: readonly number[];
  /** Also each person's email and student ID. */
  contact?: boolean;
}

/** Shared by everyone without any: never written to. */
const NONE: never[] = Object.freeze([]) as never[];

/**
 * Everything the rules need for a year's roster (or the named people on it), in seven statements
 * whatever its size: the year, roles with their requirements, appointments with their people's
 * names, the sessions that could count, the attendance at them, recorded completions and
 * exemptions. Only sessions of required courses within the counting windows are read, and only the
 * registers of the people in scope. With `full`, every column of each appointment (as `evaluateYear`
 * gives them).
 */
export function readRosterYear(db: Db, startYear: number, opts: RosterOptions & { full: true }): Promise<RosterYear<AppointmentRow>>;
export function readRosterYear(db: Db, startYear: number, opts?: RosterOptions & { full?: boolean }): Promise<RosterYear>;
export async function readRosterYear(db: Db, startYear: number, opts: RosterOptions & { full?: boolean } = {}): Promise<RosterYear<RosterAppointment>> {
  // A long list of people is read as the whole roster and narrowed here.
  if (opts.personIds && opts.personIds.length > MANY_PEOPLE) {
    const all = await readRosterYear(db, startYear, { ...opts, personIds: undefined });
    return narrowRoster(all, new Set(opts.personIds));
  }
  const year = await requireLeaderYear(db, startYear);
  const asOf = rosterAsOf(startYear, opts.asOf);
  const { roleNames, requirementsByRole } = await loadRoles(db);
  const courseIds = [...new Set([...requirementsByRole.values()].flat().map((r) => r.courseId))];

  const counting = countingSessions([...requirementsByRole.values()].flat(), countingDayOf(startYear, asOf));
  // Everyone on the roster, or the named people (a few hundred to a statement): evidence for anyone else is never read.
  const inScopeOf = <T>(read: (scope: PersonScope) => Promise<T[]>) =>
    opts.personIds ? inChunks(opts.personIds, (ids) => read({ personIds: ids })) : read({ startYear });

  const appointmentsQuery = (scope: PersonScope) =>
    db
      .selectFrom("leader_appointments as a")
      .innerJoin("leader_people as p", "p.id", "a.person_id")
      .select([
        "a.id",
        "a.person_id as personId",
        "a.role_id as roleId",
        "a.group_name as groupName",
        "a.organisation_id as organisationId",
        "a.started_on as startedOn",
        "a.ended_on as endedOn",
        "p.name",
      ])
      .$if(opts.contact === true || opts.full === true, (q) => q.select(["p.email", "p.student_id as studentId"]))
      .$if(opts.full === true, (q) => q.select(["a.is_president", "a.end_reason"]))
      .where("a.start_year", "=", startYear)
      .$if(scope.personIds !== undefined, (q) => q.where("a.person_id", "in", scope.personIds!))
      .execute();

  // By role, then as added: sorted here rather than in SQL, so a few named people are still found by their own index.
  const appointmentRows = (await inScopeOf(appointmentsQuery)).sort((x, y) => x.roleId - y.roleId || x.id - y.id);
  const people = new Map<number, RosterPerson<RosterAppointment>>();
  for (const a of appointmentRows) {
    let row: RosterAppointment = a;
    if (opts.full) {
      const full: AppointmentRow = {
        id: a.id,
        personId: a.personId,
        startYear,
        roleId: a.roleId,
        roleName: roleNames.get(a.roleId) ?? "",
        groupName: a.groupName,
        organisationId: a.organisationId,
        isPresident: a.is_president === 1,
        startedOn: a.startedOn,
        endedOn: a.endedOn,
        endReason: a.end_reason ?? null,
        name: a.name,
        email: a.email!,
        studentId: a.studentId ?? null,
      };
      row = full;
    }
    const person = people.get(a.personId);
    if (person) person.appointments.push(row);
    else people.set(a.personId, { personId: a.personId, name: a.name, slot: people.size, appointments: [row], exemptions: NONE });
  }
  const sessions = new Map<number, DeliveredSession>();
  const recorded = new Map<number, CompletionEvidence[]>();
  const appointmentCount = appointmentRows.length;
  if (!people.size) return { year, asOf, roleNames, requirementsByRole, sessions, people, appointmentCount, attendance: [], recorded };

  // Sessions first, so every attendance read next finds its session (a register closed in between counts next time).
  const sessionRows = await countingSessionsQuery(db, counting).select(["ds.id", "ds.course_id", "ds.starts_at", "ds.title"]).execute();
  const dayOf = new Map<string, string>();
  for (const s of sessionRows) {
    let day = dayOf.get(s.starts_at);
    if (!day) dayOf.set(s.starts_at, (day = londonDateOf(s.starts_at)));
    sessions.set(s.id, { id: s.id, courseId: s.course_id, startsAt: s.starts_at, title: s.title, day });
  }
  // For the whole roster, recorded completions and exemptions are read for anyone and kept for the
  // people on it: cheaper than asking the database to check each.
  const anyoneOr = (scope: PersonScope): PersonScope => (scope.personIds ? scope : { anyone: true });
  const [attended, recordedRows, exemptionRows] = await Promise.all([
    inScopeOf((scope) =>
      matchedRegistrations(db, leaderPeople(db, scope))
        .select(["p.id as person_id", "r.id as registration_id", "r.session_id"])
        .where("r.session_id", "in", countingSessionsQuery(db, counting).select("ds.id"))
        .execute(),
    ),
    inScopeOf((scope) => recordedCompletions(db, anyoneOr(scope), { courseIds })),
    inScopeOf((scope) =>
      inScope(
        db
          .selectFrom("leader_exemptions")
          .select(["id", "person_id", "course_id", "start_year", "reason", "granted_by"])
          .where("start_year", "=", startYear)
          .where("withdrawn_at", "is", null),
        "leader_exemptions.person_id",
        anyoneOr(scope),
      ).execute(),
    ),
  ]);

  const attendance = attended;
  for (const c of recordedRows) {
    if (!people.has(c.personId)) continue;
    const list = recorded.get(c.personId);
    if (list) list.push(c.evidence);
    else recorded.set(c.personId, [c.evidence]);
  }
  for (const e of exemptionRows) {
    const person = people.get(e.person_id);
    if (!person) continue;
    const facts: ExemptionFacts = { id: e.id, courseId: e.course_id, startYear: e.start_year, reason: e.reason, grantedBy: e.granted_by };
    if (person.exemptions === NONE) person.exemptions = [facts];
    else (person.exemptions as ExemptionFacts[]).push(facts);
  }
  return { year, asOf, roleNames, requirementsByRole, sessions, people, appointmentCount, attendance, recorded };
}

/**
 * Each person's completions as evidence (for everyone, or the named people): attendance, the
 * earliest session first, then what officers recorded. Of two on the same day, the first listed is
 * the one shown as meeting a requirement.
 */
export function evidenceOf(roster: RosterYear<RosterAppointment>, personIds?: ReadonlySet<number>): Map<number, CompletionEvidence[]> {
  const byPerson = new Map<number, CompletionEvidence[]>();
  for (const r of roster.attendance) {
    if (personIds && !personIds.has(r.person_id)) continue;
    const session = roster.sessions.get(r.session_id);
    if (!session || !roster.people.has(r.person_id)) continue;
    const evidence = attendanceEvidence(session.courseId, session.day, r.registration_id, session.id);
    const list = byPerson.get(r.person_id);
    if (list) list.push(evidence);
    else byPerson.set(r.person_id, [evidence]);
  }
  const startOf = (e: CompletionEvidence) => roster.sessions.get(e.sessionId!)!.startsAt;
  for (const list of byPerson.values()) {
    if (list.length > 1) {
      list.sort((a, b) => {
        const x = startOf(a);
        const y = startOf(b);
        return x < y ? -1 : x > y ? 1 : a.registrationId! - b.registrationId!;
      });
    }
  }
  for (const [personId, list] of roster.recorded) {
    if (personIds && !personIds.has(personId)) continue;
    const mine = byPerson.get(personId);
    if (mine) mine.push(...list);
    else byPerson.set(personId, [...list]);
  }
  return byPerson;
}

/** Which counting windows each person on the roster has a completion in (see `YearRules`). */
export function completionWindows(roster: RosterYear<RosterAppointment>, rules: YearRules): CompletionWindows {
  const completions = new CompletionWindows(roster.people.size, rules.windows.count);
  const bySession = new Map<number, readonly number[]>();
  let personId = -1;
  let slot: number | undefined;
  for (const r of roster.attendance) {
    let windows = bySession.get(r.session_id);
    if (!windows) {
      const session = roster.sessions.get(r.session_id);
      bySession.set(r.session_id, (windows = session ? rules.windows.windowsOf(session.courseId, session.day) : []));
    }
    if (!windows.length) continue;
    // Rows come a person at a time.
    if (r.person_id !== personId) slot = roster.people.get((personId = r.person_id))?.slot;
    if (slot !== undefined) completions.add(slot, windows);
  }
  for (const [personId, list] of roster.recorded) {
    const { slot } = roster.people.get(personId)!;
    for (const c of list) completions.add(slot, rules.windows.windowsOf(c.courseId, c.completedOn));
  }
  return completions;
}

/** One person's full evaluation, requirement by requirement. */
export function evaluatePerson(
  roster: Pick<RosterYear, "year" | "asOf" | "requirementsByRole">,
  person: RosterPerson,
  evidence: readonly CompletionEvidence[] = [],
): PersonResult {
  return evaluateLeader({
    startYear: roster.year.startYear,
    deadline: roster.year.deadline,
    asOf: roster.asOf,
    appointments: person.appointments.map((a) => ({ id: a.id, roleId: a.roleId, startedOn: a.startedOn, endedOn: a.endedOn })),
    requirementsByRole: roster.requirementsByRole,
    completions: evidence,
    exemptions: person.exemptions,
  });
}

/**
 * Every leader on a year's roster (or the named people), evaluated in full: the statements of
 * `readRosterYear`, then the rules in memory. Without `asOf`, today; for a year that is over, its
 * last day (31 July).
 */
export async function evaluateYear(db: Db, startYear: number, opts: { asOf?: Date | string; personIds?: readonly number[] } = {}): Promise<EvaluatedYear> {
  const roster = await readRosterYear(db, startYear, { ...opts, full: true });
  const evidence = evidenceOf(roster);
  const people = new Map<number, EvaluatedLeader>();
  for (const [personId, person] of roster.people) {
    const first = person.appointments[0]!;
    const mine = evidence.get(personId) ?? [];
    people.set(personId, {
      personId,
      name: person.name,
      email: first.email,
      studentId: first.studentId,
      appointments: person.appointments,
      evidence: mine,
      exemptions: [...person.exemptions],
      result: evaluatePerson(roster, person, mine),
    });
  }
  return { year: roster.year, asOf: roster.asOf, requirementsByRole: roster.requirementsByRole, people };
}
