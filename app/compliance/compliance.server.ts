import type { Db } from "#db/schema.ts";
import { sql } from "kysely";
import type { z } from "zod";
import { writeTransaction } from "#db/transaction.ts";
import { recordAudit } from "#app/audit/audit.server.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { academicYearLabel, addMonths, formatDay, londonDateOf, londonToday } from "#app/utils/dates.ts";
import { isUniqueViolation } from "#app/utils/db-errors.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { cachedByRecords } from "#app/utils/record-cache.server.ts";
import { nowIso } from "#app/utils/time.ts";
import {
  countingWindow,
  normaliseName,
  prepareYearRules,
  STATUS_SEVERITY,
  type CompletionEvidence,
  type LeaderStatus,
  type PersonResult,
  type RequirementResult,
  type RequirementRule,
} from "./rules.ts";
import {
  completionWindows,
  countingSessions,
  countingSessionsQuery,
  evaluatePerson,
  evidenceOf,
  evaluateYear,
  getLeaderYear,
  inChunks,
  matchedAttendance,
  loadRequirementsByRole,
  parseInput,
  readRosterYear,
  rosterAsOf,
  requireLeaderYear,
  type AppointmentRow,
  type DeliveredSession,
  type LeaderYearRow,
  type RosterPerson,
  type RosterYear,
} from "./facts.server.ts";
import {
  ComplianceFilterSchema,
  EndAppointmentSchema,
  ExemptionSchema,
  ExternalCompletionSchema,
  LeaderPersonSchema,
  LeaderSchema,
  MatchSchema,
  RollOverSchema,
  WithdrawSchema,
  type ComplianceFilter,
  type ComplianceSort,
  type EndAppointmentInput,
  type ExemptionInput,
  type ExternalCompletionInput,
  type LeaderInput,
  type LeaderPersonInput,
  type MatchInput,
  type RollOverInput,
  type WithdrawInput,
} from "./schemas.ts";

// ---- The dashboard ----------------------------------------------------------------------------

export interface ComplianceRow {
  appointmentId: number;
  personId: number;
  name: string;
  email: string;
  studentId: string | null;
  roleId: number;
  roleName: string;
  groupName: string;
  organisationId: number | null;
  isPresident: boolean;
  startedOn: string;
  endedOn: string | null;
  endReason: string | null;
  /** This appointment's status; "ended" once the role has ended. */
  status: LeaderStatus;
  dueOn: string;
  /** The person's status across all their roles this year. */
  personStatus: LeaderStatus;
  requirements: RequirementResult[];
  /** Names of the courses this appointment still needs. */
  missing: string[];
  lastRemindedAt: string | null;
}

export interface StatusCounts {
  total: number;
  compliant: number;
  due: number;
  due_soon: number;
  overdue: number;
  ended: number;
  /** Compliant as a share of those not ended, 0–100 with one decimal; null when there is nobody. */
  percentCompliant: number | null;
}

export interface ComplianceReport {
  year: LeaderYearRow & { label: string };
  asOf: string;
  rows: ComplianceRow[];
  /** Rows matching the filters, before paging. */
  total: number;
  summary: {
    /** People (each once, by their status across roles) with a role matching the role, group and search filters. */
    overall: StatusCounts;
    /** Appointments by role and by group, within the same filters. */
    byRole: (StatusCounts & { roleId: number; roleName: string })[];
    byGroup: (StatusCounts & { groupName: string; organisationId: number | null })[];
  };
}

const emptyCounts = (): StatusCounts => ({ total: 0, compliant: 0, due: 0, due_soon: 0, overdue: 0, ended: 0, percentCompliant: null });

function count(c: StatusCounts, status: LeaderStatus) {
  c.total++;
  // Named rather than c[status]++: run for every row, and much quicker.
  if (status === "compliant") c.compliant++;
  else if (status === "overdue") c.overdue++;
  else if (status === "due_soon") c.due_soon++;
  else if (status === "due") c.due++;
  else c.ended++;
}

function finish<T extends StatusCounts>(c: T): T {
  const live = c.total - c.ended;
  c.percentCompliant = live ? Math.round((c.compliant / live) * 1000) / 10 : null;
  return c;
}

// One collator for every comparison: localeCompare with options builds a new one each call.
const collator = new Intl.Collator("en-GB", { sensitivity: "base" });
const compareText = collator.compare;

/** What the dashboard sorts by. */
type Sortable = Pick<ComplianceRow, "appointmentId" | "name" | "roleName" | "groupName" | "status" | "dueOn">;

/**
 * One appointment on a year's roster, evaluated: everything the officer's lists filter, count, sort
 * and page by, and what its row shows.
 */
interface RosterEntry extends Sortable {
  appointment: AppointmentRow;
  person: RosterPerson<AppointmentRow>;
  personStatus: LeaderStatus;
  /** Whether this is the person's first appointment on the roster (each person is counted once). */
  firstOfPerson: boolean;
  /** Its place in `entries`. */
  index: number;
  /** What the search looks in: name, email, student ID and group, in lower case, apart. */
  haystack: string;
  /** Places in the roster's names, roles and groups in the order people read them, so that sorting compares numbers. */
  nameRank: number;
  roleRank: number;
  groupRank: number;
}

/**
 * A year's roster as it stands on a day: every appointment's status, worked out once for each record
 * version and day (see `evaluatedRoster`). The rest is filled in as pages ask for it and kept with it:
 * each order of the rows, the counts for everyone, each person's evaluation in full.
 */
interface EvaluatedRoster {
  year: LeaderYearRow & { label: string };
  asOf: string;
  roster: RosterYear<AppointmentRow>;
  /** By person, in the roster's order: a person's appointments are together. */
  entries: RosterEntry[];
  lastReminded: Map<number, string>;
  orders: Map<ComplianceSort, RosterEntry[]>;
  summary?: ComplianceReport["summary"];
  evidence?: Map<number, CompletionEvidence[]>;
  results: Map<number, PersonResult>;
}

/** Ranks strings in reading order: equal ranks for those the collator sees as the same. */
function ranks(values: Iterable<string>): Map<string, number> {
  const sorted = [...new Set(values)].sort(compareText);
  const rank = new Map<string, number>();
  let r = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (i > 0 && compareText(sorted[i - 1]!, sorted[i]!) !== 0) r++;
    rank.set(sorted[i]!, r);
  }
  return rank;
}

/**
 * Everything about a year's roster that the dashboard, a group's page, the reminders page and the CSV
 * need, whatever their filters: read and evaluated once, then kept against the record version (any
 * write to what it reads starts again) for the day it is worked out for. Nine statements.
 */
