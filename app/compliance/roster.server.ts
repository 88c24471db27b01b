import type { z } from "zod";
import { cachedByRecords } from "#app/utils/record-cache.server.ts";
import type { CompletionEvidence } from "#app/roster/requirements.ts";
import { percentOf } from "#app/roster/status.ts";
import { prepareYearRules, STATUS_SEVERITY, type LeaderStatus, type PersonResult, type RequirementResult } from "./rules.ts";
import {
  completionWindows,
  evaluatePerson,
  evidenceOf,
  readRosterYear,
  rosterAsOf,
  type AppointmentRow,
  type LeaderYearRow,
  type RosterPerson,
  type RosterYear,
} from "./facts.server.ts";
import { ComplianceFilterSchema, type ComplianceFilter, type ComplianceSort } from "./schemas.ts";
import { academicYearLabel } from "#app/utils/dates.ts";
import { compareText } from "#app/utils/text-order.ts";
import type { Db } from "#db/schema.ts";

/**
 * A year's roster as the officer's lists see it: every appointment's status, the counts overall, by
 * role and by group, and the rows a page shows, filtered, sorted and paged in memory over a roster
 * evaluated once for each version of its records and day.
 */

/** An appointment (and its person) as a row of the dashboard. */
export interface ComplianceRow extends Omit<AppointmentRow, "id" | "startYear"> {
  appointmentId: number;
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
  c.percentCompliant = percentOf(c.compliant, c.total - c.ended);
  return c;
}

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
 * need, whatever their filters: read and evaluated once, then kept against the record versions (any
 * write to what it reads starts again) for the day it is worked out for. Nine statements.
 */
function evaluatedRoster(db: Db, startYear: number, asOfGiven?: Date | string): Promise<EvaluatedRoster> {
  const asOf = rosterAsOf(startYear, asOfGiven);
  return cachedByRecords(db, JSON.stringify(["compliance-roster", startYear, asOf]), ["leaders", "attendance", "sessions", "reference"], async () => {
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
 * version of its records and day (`evaluatedRoster`); a request filters, counts and pages that in memory, and
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