function evaluatedRoster(db: Db, startYear: number, asOfGiven?: Date | string): Promise<EvaluatedRoster> {
  const asOf = rosterAsOf(startYear, asOfGiven);
  return cachedByRecords(db, JSON.stringify(["compliance-roster", startYear, asOf]), async () => {
    const [roster, reminded] = await Promise.all([
      readRosterYear(db, startYear, { asOf, full: true }),
      db
        .selectFrom("leader_reminders")
        .select((eb) => ["person_id", eb.fn.max("sent_at").as("last_sent_at")])
        .where(({ exists, selectFrom }) =>
          exists(
            selectFrom("leader_appointments as a")
              .select("a.id")
              .whereRef("a.person_id", "=", "leader_reminders.person_id")
              .where("a.start_year", "=", startYear),
          ),
        )
        .groupBy("person_id")
        .execute(),
    ]);
    const rules = prepareYearRules(roster.requirementsByRole, startYear, roster.year.deadline, roster.asOf);
    const completed = completionWindows(roster, rules);
    const all = [...roster.people.values()].flatMap((p) => p.appointments);
    const nameRank = ranks(all.map((a) => a.name));
    const roleRank = ranks(all.map((a) => a.roleName));
    const groupRank = ranks(all.map((a) => a.groupName));
    const entries: RosterEntry[] = [];
    const statuses: LeaderStatus[] = [];
    for (const person of roster.people.values()) {
      statuses.length = 0;
      for (const a of person.appointments) statuses.push(rules.appointmentStatus(a, person, completed));
      const personStatus = rules.personStatus(statuses);
      person.appointments.forEach((a, i) => {
        entries.push({
          appointmentId: a.id,
          name: a.name,
          roleName: a.roleName,
          groupName: a.groupName,
          status: statuses[i]!,
          dueOn: rules.dueOn(a.startedOn),
          appointment: a,
          person,
          personStatus,
          firstOfPerson: i === 0,
          index: entries.length,
          haystack: `${a.name}\u0000${a.email}\u0000${a.studentId ?? ""}\u0000${a.groupName}`.toLowerCase(),
          nameRank: nameRank.get(a.name)!,
          roleRank: roleRank.get(a.roleName)!,
          groupRank: groupRank.get(a.groupName)!,
        });
      });
    }
    return {
      year: { ...roster.year, label: academicYearLabel(startYear) },
      asOf: roster.asOf,
      roster,
      entries,
      lastReminded: new Map(reminded.map((r) => [r.person_id, r.last_sent_at as string])),
      orders: new Map(),
      results: new Map(),
    };
  });
}

/**
 * Each order the dashboard offers, on the ranks. Every order ends on the appointment id, so there are
 * no ties and a page is always the same rows.
 */
function entryOrder(sort: ComplianceSort): (a: RosterEntry, b: RosterEntry) => number {
  const byName = (a: RosterEntry, b: RosterEntry) => a.nameRank - b.nameRank || a.appointmentId - b.appointmentId;
  const byStatus = (a: RosterEntry, b: RosterEntry) => STATUS_SEVERITY[a.status] - STATUS_SEVERITY[b.status];
  const byDue = (a: RosterEntry, b: RosterEntry) => (a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : 0);
  const order: Record<ComplianceSort, (a: RosterEntry, b: RosterEntry) => number> = {
    status: (a, b) => byStatus(a, b) || byDue(a, b) || byName(a, b),
    name: byName,
    role: (a, b) => a.roleRank - b.roleRank || a.groupRank - b.groupRank || byName(a, b),
    group: (a, b) => a.groupRank - b.groupRank || a.roleRank - b.roleRank || byName(a, b),
    due: (a, b) => byDue(a, b) || byStatus(a, b) || byName(a, b),
  };
  return order[sort];
}

/** Every appointment in an order, sorted the first time it is asked for. */
function entriesInOrder(evaluated: EvaluatedRoster, sort: ComplianceSort): RosterEntry[] {
  let sorted = evaluated.orders.get(sort);
  if (!sorted) evaluated.orders.set(sort, (sorted = [...evaluated.entries].sort(entryOrder(sort))));
  return sorted;
}

/** One person's evaluation in full, requirement by requirement: worked out when a row first shows it. */
function resultOf(evaluated: EvaluatedRoster, person: RosterPerson<AppointmentRow>): PersonResult {
  let result = evaluated.results.get(person.personId);
  if (!result) {
    evaluated.evidence ??= evidenceOf(evaluated.roster);
    result = evaluatePerson(evaluated.roster, person, evaluated.evidence.get(person.personId));
    evaluated.results.set(person.personId, result);
  }
  return result;
}

/** Counts overall (each person once, by their status across roles), by role and by group. */
function summarise(entries: readonly RosterEntry[], matches: ((e: RosterEntry) => boolean) | null): ComplianceReport["summary"] {
  const overall = emptyCounts();
  const byRole = new Map<number, StatusCounts & { roleId: number; roleName: string }>();
  const byGroup = new Map<string, StatusCounts & { groupName: string; organisationId: number | null }>();
  let lastPerson = -1;
  for (const e of entries) {
    if (matches && !matches(e)) continue;
    const a = e.appointment;
    // A person's appointments are together: counted at the first that matches.
    if (a.personId !== lastPerson) {
      lastPerson = a.personId;
      count(overall, e.personStatus);
    }
    let role = byRole.get(a.roleId);
    if (!role) byRole.set(a.roleId, (role = { ...emptyCounts(), roleId: a.roleId, roleName: a.roleName }));
    count(role, e.status);
    let group = byGroup.get(a.groupName);
    if (!group) byGroup.set(a.groupName, (group = { ...emptyCounts(), groupName: a.groupName, organisationId: a.organisationId }));
    group.organisationId ??= a.organisationId;
    count(group, e.status);
  }
  return {
    overall: finish(overall),
    byRole: [...byRole.values()].map(finish).sort((a, b) => compareText(a.roleName, b.roleName)),
    byGroup: [...byGroup.values()].map(finish).sort((a, b) => compareText(a.groupName, b.groupName)),
  };
}

/**
 * Whether an appointment is kept by the role, group and search filters (null when there are none):
 * worked out once for every appointment, then looked up.
 */
function entryFilter(evaluated: EvaluatedRoster, filters: z.output<typeof ComplianceFilterSchema>): ((e: RosterEntry) => boolean) | null {
  const { role, group } = filters;
  const search = filters.search?.toLowerCase().replaceAll("\u0000", "");
  if (!role && !group && !search) return null;
  const kept = new Uint8Array(evaluated.entries.length);
  for (const e of evaluated.entries) {
    if ((!role || e.appointment.roleId === role) && (!group || e.groupName === group) && (!search || e.haystack.includes(search))) kept[e.index] = 1;
  }
  return (e) => kept[e.index] === 1;
}

/** A light view of each appointment the filters keep, in the order asked for: for lists that need everyone but not each requirement. */
export interface RosterMember {
  appointmentId: number;
  personId: number;
  name: string;
  roleName: string;
  isPresident: boolean;
  status: LeaderStatus;
  personStatus: LeaderStatus;
}

/**
 * The officer's dashboard for one roster year: a row per person per role, and counts overall, by
 * role and by group. The roster is read and every appointment's status worked out once for each
 * record version and day (`evaluatedRoster`); a request filters, counts and pages that in memory, and
 * evaluates in full (each requirement and what met it) only the people on its page.
 * Role, group and search narrow rows and counts; status narrows only the rows, so the counts
 * still show the whole picture.
 */
export async function complianceForYear(
  db: Db,
  startYear: number,
  opts: { asOf?: Date | string; filters?: ComplianceFilter; limit?: number; offset?: number } = {},
): Promise<ComplianceReport> {
  const filters = ComplianceFilterSchema.parse(opts.filters ?? {});
  const evaluated = await evaluatedRoster(db, startYear, opts.asOf);
  const matches = entryFilter(evaluated, filters);
  const summary = matches ? summarise(evaluated.entries, matches) : (evaluated.summary ??= summarise(evaluated.entries, null));

  const offset = Math.max(0, opts.offset ?? 0);
  const end = opts.limit === undefined ? Infinity : offset + Math.max(0, opts.limit);
  const page: RosterEntry[] = [];
  let total = 0;
  for (const e of entriesInOrder(evaluated, filters.sort)) {
    if (matches && !matches(e)) continue;
    if (filters.status && e.status !== filters.status) continue;
    if (total >= offset && total < end) page.push(e);
    total++;
  }

  const rows = page.map((e): ComplianceRow => {
    const a = e.appointment;
    const requirements = resultOf(evaluated, e.person).appointments.find((r) => r.appointmentId === a.id)!.requirements;
    return {
      appointmentId: a.id,
      personId: a.personId,
      name: a.name,
      email: a.email,
      studentId: a.studentId,
      roleId: a.roleId,
      roleName: a.roleName,
      groupName: a.groupName,
      organisationId: a.organisationId,
      isPresident: a.isPresident,
      startedOn: a.startedOn,
      endedOn: a.endedOn,
      endReason: a.endReason,
      status: e.status,
      dueOn: e.dueOn,
      personStatus: e.personStatus,
      requirements,
      missing: requirements.filter((r) => r.state === "missing").map((r) => r.courseName),
      lastRemindedAt: evaluated.lastReminded.get(a.personId) ?? null,
    };
  });

  return { year: evaluated.year, asOf: evaluated.asOf, rows, total, summary };
}

/**
 * Everyone the role, group and search filters keep (status too, if given), in the order asked for,
 * without each requirement: for a group's presidents and those still to do, or who to remind.
 */
export async function rosterMembers(db: Db, startYear: number, opts: { asOf?: Date | string; filters?: ComplianceFilter } = {}): Promise<RosterMember[]> {
  const filters = ComplianceFilterSchema.parse(opts.filters ?? {});
  const evaluated = await evaluatedRoster(db, startYear, opts.asOf);
  const matches = entryFilter(evaluated, filters);
  const out: RosterMember[] = [];
  for (const e of entriesInOrder(evaluated, filters.sort)) {
    if (matches && !matches(e)) continue;
    if (filters.status && e.status !== filters.status) continue;
    const a = e.appointment;
    out.push({
      appointmentId: a.id,
      personId: a.personId,
      name: a.name,
      roleName: a.roleName,
      isPresident: a.isPresident,
      status: e.status,
      personStatus: e.personStatus,
    });
  }
  return out;
}

// ---- One leader -------------------------------------------------------------------------------

export interface EvidenceItem extends CompletionEvidence {
  courseName: string;
  /** For attendance: the session's title or course, and the name it was registered under. */
  sessionTitle: string | null;
  registeredAs: string | null;
}

export interface RecordedCompletionItem {
  id: number;
  courseId: number;
  courseName: string;
  completedOn: string;
  source: "external" | "confirmed_match";
  provider: string | null;
  evidenceNote: string | null;
  registrationId: number | null;
  recordedByName: string | null;
  createdAt: string;
  withdrawnAt: string | null;
  withdrawnByName: string | null;
  withdrawReason: string | null;
}

export interface ExemptionItem {
  id: number;
  courseId: number | null;
  courseName: string | null; // null: every course
  startYear: number;
  reason: string;
  grantedBy: string;
  recordedByName: string | null;
  createdAt: string;
  withdrawnAt: string | null;
  withdrawnByName: string | null;
  withdrawReason: string | null;
}

export interface LeaderDetail {
  person: { id: number; name: string; email: string; studentId: string | null; createdAt: string };
  year: LeaderYearRow & { label: string };
  asOf: string;
  /** This year's appointments (ended ones too). */
  appointments: AppointmentRow[];
  result: PersonResult;
  /** Every delivered session the person attended (matched by email or student ID, or confirmed), any course, newest first. */
  attendance: EvidenceItem[];
  /** Every completion recorded by an officer, withdrawn ones too, newest first. */
  recorded: RecordedCompletionItem[];
  /** Every exemption, all years, withdrawn ones too. */
  exemptions: ExemptionItem[];
  reminders: { sentAt: string; sentByName: string | null; startYear: number }[];
  /** Roles held in other years, for history. */
  otherYears: { startYear: number; roleName: string; groupName: string; endedOn: string | null }[];
  nearMisses: NearMiss[];
}

export async function leaderDetail(db: Db, personId: number, startYear: number, opts: { asOf?: Date | string } = {}): Promise<LeaderDetail | null> {
  const person = await db.selectFrom("leader_people").selectAll().where("id", "=", personId).executeTakeFirst();
  if (!person) return null;
  const evaluated = await evaluateYear(db, startYear, { asOf: opts.asOf, personIds: [personId] });
  const mine = evaluated.people.get(personId);

  const [attended, recorded, exemptions, reminders, otherYears, misses] = await Promise.all([
    matchedAttendance(db, { personIds: [personId] }),
    db
      .selectFrom("leader_completions as lc")
      .innerJoin("courses as c", "c.id", "lc.course_id")
      .leftJoin("users as u1", "u1.id", "lc.recorded_by")
      .leftJoin("users as u2", "u2.id", "lc.withdrawn_by")
      .select([
        "lc.id",
        "lc.course_id",
        "c.name as course_name",
        "lc.completed_on",
        "lc.source",
        "lc.provider",
        "lc.evidence_note",
        "lc.registration_id",
        "u1.name as recorded_by_name",
        "lc.created_at",
        "lc.withdrawn_at",
        "u2.name as withdrawn_by_name",
        "lc.withdraw_reason",
      ])
      .where("lc.person_id", "=", personId)
      .orderBy("lc.completed_on", "desc")
      .orderBy("lc.id", "desc")
      .execute(),
    db
      .selectFrom("leader_exemptions as e")
      .leftJoin("courses as c", "c.id", "e.course_id")
      .leftJoin("users as u1", "u1.id", "e.recorded_by")
      .leftJoin("users as u2", "u2.id", "e.withdrawn_by")
      .select([
        "e.id",
        "e.course_id",
        "c.name as course_name",
        "e.start_year",
        "e.reason",
        "e.granted_by",
        "u1.name as recorded_by_name",
        "e.created_at",
        "e.withdrawn_at",
        "u2.name as withdrawn_by_name",
        "e.withdraw_reason",
      ])
      .where("e.person_id", "=", personId)
      .orderBy("e.start_year", "desc")
      .orderBy("e.id", "desc")
      .execute(),
    db
      .selectFrom("leader_reminders as lr")
      .leftJoin("users as u", "u.id", "lr.sent_by")
      .select(["lr.sent_at", "u.name as sent_by_name", "lr.start_year"])
      .where("lr.person_id", "=", personId)
      .orderBy("lr.sent_at", "desc")
      .execute(),
    db
      .selectFrom("leader_appointments as a")
      .innerJoin("leader_roles as r", "r.id", "a.role_id")
      .select(["a.start_year", "r.name as role_name", "a.group_name", "a.ended_on"])
      .where("a.person_id", "=", personId)
      .where("a.start_year", "!=", startYear)
      .orderBy("a.start_year", "desc")
      .orderBy("r.name")
      .execute(),
    nearMisses(db, startYear, { asOf: opts.asOf, personIds: [personId] }),
  ]);

  const attendance = (attended.get(personId) ?? []).sort((a, b) => (a.completedOn < b.completedOn ? 1 : -1));
  const sessionIds = [...new Set(attendance.map((a) => a.sessionId!))];
  const sessions = sessionIds.length
    ? await db
        .selectFrom("sessions as s")
        .innerJoin("courses as c", "c.id", "s.course_id")
        .select(["s.id", "s.title", "c.name as course_name"])
        .where("s.id", "in", sessionIds)
        .execute()
    : [];
  const registrationIds = attendance.map((a) => a.registrationId!);
  const registeredNames = registrationIds.length
    ? new Map((await db.selectFrom("registrations").select(["id", "name"]).where("id", "in", registrationIds).execute()).map((r) => [r.id, r.name]))
    : new Map<number, string>();
  const sessionById = new Map(sessions.map((s) => [s.id, s]));

  const result: PersonResult = mine?.result ?? { status: "ended", dueOn: null, appointments: [], requirements: [] };
  return {
    person: { id: person.id, name: person.name, email: person.email, studentId: person.student_id, createdAt: person.created_at },
    year: { ...evaluated.year, label: academicYearLabel(startYear) },
    asOf: evaluated.asOf,
    appointments: mine?.appointments ?? [],
    result,
    attendance: attendance.map((a) => {
      const s = sessionById.get(a.sessionId!);
      return {
        ...a,
        courseName: s?.course_name ?? "",
        sessionTitle: s?.title ?? s?.course_name ?? null,
        registeredAs: registeredNames.get(a.registrationId!) ?? null,
      };
    }),
    recorded: recorded.map((r) => ({
      id: r.id,
      courseId: r.course_id,
      courseName: r.course_name,
      completedOn: r.completed_on,
      source: r.source,
      provider: r.provider,
      evidenceNote: r.evidence_note,
      registrationId: r.registration_id,
      recordedByName: r.recorded_by_name,
      createdAt: r.created_at,
      withdrawnAt: r.withdrawn_at,
      withdrawnByName: r.withdrawn_by_name,
      withdrawReason: r.withdraw_reason,
    })),
    exemptions: exemptions.map((e) => ({
      id: e.id,
      courseId: e.course_id,
      courseName: e.course_name,
      startYear: e.start_year,
      reason: e.reason,
      grantedBy: e.granted_by,
      recordedByName: e.recorded_by_name,
      createdAt: e.created_at,
      withdrawnAt: e.withdrawn_at,
      withdrawnByName: e.withdrawn_by_name,
      withdrawReason: e.withdraw_reason,
    })),
    reminders: reminders.map((r) => ({ sentAt: r.sent_at, sentByName: r.sent_by_name, startYear: r.start_year })),
    otherYears: otherYears.map((o) => ({ startYear: o.start_year, roleName: o.role_name, groupName: o.group_name, endedOn: o.ended_on })),
    nearMisses: misses,
  };
}

// ---- Near-misses ------------------------------------------------------------------------------

/** For each person on the roster with something still to do, the requirement (of their last role needing it) for each course. */
function stillMissing(roster: RosterYear): { roster: RosterYear; missingOf: Map<number, Map<number, RequirementRule>> } {
  const rules = prepareYearRules(roster.requirementsByRole, roster.year.startYear, roster.year.deadline, roster.asOf);
  const completed = completionWindows(roster, rules);
  const missingOf = new Map<number, Map<number, RequirementRule>>();
  for (const person of roster.people.values()) {
    const missing = new Map<number, RequirementRule>();
    for (const a of person.appointments) rules.appointmentStatus(a, person, completed, (rule) => missing.set(rule.courseId, rule));
    if (missing.size) missingOf.set(person.personId, missing);
  }
  return { roster, missingOf };
}

/** Someone present at a session of a course a leader still needs, under the leader's name but not their email or student ID. */
export interface NearMiss {
  personId: number;
  personName: string;
  personEmail: string;
  personStudentId: string | null;
  registrationId: number;
  registeredName: string;
  registeredEmail: string | null;
  registeredStudentId: string | null;
  sessionId: number;
  sessionTitle: string;
  courseId: number;
  courseName: string;
  attendedOn: string;
}

/**
 * Attendance an officer should look at: present at a delivered session of a course the leader has
 * not met, same name (ignoring case, accents and punctuation), but neither the email nor the student
 * ID matches anyone on a roster. Dismissed pairs and attendance too old to count are left out.
 */
export async function nearMisses(db: Db, startYear: number, opts: { asOf?: Date | string; personIds?: readonly number[] } = {}): Promise<NearMiss[]> {
  if (opts.personIds) return findNearMisses(db, startYear, opts);
  // A whole roster's are kept against the record version, for the day they are worked out for.
  const asOf = rosterAsOf(startYear, opts.asOf);
  return cachedByRecords(db, JSON.stringify(["near-misses", startYear, asOf]), () => findNearMisses(db, startYear, { asOf }));
}

async function findNearMisses(db: Db, startYear: number, opts: { asOf?: Date | string; personIds?: readonly number[] }): Promise<NearMiss[]> {
  // Named people are evaluated first (a few statements) and only the courses they still miss searched
  // for. For a whole roster, the registers are searched first, for the roster's names, and only the
  // leaders named there are evaluated.
  let leaders = opts.personIds ? stillMissing(await readRosterYear(db, startYear, { asOf: opts.asOf, personIds: opts.personIds })) : null;
  if (!leaders) await requireLeaderYear(db, startYear);
  const asOf = leaders?.roster.asOf ?? rosterAsOf(startYear, opts.asOf);
  const requirementsByRole = leaders?.roster.requirementsByRole ?? (await loadRequirementsByRole(db));
  const courseIds = leaders
    ? [...new Set([...leaders.missingOf.values()].flatMap((missing) => [...missing.keys()]))]
    : [...new Set([...requirementsByRole.values()].flat().map((r) => r.courseId))];
  if (!courseIds.length) return [];

  // Leaders by normalised name.
  const names = leaders
    ? [...leaders.roster.people.values()].filter((p) => leaders!.missingOf.has(p.personId)).map((p) => ({ id: p.personId, name: p.name }))
    : await db
        .selectFrom("leader_people as lp")
        .select(["lp.id", "lp.name"])
        .where(({ exists, selectFrom }) =>
          exists(selectFrom("leader_appointments as a").select("a.id").whereRef("a.person_id", "=", "lp.id").where("a.start_year", "=", startYear)),
        )
        .execute();
  const byName = new Map<string, number[]>();
  for (const p of names) {
    const key = normaliseName(p.name);
    const list = byName.get(key);
    if (list) list.push(p.id);
    else byName.set(key, [p.id]);
  }
  if (!byName.size) return [];

  // Present at a delivered session of one of those courses that could still count, under nobody's
  // email or student ID: only the name is read for each, and the rest for the few that match.
  const counting = countingSessions(requirementsByRole, startYear, asOf, new Set(courseIds));
  const candidates = (
    await db
      .selectFrom("registrations as r")
      .select(["r.id", "r.name", "r.session_id"])
      .where("r.attendance", "=", "present")
      .where("r.status", "!=", "cancelled")
      .where("r.session_id", "in", countingSessionsQuery(db, counting).select("ds.id"))
      // Attendance that belongs to someone on a roster, by email or student ID, is theirs.
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom("leader_people as lp")
              .select("lp.id")
              .where((eb) => eb(eb.fn<string>("lower", ["r.email"]), "=", eb.ref("lp.email"))),
          ),
        ),
      )
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom("leader_people as lp")
              .select("lp.id")
              .where((eb) => eb(eb.fn<string>("upper", ["r.student_id"]), "=", eb.ref("lp.student_id"))),
          ),
        ),
      )
      .execute()
  ).flatMap((c) => {
    const personIds = byName.get(normaliseName(c.name));
    return personIds ? [{ ...c, personIds }] : [];
  });
  if (!candidates.length) return [];
  leaders ??= stillMissing(await readRosterYear(db, startYear, { asOf, personIds: [...new Set(candidates.flatMap((c) => c.personIds))] }));
  const { roster, missingOf } = leaders;

  // Both lists are short (one row per decision an officer made), so they are read whole.
  const [dismissed, confirmed] = await Promise.all([
    db.selectFrom("leader_match_dismissals").select(["person_id", "registration_id"]).execute(),
    db
      .selectFrom("leader_completions")
      .select(["person_id", "registration_id"])
      .where("registration_id", "is not", null)
      .where("withdrawn_at", "is", null)
      .execute(),
  ]);
  const settled = new Set([...dismissed, ...confirmed].map((d) => `${d.person_id}:${d.registration_id}`));

  const pairs: { registration: (typeof candidates)[number]; session: DeliveredSession; person: RosterPerson; rule: RequirementRule }[] = [];
  for (const c of candidates) {
    // Sessions beyond `asOf` are not among the roster's: too late to count.
    const session = roster.sessions.get(c.session_id);
    if (!session) continue;
    for (const personId of c.personIds) {
      const person = roster.people.get(personId);
      const rule = missingOf.get(personId)?.get(session.courseId);
      if (!person || !rule || settled.has(`${personId}:${c.id}`)) continue;
      const { from, to } = countingWindow(rule, startYear, asOf);
      if (session.day >= from && session.day <= to) pairs.push({ registration: c, session, person, rule });
    }
  }
  // Most recent first.
  pairs.sort(
    (x, y) =>
      (x.session.startsAt < y.session.startsAt ? 1 : x.session.startsAt > y.session.startsAt ? -1 : 0) ||
      x.session.id - y.session.id ||
      x.registration.id - y.registration.id ||
      x.person.slot - y.person.slot,
  );

  const [registered, people] = await Promise.all([
    inChunks([...new Set(pairs.map((p) => p.registration.id))], (ids) =>
      db.selectFrom("registrations").select(["id", "email", "student_id"]).where("id", "in", ids).execute(),
    ),
    inChunks([...new Set(pairs.map((p) => p.person.personId))], (ids) =>
      db.selectFrom("leader_people").select(["id", "email", "student_id"]).where("id", "in", ids).execute(),
    ),
  ]);
  const registrationById = new Map(registered.map((r) => [r.id, r]));
  const leaderById = new Map(people.map((p) => [p.id, p]));
  return pairs.map(({ registration: c, session, person: p, rule }): NearMiss => {
    const r = registrationById.get(c.id);
    const leader = leaderById.get(p.personId);
    return {
      personId: p.personId,
      personName: p.name,
      personEmail: leader?.email ?? "",
      personStudentId: leader?.student_id ?? null,
      registrationId: c.id,
      registeredName: c.name,
      registeredEmail: r?.email ?? null,
      registeredStudentId: r?.student_id ?? null,
      sessionId: session.id,
      sessionTitle: session.title ?? rule.courseName,
      courseId: session.courseId,
      courseName: rule.courseName,
      attendedOn: session.day,
    };
  });
}

/**
 * The near-miss the app itself proposes for this leader and this attendance, in any roster year the
 * leader holds a role in, or null. A confirmation or a dismissal applies only to such a pair: any
 * other pair would let whoever sends it read, or attach to a leader, someone else's registration.
 */
async function proposedNearMiss(db: Db, personId: number, registrationId: number): Promise<NearMiss | null> {
  const years = await db
    .selectFrom("leader_appointments")
    .select("start_year")
    .distinct()
    .where("person_id", "=", personId)
    .orderBy("start_year", "desc")
    .execute();
  for (const { start_year } of years) {
    const found = (await findNearMisses(db, start_year, { personIds: [personId] })).find((m) => m.registrationId === registrationId);
    if (found) return found;
  }
  return null;
}

const NOT_PROPOSED = "This attendance is not a possible match for this leader. The page has been brought up to date.";

/** The officer says the near-miss is the leader: the attendance is recorded as theirs. */
export async function confirmMatch(db: Db, actor: SessionUser, input: MatchInput): Promise<number> {
  const { personId, registrationId } = parseInput(MatchSchema, input);
  try {
    return await writeTransaction(db, async (trx) => {
      const person = await trx.selectFrom("leader_people").select(["id", "name"]).where("id", "=", personId).executeTakeFirst();
      if (!person) throw new RuleViolation("personId", "This leader no longer exists");
      const confirmed = await trx
        .selectFrom("leader_completions")
        .select("id")
        .where("person_id", "=", personId)
        .where("registration_id", "=", registrationId)
        .where("withdrawn_at", "is", null)
        .executeTakeFirst();
      if (confirmed) throw new RuleViolation("registrationId", "This attendance is already confirmed for this leader");
      if (!(await proposedNearMiss(trx, personId, registrationId))) throw new RuleViolation("registrationId", NOT_PROPOSED);
      const r = await trx
        .selectFrom("registrations as r")
        .innerJoin("sessions as s", "s.id", "r.session_id")
        .innerJoin("courses as c", "c.id", "s.course_id")
        .select(["r.name", "r.email", "r.student_id", "r.attendance", "s.status", "s.starts_at", "s.title", "s.course_id", "c.name as course_name"])
        .where("r.id", "=", registrationId)
        .executeTakeFirst();
      if (!r || r.status !== "delivered" || r.attendance !== "present") {
        throw new RuleViolation("registrationId", "Only attendance at a delivered session can be confirmed");
      }
      const completedOn = londonDateOf(r.starts_at);
      const who = [r.email, r.student_id ? `student ID ${r.student_id}` : null].filter(Boolean).join(", ");
      const row = await trx
        .insertInto("leader_completions")
        .values({
          person_id: personId,
          course_id: r.course_id,
          completed_on: completedOn,
          source: "confirmed_match",
          provider: null,
          evidence_note: `On the register of ${r.title ?? r.course_name} (${formatDay(r.starts_at)}) as ${r.name}${who ? ` (${who})` : ""}`,
          registration_id: registrationId,
          recorded_by: actor.id,
          created_at: nowIso(),
          withdrawn_at: null,
          withdrawn_by: null,
          withdraw_reason: null,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await recordAudit(trx, {
        actorUserId: actor.id,
        action: "leader.match_confirmed",
        entityType: "leader",
        entityId: personId,
        summary: `${actor.name} confirmed that ${person.name} attended ${r.course_name} on ${formatDay(r.starts_at)} (registered as ${r.name})`,
        detail: { registrationId, completionId: row.id },
      });
      return row.id;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new RuleViolation("registrationId", "This attendance is already confirmed for this leader");
    throw err;
  }
}

/** The officer says the near-miss is someone else: it is not shown again for this leader. */
export async function dismissMatch(db: Db, actor: SessionUser, input: MatchInput): Promise<void> {
  const { personId, registrationId } = parseInput(MatchSchema, input);
  await writeTransaction(db, async (trx) => {
    const proposed = await proposedNearMiss(trx, personId, registrationId);
    if (!proposed) {
      const already = await trx
        .selectFrom("leader_match_dismissals")
        .select("person_id")
        .where("person_id", "=", personId)
        .where("registration_id", "=", registrationId)
        .executeTakeFirst();
      // Dismissing twice (a second click, another officer at the same time) is not an error.
      if (already) return;
      throw new RuleViolation("registrationId", NOT_PROPOSED);
    }
    const person = { name: proposed.personName };
    const reg = { name: proposed.registeredName };
    const result = await trx
      .insertInto("leader_match_dismissals")
      .values({ person_id: personId, registration_id: registrationId, dismissed_by: actor.id, dismissed_at: nowIso() })
      .onConflict((oc) => oc.columns(["person_id", "registration_id"]).doNothing())
      .executeTakeFirst();
    if (Number(result.numInsertedOrUpdatedRows ?? 0) === 0) return;
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: "leader.match_dismissed",
      entityType: "leader",
      entityId: personId,
      summary: `${actor.name} said the attendance registered as ${reg.name} is not ${person.name}`,
      detail: { registrationId },
    });
  });
}

// ---- Records an officer makes -----------------------------------------------------------------

async function personName(trx: Db, personId: number): Promise<string> {
  const p = await trx.selectFrom("leader_people").select("name").where("id", "=", personId).executeTakeFirst();
  if (!p) throw new RuleViolation("personId", "This leader no longer exists");
  return p.name;
}

async function courseName(trx: Db, courseId: number): Promise<string> {
  const c = await trx.selectFrom("courses").select("name").where("id", "=", courseId).executeTakeFirst();
  if (!c) throw new RuleViolation("courseId", "Choose a course from the list");
  return c.name;
}

/** Training done elsewhere (another university, a club's governing body…), with its date and evidence. */
export async function recordExternalCompletion(db: Db, actor: SessionUser, input: ExternalCompletionInput): Promise<number> {
  const v = parseInput(ExternalCompletionSchema, input);
  if (v.completedOn > londonToday()) throw new RuleViolation("completedOn", "The date cannot be in the future");
  if (v.completedOn < "2000-01-01") throw new RuleViolation("completedOn", "Enter a date from 2000");
  return writeTransaction(db, async (trx) => {
    const name = await personName(trx, v.personId);
    const course = await courseName(trx, v.courseId);
    const row = await trx
      .insertInto("leader_completions")
      .values({
        person_id: v.personId,
        course_id: v.courseId,
        completed_on: v.completedOn,
        source: "external",
        provider: v.provider,
        evidence_note: v.evidenceNote,
        registration_id: null,
        recorded_by: actor.id,
        created_at: nowIso(),
        withdrawn_at: null,
        withdrawn_by: null,
        withdraw_reason: null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: "leader.completion_recorded",
      entityType: "leader",
      entityId: v.personId,
      summary: `${actor.name} recorded ${course} for ${name}, done on ${formatDay(v.completedOn)} with ${v.provider}`,
      detail: { completionId: row.id, ...v },
    });
    return row.id;
  });
}

/** An exemption from one course, or from all, for one roster year, with who granted it and why. */
export async function recordExemption(db: Db, actor: SessionUser, input: ExemptionInput): Promise<number> {
  const v = parseInput(ExemptionSchema, input);
  return writeTransaction(db, async (trx) => {
    await requireLeaderYear(trx, v.startYear);
    const name = await personName(trx, v.personId);
    // An exemption is for a year the person is on the roster: any other year it would excuse nothing and mislead.
    const onRoster = await trx
      .selectFrom("leader_appointments")
      .select("id")
      .where("person_id", "=", v.personId)
      .where("start_year", "=", v.startYear)
      .executeTakeFirst();
    if (!onRoster) throw new RuleViolation("startYear", `${name} holds no role in ${academicYearLabel(v.startYear)}`);
    const course = v.courseId === null ? "every course" : await courseName(trx, v.courseId);
    const row = await trx
      .insertInto("leader_exemptions")
      .values({
        person_id: v.personId,
        course_id: v.courseId,
        start_year: v.startYear,
        reason: v.reason,
        granted_by: v.grantedBy,
        recorded_by: actor.id,
        created_at: nowIso(),
        withdrawn_at: null,
        withdrawn_by: null,
        withdraw_reason: null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: "leader.exemption_recorded",
      entityType: "leader",
      entityId: v.personId,
      summary: `${actor.name} recorded an exemption for ${name} from ${course} in ${academicYearLabel(v.startYear)}, granted by ${v.grantedBy}`,
      detail: { exemptionId: row.id, ...v },
    });
    return row.id;
  });
}

/** A recorded completion entered by mistake stops counting; the record and who withdrew it stay. */
export async function withdrawCompletion(db: Db, actor: SessionUser, input: WithdrawInput): Promise<void> {
  const v = parseInput(WithdrawSchema, input);
  await writeTransaction(db, async (trx) => {
    const row = await trx
      .selectFrom("leader_completions as lc")
      .innerJoin("leader_people as p", "p.id", "lc.person_id")
      .innerJoin("courses as c", "c.id", "lc.course_id")
      .select(["lc.person_id", "lc.withdrawn_at", "lc.completed_on", "p.name", "c.name as course_name"])
      .where("lc.id", "=", v.id)
      .where("lc.person_id", "=", v.personId)
      .executeTakeFirst();
    if (!row) throw new RuleViolation("id", "This record no longer exists");
    if (row.withdrawn_at) throw new RuleViolation("id", "This record was already withdrawn");
    await trx
      .updateTable("leader_completions")
      .set({ withdrawn_at: nowIso(), withdrawn_by: actor.id, withdraw_reason: v.reason })
      .where("id", "=", v.id)
      .execute();
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: "leader.completion_withdrawn",
      entityType: "leader",
      entityId: row.person_id,
      summary: `${actor.name} withdrew ${row.course_name} on ${formatDay(row.completed_on)} for ${row.name}: ${v.reason}`,
      detail: { completionId: v.id },
    });
  });
}

export async function withdrawExemption(db: Db, actor: SessionUser, input: WithdrawInput): Promise<void> {
  const v = parseInput(WithdrawSchema, input);
  await writeTransaction(db, async (trx) => {
    const row = await trx
      .selectFrom("leader_exemptions as e")
      .innerJoin("leader_people as p", "p.id", "e.person_id")
      .select(["e.person_id", "e.withdrawn_at", "e.start_year", "p.name"])
      .where("e.id", "=", v.id)
      .where("e.person_id", "=", v.personId)
      .executeTakeFirst();
    if (!row) throw new RuleViolation("id", "This exemption no longer exists");
    if (row.withdrawn_at) throw new RuleViolation("id", "This exemption was already withdrawn");
    await trx
      .updateTable("leader_exemptions")
      .set({ withdrawn_at: nowIso(), withdrawn_by: actor.id, withdraw_reason: v.reason })
      .where("id", "=", v.id)
      .execute();
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: "leader.exemption_withdrawn",
      entityType: "leader",
      entityId: row.person_id,
      summary: `${actor.name} withdrew the ${academicYearLabel(row.start_year)} exemption of ${row.name}: ${v.reason}`,
      detail: { exemptionId: v.id },
    });
  });
}

/** A leader steps down mid-year: the role stays in the history and stops asking for training from that day. */
export async function endAppointment(db: Db, actor: SessionUser, input: EndAppointmentInput): Promise<void> {
  const v = parseInput(EndAppointmentSchema, input);
  await writeTransaction(db, async (trx) => {
    const a = await trx
      .selectFrom("leader_appointments as a")
      .innerJoin("leader_people as p", "p.id", "a.person_id")
      .innerJoin("leader_roles as r", "r.id", "a.role_id")
      .select(["a.id", "a.person_id", "a.ended_on", "a.started_on", "a.group_name", "p.name", "r.name as role_name"])
      .where("a.id", "=", v.appointmentId)
      .where("a.person_id", "=", v.personId)
      .executeTakeFirst();
    if (!a) throw new RuleViolation("appointmentId", "This role is not one of theirs, or no longer exists");
    if (a.ended_on) throw new RuleViolation("appointmentId", `This role already ended on ${formatDay(a.ended_on)}`);
    if (v.endedOn < a.started_on) throw new RuleViolation("endedOn", `The role started on ${formatDay(a.started_on)}; it cannot end before that`);
    await trx.updateTable("leader_appointments").set({ ended_on: v.endedOn, end_reason: v.reason, updated_at: nowIso() }).where("id", "=", a.id).execute();
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: "leader.role_ended",
      entityType: "leader",
      entityId: a.person_id,
      summary: `${actor.name} ended ${a.name}'s role as ${a.role_name}${a.group_name ? ` (${a.group_name})` : ""} on ${formatDay(v.endedOn)}: ${v.reason}`,
      detail: { appointmentId: a.id, endedOn: v.endedOn },
    });
  });
}

// ---- Adding and changing leaders --------------------------------------------------------------

/** Organisations by normalised name, for linking a roster's groups. */
export async function organisationsByName(db: Db): Promise<Map<string, number>> {
  const rows = await db.selectFrom("organisations").select(["id", "name"]).where("is_archived", "=", 0).execute();
  return new Map(rows.map((o) => [normaliseName(o.name), o.id]));
}

/** The date a new appointment starts: given, or today, but never before the year starts. */
export function defaultStartedOn(startYear: number, given?: string | null): string {
  if (given) return given;
  const today = londonToday();
  const first = `${startYear}-08-01`;
  return today > first ? today : first;
}

/**
 * Adds a person to a year's roster in a role (or updates them): the person is found by email, their
 * name and student ID brought up to date; the same role in the same group is one appointment.
 */
export async function addOrUpdateLeader(
  db: Db,
  actor: SessionUser,
  startYear: number,
  input: LeaderInput,
): Promise<{ personId: number; appointmentId: number; created: boolean }> {
  const v = parseInput(LeaderSchema, input);
  return writeTransaction(db, async (trx) => {
    await requireLeaderYear(trx, startYear);
    const role = await trx.selectFrom("leader_roles").select(["id", "name", "is_archived"]).where("id", "=", v.roleId).executeTakeFirst();
    if (!role || role.is_archived) throw new RuleViolation("roleId", "Choose a role from the list");
    if (v.startedOn && (v.startedOn < `${startYear}-08-01` || v.startedOn > `${startYear + 1}-07-31`)) {
      throw new RuleViolation("startedOn", `The start date must fall within ${academicYearLabel(startYear)}`);
    }
    if (v.studentId) {
      const holder = await trx.selectFrom("leader_people").select(["email", "name"]).where("student_id", "=", v.studentId).executeTakeFirst();
      if (holder && holder.email !== v.email) throw new RuleViolation("studentId", `This student ID belongs to ${holder.name} (${holder.email})`);
    }
    const at = nowIso();
    const existing = await trx.selectFrom("leader_people").selectAll().where("email", "=", v.email).executeTakeFirst();
    let personId: number;
    if (existing) {
      personId = existing.id;
      const studentId = v.studentId ?? existing.student_id;
      if (existing.name !== v.name || existing.student_id !== studentId) {
        await trx.updateTable("leader_people").set({ name: v.name, student_id: studentId, updated_at: at }).where("id", "=", personId).execute();
      }
    } else {
      personId = (
        await trx
          .insertInto("leader_people")
          .values({ name: v.name, email: v.email, student_id: v.studentId, created_at: at, updated_at: at })
          .returning("id")
          .executeTakeFirstOrThrow()
      ).id;
    }
    const organisationId = (await organisationsByName(trx)).get(normaliseName(v.groupName)) ?? null;
    const appointment = await trx
      .selectFrom("leader_appointments")
      .select(["id"])
      .where("person_id", "=", personId)
      .where("start_year", "=", startYear)
      .where("role_id", "=", v.roleId)
      .where("group_name", "=", v.groupName)
      .executeTakeFirst();
    let appointmentId: number;
    if (appointment) {
      appointmentId = appointment.id;
      await trx
        .updateTable("leader_appointments")
        .set({ is_president: v.isPresident ? 1 : 0, organisation_id: organisationId, ...(v.startedOn ? { started_on: v.startedOn } : {}), updated_at: at })
        .where("id", "=", appointmentId)
        .execute();
    } else {
      appointmentId = (
        await trx
          .insertInto("leader_appointments")
          .values({
            person_id: personId,
            start_year: startYear,
            role_id: v.roleId,
            group_name: v.groupName,
            organisation_id: organisationId,
            is_president: v.isPresident ? 1 : 0,
            started_on: defaultStartedOn(startYear, v.startedOn),
            ended_on: null,
            end_reason: null,
            created_at: at,
            updated_at: at,
          })
          .returning("id")
          .executeTakeFirstOrThrow()
      ).id;
    }
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: appointment ? "leader.updated" : "leader.added",
      entityType: "leader",
      entityId: personId,
      summary: `${actor.name} ${appointment ? "updated" : "added"} ${v.name} as ${role.name}${v.groupName ? ` (${v.groupName})` : ""} for ${academicYearLabel(startYear)}`,
      detail: { appointmentId, ...v },
    });
    return { personId, appointmentId, created: !appointment };
  });
}

/** Corrects a person's name, email or student ID. */
export async function updateLeaderPerson(db: Db, actor: SessionUser, input: LeaderPersonInput): Promise<void> {
  const v = parseInput(LeaderPersonSchema, input);
  try {
    await writeTransaction(db, async (trx) => {
      const before = await trx.selectFrom("leader_people").selectAll().where("id", "=", v.personId).executeTakeFirst();
      if (!before) throw new RuleViolation("personId", "This leader no longer exists");
      const clash = await trx
        .selectFrom("leader_people")
        .select(["name", "email", "student_id"])
        .where("id", "!=", v.personId)
        .where((eb) => eb.or([eb("email", "=", v.email), ...(v.studentId ? [eb("student_id", "=", v.studentId)] : [])]))
        .executeTakeFirst();
      if (clash?.email === v.email) throw new RuleViolation("email", `This email belongs to ${clash.name}`);
      if (clash) throw new RuleViolation("studentId", `This student ID belongs to ${clash.name} (${clash.email})`);
      await trx
        .updateTable("leader_people")
        .set({ name: v.name, email: v.email, student_id: v.studentId, updated_at: nowIso() })
        .where("id", "=", v.personId)
        .execute();
      await recordAudit(trx, {
        actorUserId: actor.id,
        action: "leader.person_updated",
        entityType: "leader",
        entityId: v.personId,
        summary: `${actor.name} changed the details of ${before.name}`,
        detail: {
          before: { name: before.name, email: before.email, studentId: before.student_id },
          after: { name: v.name, email: v.email, studentId: v.studentId },
        },
      });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new RuleViolation("email", "This email or student ID belongs to someone else");
    throw err;
  }
}

/**
 * Starts a new roster year from the last: appointments in the roles that continue (and not ended)
 * are copied, starting on 1 August. The new year is created if needed, with the given deadline or
 * last year's moved on a year. Running it twice copies nothing twice.
 */
export async function rollOverYear(db: Db, actor: SessionUser, input: RollOverInput): Promise<{ copied: number; alreadyThere: number }> {
  const v = parseInput(RollOverSchema, input);
  return writeTransaction(db, async (trx) => {
    const from = await requireLeaderYear(trx, v.fromYear);
    const at = nowIso();
    const existingYear = await getLeaderYear(trx, v.toYear);
    if (!existingYear) {
      const deadline = v.deadline ?? addMonths(from.deadline, 12 * (v.toYear - v.fromYear));
      await trx.insertInto("leader_years").values({ start_year: v.toYear, deadline, created_at: at, updated_at: at }).execute();
    } else if (v.deadline && v.deadline !== existingYear.deadline) {
      await trx.updateTable("leader_years").set({ deadline: v.deadline, updated_at: at }).where("start_year", "=", v.toYear).execute();
    }
    const continuing = (eb: typeof trx) =>
      eb.selectFrom("leader_appointments as a").where("a.start_year", "=", v.fromYear).where("a.role_id", "in", v.roleIds).where("a.ended_on", "is", null);
    const candidates = Number(
      (
        await continuing(trx)
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );
    const startedOn = `${v.toYear}-08-01`;
    const result = await trx
      .insertInto("leader_appointments")
      .columns([
        "person_id",
        "start_year",
        "role_id",
        "group_name",
        "organisation_id",
        "is_president",
        "started_on",
        "ended_on",
        "end_reason",
        "created_at",
        "updated_at",
      ])
      .expression(
        continuing(trx)
          .select([
            "a.person_id",
            sql.lit(v.toYear).as("start_year"),
            "a.role_id",
            "a.group_name",
            "a.organisation_id",
            "a.is_president",
            sql.val(startedOn).as("started_on"),
            sql.lit(null).as("ended_on"),
            sql.lit(null).as("end_reason"),
            sql.val(at).as("created_at"),
            sql.val(at).as("updated_at"),
          ])
          .where(({ not, exists, selectFrom }) =>
            not(
              exists(
                selectFrom("leader_appointments as b")
                  .select("b.id")
                  .whereRef("b.person_id", "=", "a.person_id")
                  .where("b.start_year", "=", v.toYear)
                  .whereRef("b.role_id", "=", "a.role_id")
                  .whereRef("b.group_name", "=", "a.group_name"),
              ),
            ),
          ),
      )
      .executeTakeFirst();
    const copied = Number(result.numInsertedOrUpdatedRows ?? 0);
    const roles = await trx.selectFrom("leader_roles").select("name").where("id", "in", v.roleIds).orderBy("name").execute();
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: "leader.year_rolled_over",
      entityType: "leader_year",
      entityId: v.toYear,
      summary: `${actor.name} rolled ${copied} ${copied === 1 ? "leader" : "leaders"} over from ${academicYearLabel(v.fromYear)} to ${academicYearLabel(v.toYear)} (${roles.map((r) => r.name).join(", ")})`,
      detail: { ...v, copied, alreadyThere: candidates - copied },
    });
    return { copied, alreadyThere: candidates - copied };
  });
}
