import { beforeAll, describe, expect, it } from "vitest";
import type { Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import { getDb } from "#app/db.server.ts";
import { academicYearDates, academicYearLabel, addDays, addMonths, londonDateOf, londonWallTimeToUtc } from "#app/utils/dates.ts";
import { createCourse } from "#tests/factories.ts";
import { insertRegistration, pinClock } from "#tests/scheduling-fixtures.ts";
import { complianceForYear, type ComplianceReport, type ComplianceRow, type StatusCounts } from "./roster.server.ts";
import { leaderDetail } from "./leader-detail.server.ts";
import { nearMisses, type NearMiss } from "./near-misses.server.ts";
import { normaliseName } from "#app/roster/names.ts";
import { countingWindow, type CompletionEvidence } from "#app/roster/requirements.ts";
import { evaluateYear } from "./facts.server.ts";
import { evaluateLeader, requirementRule, STATUS_SEVERITY, type ExemptionFacts, type LeaderStatus, type PersonResult, type RequirementRule } from "./rules.ts";
import { ComplianceFilterSchema, type ComplianceFilter } from "./schemas.ts";

/**
 * The dashboard reads only what can count and works out full detail only for the rows it shows. Here
 * a random roster is evaluated the plain way (every table read whole, attendance matched in memory,
 * every leader evaluated in full, rows built, counted, sorted and sliced) and the answers compared.
 */

const YEAR = 2061;
const NOW = `${YEAR}-11-20T12:00:00Z`;
/** The days the roster is looked at from: before the deadline, after it, next term, after the year. */
const DAYS = [`${YEAR}-08-20`, `${YEAR}-10-20`, `${YEAR}-11-20`, `${YEAR + 1}-03-01`, `${YEAR + 2}-01-10`];

/** A small seeded generator, so a failure can be replayed. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return { next, int, pick: <T>(xs: readonly T[]) => xs[int(xs.length)]!, chance: (p: number) => next() < p };
}

const day = (from: string, days: number) => addDays(from, days);

async function buildRoster(db: Kysely<Database>, seed: number) {
  const rnd = random(seed);
  const at = new Date().toISOString();
  const courses = [];
  for (let i = 0; i < 4; i++) courses.push(await createCourse(db, { name: `Course ${seed}-${i}` }));
  await db
    .insertInto("leader_years")
    .values([
      { start_year: YEAR, deadline: `${YEAR}-10-31`, created_at: at, updated_at: at },
      { start_year: YEAR + 1, deadline: `${YEAR + 1}-10-15`, created_at: at, updated_at: at },
    ])
    .onConflict((oc) => oc.doNothing())
    .execute();

  const roles: number[] = [];
  for (let i = 0; i < 6; i++) {
    const { id } = await db
      .insertInto("leader_roles")
      .values({ name: `Role ${seed}-${i}`, description: null, created_at: at, updated_at: at })
      .returning("id")
      .executeTakeFirstOrThrow();
    roles.push(id);
    const required = courses.filter(() => rnd.chance(0.3));
    for (const courseId of required) {
      const months = rnd.chance(0.5) ? null : rnd.pick([1, 6, 12, 24]);
      await db
        .insertInto("leader_role_requirements")
        .values({ role_id: id, course_id: courseId, validity: months === null ? "academic_year" : "months", validity_months: months })
        .execute();
    }
  }

  // Names repeat, with the variants a register sees: case, accents, punctuation.
  const names = ["Sam O'Neil", "Zoë Smith", "Amira Hussain", "Ben Carter", "Chen Wei", "Dara Kelly", "Femi Adeyemi", "Grace Kim"];
  const variant = (name: string) => rnd.pick([name, name.toUpperCase(), name.normalize("NFD").replace(/\p{M}/gu, ""), name.replace("'", ""), ` ${name}  `]);
  const groups = ["", "Rugby Club", "rugby club", "Netball", "Hall Reps", "Société Française"];
  const people: { id: number; name: string; email: string; studentId: string | null }[] = [];
  for (let i = 0; i < 140; i++) {
    const name = rnd.chance(0.5) ? rnd.pick(names) : `${rnd.pick(names)} ${i}`;
    const email = `p${seed}-${i}@students.example.ac.uk`;
    const studentId = rnd.chance(0.6) ? `S${seed}${i}` : null;
    const { id } = await db
      .insertInto("leader_people")
      .values({ name, email, student_id: studentId, created_at: at, updated_at: at })
      .returning("id")
      .executeTakeFirstOrThrow();
    people.push({ id, name, email, studentId });
  }
  for (const p of people) {
    // Most on this year's roster, some only on next year's.
    const year = rnd.chance(0.85) ? YEAR : YEAR + 1;
    const taken = new Set<string>();
    for (let k = 0, n = 1 + rnd.int(3); k < n; k++) {
      const role = rnd.pick(roles);
      const group = rnd.pick(groups);
      if (taken.has(`${role}|${group}`)) continue;
      taken.add(`${role}|${group}`);
      const startedOn = rnd.chance(0.7) ? `${year}-08-01` : day(`${year}-08-01`, rnd.int(300));
      const endedOn = rnd.chance(0.15) ? day(startedOn, rnd.int(200)) : null;
      await db
        .insertInto("leader_appointments")
        .values({
          person_id: p.id,
          start_year: year,
          role_id: role,
          group_name: group,
          organisation_id: rnd.chance(0.2) ? null : null,
          is_president: rnd.chance(0.2) ? 1 : 0,
          started_on: startedOn,
          ended_on: endedOn,
          end_reason: endedOn ? "Stepped down" : null,
          created_at: at,
          updated_at: at,
        })
        .execute();
    }
  }

  // Sessions over two years, at times either side of London midnight, not all delivered; and on the
  // first and last days that count for each day the tests look from.
  const edges = [`${YEAR}-07-31`, `${YEAR}-08-01`, `${YEAR + 1}-07-31`, `${YEAR + 1}-08-01`];
  for (const asOf of DAYS) edges.push(asOf, day(asOf, 1), ...[1, 6, 12, 24].flatMap((months) => [addMonths(asOf, -months), day(addMonths(asOf, -months), -1)]));
  const registrationIds: number[] = [];
  for (let i = 0; i < 80 + edges.length * 2; i++) {
    // Most this autumn, the rest over two years.
    const date = i >= 80 ? edges[(i - 80) >> 1]! : rnd.chance(0.6) ? day(`${YEAR}-07-25`, rnd.int(190)) : day(`${YEAR - 1}-06-01`, rnd.int(700));
    const startsAt = londonWallTimeToUtc(date, i >= 80 ? (i % 2 ? "00:30" : "23:30") : rnd.pick(["00:30", "09:00", "18:00", "23:30"]));
    const status =
      i >= 80 ? "delivered" : rnd.pick(["delivered", "delivered", "delivered", "delivered", "delivered", "delivered", "scheduled", "cancelled"] as const);
    const { id: sessionId } = await db
      .insertInto("sessions")
      .values({
        course_id: rnd.pick(courses),
        starts_at: startsAt.toISOString(),
        ends_at: new Date(startsAt.getTime() + 90 * 60_000).toISOString(),
        duration_minutes: 90,
        address: "Students' Union",
        capacity: 100,
        status,
        ical_uid: `agreement-${seed}-${i}@neverok.example`,
        created_at: at,
        updated_at: at,
        kind: "open",
        title: rnd.chance(0.5) ? "Leader induction" : null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const live = new Set<string>();
    for (let k = 0, n = rnd.int(30); k < n; k++) {
      const p = rnd.pick(people);
      // By email, in another case, by student ID (with another email or none), under the name only, or someone else.
      const how = rnd.pick([0, 0, 0, 1, 1, 2, 2, 3, 4, 4, 5]);
      const email =
        how === 0
          ? p.email
          : how === 1
            ? p.email.toUpperCase()
            : how === 2
              ? `personal.${rnd.int(1000)}@gmail.example`
              : how === 3
                ? null
                : `someone${rnd.int(50)}@gmail.example`;
      const studentId = (how === 2 || how === 3) && p.studentId && rnd.chance(0.8) ? p.studentId.toLowerCase() : how === 5 ? `T${rnd.int(20)}` : null;
      const name = how === 4 && rnd.chance(0.5) ? `Stranger ${rnd.int(9)}` : variant(p.name);
      const regStatus = rnd.pick(["registered", "registered", "registered", "registered", "registered", "waiting", "cancelled"] as const);
      if (regStatus !== "cancelled" && email !== null) {
        if (live.has(email)) continue;
        live.add(email);
      }
      const id = await insertRegistration(db, sessionId, {
        name,
        email,
        student_id: studentId,
        status: regStatus,
        attendance: rnd.pick(["present", "present", "present", "present", "present", "absent", "unknown"] as const),
        created_at: at,
        attendance_marked_at: at,
      });
      registrationIds.push(id);
    }
  }

  for (const p of people) {
    if (rnd.chance(0.25)) {
      const withdrawn = rnd.chance(0.3);
      const matched = rnd.chance(0.3) && registrationIds.length ? rnd.pick(registrationIds) : null;
      await db
        .insertInto("leader_completions")
        .values({
          person_id: p.id,
          course_id: rnd.pick(courses),
          completed_on: day(`${YEAR - 1}-09-01`, rnd.int(500)),
          source: matched ? "confirmed_match" : "external",
          provider: matched ? null : "Elsewhere",
          evidence_note: null,
          registration_id: matched,
          recorded_by: null,
          created_at: at,
          withdrawn_at: withdrawn ? at : null,
          withdrawn_by: null,
          withdraw_reason: withdrawn ? "Mistake" : null,
        })
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
    if (rnd.chance(0.1)) {
      const withdrawn = rnd.chance(0.3);
      await db
        .insertInto("leader_exemptions")
        .values({
          person_id: p.id,
          course_id: rnd.chance(0.5) ? null : rnd.pick(courses),
          start_year: rnd.chance(0.8) ? YEAR : YEAR + 1,
          reason: "Trains others",
          granted_by: "VP Welfare",
          recorded_by: null,
          created_at: at,
          withdrawn_at: withdrawn ? at : null,
          withdrawn_by: null,
          withdraw_reason: withdrawn ? "Granted in error" : null,
        })
        .execute();
    }
    if (rnd.chance(0.2)) {
      await db
        .insertInto("leader_reminders")
        .values({ person_id: p.id, start_year: YEAR, sent_at: `${YEAR}-11-0${1 + rnd.int(9)}T10:00:00.000Z`, sent_by: null, email_message_id: null })
        .execute();
    }
    if (rnd.chance(0.05) && registrationIds.length) {
      await db
        .insertInto("leader_match_dismissals")
        .values({ person_id: p.id, registration_id: rnd.pick(registrationIds), dismissed_by: null, dismissed_at: at })
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
  }
}

// ---- The plain way ------------------------------------------------------------------------------

interface PlainLeader {
  personId: number;
  name: string;
  email: string;
  studentId: string | null;
  appointments: Awaited<ReturnType<typeof readAll>>["appointments"];
  result: PersonResult;
}

async function readAll(db: Kysely<Database>, startYear: number) {
  const [year, roles, requirements, appointments, people, sessions, registrations, completions, exemptions, reminders, dismissals] = await Promise.all([
    db.selectFrom("leader_years").selectAll().where("start_year", "=", startYear).executeTakeFirstOrThrow(),
    db.selectFrom("leader_roles").selectAll().execute(),
    db.selectFrom("leader_role_requirements as q").innerJoin("courses as c", "c.id", "q.course_id").selectAll("q").select("c.name as course_name").execute(),
    db.selectFrom("leader_appointments").selectAll().where("start_year", "=", startYear).orderBy("role_id").orderBy("id").execute(),
    db.selectFrom("leader_people").selectAll().execute(),
    db.selectFrom("sessions").selectAll().execute(),
    db.selectFrom("registrations").selectAll().orderBy("id").execute(),
    db.selectFrom("leader_completions").selectAll().orderBy("id").execute(),
    db.selectFrom("leader_exemptions").selectAll().orderBy("id").execute(),
    db.selectFrom("leader_reminders").selectAll().execute(),
    db.selectFrom("leader_match_dismissals").selectAll().execute(),
  ]);
  return { year, roles, requirements, appointments, people, sessions, registrations, completions, exemptions, reminders, dismissals };
}

async function plainYear(db: Kysely<Database>, startYear: number, asOf: string) {
  const all = await readAll(db, startYear);
  const requirementsByRole = new Map<number, RequirementRule[]>();
  for (const q of [...all.requirements].sort((a, b) => (a.course_name < b.course_name ? -1 : a.course_name > b.course_name ? 1 : a.course_id - b.course_id))) {
    const list = requirementsByRole.get(q.role_id) ?? [];
    list.push(
      requirementRule({ roleId: q.role_id, courseId: q.course_id, courseName: q.course_name, validity: q.validity, validityMonths: q.validity_months }),
    );
    requirementsByRole.set(q.role_id, list);
  }
  const sessionById = new Map(all.sessions.map((s) => [s.id, s]));
  const peopleById = new Map(all.people.map((p) => [p.id, p]));
  const leaders = new Map<number, PlainLeader>();
  for (const a of all.appointments) {
    const p = peopleById.get(a.person_id)!;
    let leader = leaders.get(p.id);
    if (!leader) leaders.set(p.id, (leader = { personId: p.id, name: p.name, email: p.email, studentId: p.student_id, appointments: [], result: null! }));
    leader.appointments.push(a);
  }
  for (const leader of leaders.values()) {
    const attended = all.registrations
      .filter((r) => {
        const s = sessionById.get(r.session_id)!;
        const byEmail = r.email !== null && r.email.toLowerCase() === leader.email;
        const byId = r.student_id !== null && leader.studentId !== null && r.student_id.toUpperCase() === leader.studentId;
        return s.status === "delivered" && r.attendance === "present" && r.status !== "cancelled" && (byEmail || byId);
      })
      .sort((a, b) => {
        const x = sessionById.get(a.session_id)!.starts_at;
        const y = sessionById.get(b.session_id)!.starts_at;
        return x < y ? -1 : x > y ? 1 : a.id - b.id;
      })
      .map((r): CompletionEvidence => ({
        courseId: sessionById.get(r.session_id)!.course_id,
        completedOn: londonDateOf(sessionById.get(r.session_id)!.starts_at),
        source: "attendance",
        completionId: null,
        registrationId: r.id,
        sessionId: r.session_id,
        provider: null,
      }));
    const recorded = all.completions
      .filter((c) => c.person_id === leader.personId && c.withdrawn_at === null)
      .map((c): CompletionEvidence => ({
        courseId: c.course_id,
        completedOn: c.completed_on,
        source: c.source,
        completionId: c.id,
        registrationId: c.registration_id,
        sessionId: null,
        provider: c.provider,
      }));
    const exemptions = all.exemptions
      .filter((e) => e.person_id === leader.personId && e.start_year === startYear && e.withdrawn_at === null)
      .map((e): ExemptionFacts => ({ id: e.id, courseId: e.course_id, startYear: e.start_year, reason: e.reason, grantedBy: e.granted_by }));
    leader.result = evaluateLeader({
      startYear,
      deadline: all.year.deadline,
      asOf,
      appointments: leader.appointments.map((a) => ({ id: a.id, roleId: a.role_id, startedOn: a.started_on, endedOn: a.ended_on })),
      requirementsByRole,
      completions: [...attended, ...recorded],
      exemptions,
    });
  }
  return { all, requirementsByRole, leaders };
}

const compareText = new Intl.Collator("en-GB", { sensitivity: "base" }).compare;

/** The dashboard as it was first written: every row built, then counted, filtered, sorted and sliced. */
function plainReport(
  { all, leaders }: Awaited<ReturnType<typeof plainYear>>,
  startYear: number,
  asOf: string,
  opts: { filters?: ComplianceFilter; limit?: number; offset?: number },
): ComplianceReport {
  const filters = ComplianceFilterSchema.parse(opts.filters ?? {});
  const roleName = new Map(all.roles.map((r) => [r.id, r.name]));
  const lastReminded = new Map<number, string>();
  for (const r of all.reminders) if ((lastReminded.get(r.person_id) ?? "") < r.sent_at) lastReminded.set(r.person_id, r.sent_at);
  const search = filters.search?.toLowerCase();
  const rows: ComplianceRow[] = [];
  for (const leader of leaders.values()) {
    for (const a of leader.appointments) {
      if (filters.role && a.role_id !== filters.role) continue;
      if (filters.group && a.group_name !== filters.group) continue;
      if (
        search &&
        !leader.name.toLowerCase().includes(search) &&
        !leader.email.includes(search) &&
        !(leader.studentId ?? "").toLowerCase().includes(search) &&
        !a.group_name.toLowerCase().includes(search)
      )
        continue;
      const result = leader.result.appointments.find((r) => r.appointmentId === a.id)!;
      rows.push({
        appointmentId: a.id,
        personId: leader.personId,
        name: leader.name,
        email: leader.email,
        studentId: leader.studentId,
        roleId: a.role_id,
        roleName: roleName.get(a.role_id)!,
        groupName: a.group_name,
        organisationId: a.organisation_id,
        isPresident: a.is_president === 1,
        startedOn: a.started_on,
        endedOn: a.ended_on,
        endReason: a.end_reason,
        status: result.status,
        dueOn: result.dueOn,
        personStatus: leader.result.status,
        requirements: result.requirements,
        missing: result.requirements.filter((r) => r.state === "missing").map((r) => r.courseName),
        lastRemindedAt: lastReminded.get(leader.personId) ?? null,
      });
    }
  }
  const empty = (): StatusCounts => ({ total: 0, compliant: 0, due: 0, due_soon: 0, overdue: 0, ended: 0, percentCompliant: null });
  const count = (c: StatusCounts, s: LeaderStatus) => {
    c.total++;
    c[s]++;
  };
  const finish = <T extends StatusCounts>(c: T): T => {
    const live = c.total - c.ended;
    c.percentCompliant = live ? Math.round((c.compliant / live) * 1000) / 10 : null;
    return c;
  };
  const overall = empty();
  const seen = new Set<number>();
  const byRole = new Map<number, StatusCounts & { roleId: number; roleName: string }>();
  const byGroup = new Map<string, StatusCounts & { groupName: string; organisationId: number | null }>();
  for (const row of rows) {
    if (!seen.has(row.personId)) {
      seen.add(row.personId);
      count(overall, row.personStatus);
    }
    let role = byRole.get(row.roleId);
    if (!role) byRole.set(row.roleId, (role = { ...empty(), roleId: row.roleId, roleName: row.roleName }));
    count(role, row.status);
    let group = byGroup.get(row.groupName);
    if (!group) byGroup.set(row.groupName, (group = { ...empty(), groupName: row.groupName, organisationId: row.organisationId }));
    group.organisationId ??= row.organisationId;
    count(group, row.status);
  }
  const shown = filters.status ? rows.filter((r) => r.status === filters.status) : rows;
  const byName = (a: ComplianceRow, b: ComplianceRow) => compareText(a.name, b.name) || a.appointmentId - b.appointmentId;
  const byStatus = (a: ComplianceRow, b: ComplianceRow) => STATUS_SEVERITY[a.status] - STATUS_SEVERITY[b.status];
  const byDue = (a: ComplianceRow, b: ComplianceRow) => (a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : 0);
  const order = {
    status: (a: ComplianceRow, b: ComplianceRow) => byStatus(a, b) || byDue(a, b) || byName(a, b),
    name: byName,
    role: (a: ComplianceRow, b: ComplianceRow) => compareText(a.roleName, b.roleName) || compareText(a.groupName, b.groupName) || byName(a, b),
    group: (a: ComplianceRow, b: ComplianceRow) => compareText(a.groupName, b.groupName) || compareText(a.roleName, b.roleName) || byName(a, b),
    due: (a: ComplianceRow, b: ComplianceRow) => byDue(a, b) || byStatus(a, b) || byName(a, b),
  }[filters.sort];
  shown.sort(order);
  const offset = opts.offset ?? 0;
  return {
    year: { startYear, deadline: all.year.deadline, label: academicYearLabel(startYear) },
    asOf,
    rows: opts.limit === undefined ? shown.slice(offset) : shown.slice(offset, offset + opts.limit),
    total: shown.length,
    summary: {
      overall: finish(overall),
      byRole: [...byRole.values()].map(finish).sort((a, b) => compareText(a.roleName, b.roleName)),
      byGroup: [...byGroup.values()].map(finish).sort((a, b) => compareText(a.groupName, b.groupName)),
    },
  };
}

/** Near-misses the plain way: every present registration at a delivered session, against every leader still missing its course. */
async function plainNearMisses(db: Kysely<Database>, startYear: number, asOf: string): Promise<NearMiss[]> {
  const { all, requirementsByRole, leaders } = await plainYear(db, startYear, asOf);
  const emails = new Set(all.people.map((p) => p.email));
  const studentIds = new Set(all.people.flatMap((p) => (p.student_id ? [p.student_id] : [])));
  const settled = new Set([
    ...all.dismissals.map((d) => `${d.person_id}:${d.registration_id}`),
    ...all.completions.filter((c) => c.registration_id !== null && c.withdrawn_at === null).map((c) => `${c.person_id}:${c.registration_id}`),
  ]);
  const courseName = new Map(all.requirements.map((q) => [q.course_id, q.course_name]));
  const sessionById = new Map(all.sessions.map((s) => [s.id, s]));
  const out: NearMiss[] = [];
  for (const r of all.registrations) {
    const s = sessionById.get(r.session_id)!;
    if (s.status !== "delivered" || r.attendance !== "present" || r.status === "cancelled") continue;
    if ((r.email !== null && emails.has(r.email.toLowerCase())) || (r.student_id !== null && studentIds.has(r.student_id.toUpperCase()))) continue;
    for (const leader of leaders.values()) {
      if (normaliseName(leader.name) !== normaliseName(r.name) || settled.has(`${leader.personId}:${r.id}`)) continue;
      const missing = leader.result.appointments.some((a) => a.requirements.some((q) => q.courseId === s.course_id && q.state === "missing"));
      if (!missing) continue;
      // The window of the last appointment that misses it, as the dashboard keeps one rule per course.
      let rule: RequirementRule | undefined;
      for (const a of leader.appointments) {
        const result = leader.result.appointments.find((x) => x.appointmentId === a.id)!;
        if (result.requirements.some((q) => q.courseId === s.course_id && q.state === "missing"))
          rule = requirementsByRole.get(a.role_id)!.find((q) => q.courseId === s.course_id);
      }
      const { from, to } = countingWindow(rule!.lasts, asOf, academicYearDates(startYear));
      const attendedOn = londonDateOf(s.starts_at);
      if (attendedOn < from || attendedOn > to) continue;
      out.push({
        personId: leader.personId,
        personName: leader.name,
        personEmail: leader.email,
        personStudentId: leader.studentId,
        registrationId: r.id,
        registeredName: r.name,
        registeredEmail: r.email,
        registeredStudentId: r.student_id,
        sessionId: s.id,
        sessionTitle: s.title ?? courseName.get(s.course_id)!,
        courseId: s.course_id,
        courseName: courseName.get(s.course_id)!,
        attendedOn,
      });
    }
  }
  return out;
}

const byPair = (a: NearMiss, b: NearMiss) => a.registrationId - b.registrationId || a.personId - b.personId;

let db: Kysely<Database>;
beforeAll(async () => {
  db = getDb();
  pinClock(NOW);
  await buildRoster(db, 20261121);
}, 60_000);

describe("the dashboard agrees with the rules applied one leader at a time", { timeout: 60_000 }, () => {
  const days = DAYS;

  it.each(days)("on %s: rows, counts, statuses and what met each requirement", async (asOf) => {
    pinClock(NOW);
    const fast = await complianceForYear(db, YEAR, { asOf });
    expect(fast.total).toBeGreaterThan(100);
    expect(fast).toEqual(plainReport(await plainYear(db, YEAR, asOf), YEAR, asOf, {}));
  });

  it("under every filter, order and page", async () => {
    pinClock(NOW);
    const asOf = `${YEAR}-11-20`;
    const plain = await plainYear(db, YEAR, asOf);
    const someRole = plain.all.appointments[0]!.role_id;
    const cases: { filters?: ComplianceFilter; limit?: number; offset?: number }[] = [
      { limit: 10 },
      { limit: 10, offset: 25 },
      { limit: 1000 },
      { offset: 5 },
      { limit: 0 },
      { filters: { status: "overdue" }, limit: 15 },
      { filters: { status: "compliant" } },
      { filters: { status: "ended" } },
      { filters: { status: "due" } },
      { filters: { sort: "name" }, limit: 20, offset: 3 },
      { filters: { sort: "role" }, limit: 20 },
      { filters: { sort: "group" }, limit: 40, offset: 40 },
      { filters: { sort: "due" }, limit: 7 },
      { filters: { role: someRole }, limit: 12 },
      { filters: { group: "Rugby Club" } },
      { filters: { group: "" }, limit: 5 },
      { filters: { search: "zoë" } },
      { filters: { search: "O'NEIL", sort: "name" }, limit: 9 },
      { filters: { search: "@students", sort: "group" }, limit: 9 },
      { filters: { search: "s2026" } },
      { filters: { search: "rugby", status: "overdue", sort: "due" } },
    ];
    for (const c of cases) {
      const fast = await complianceForYear(db, YEAR, { asOf, ...c });
      expect(fast, JSON.stringify(c)).toEqual(plainReport(plain, YEAR, asOf, c));
    }
  });

  it("without a date, today (or a year that is over, its last day)", async () => {
    pinClock(NOW);
    expect(await complianceForYear(db, YEAR, { limit: 30 })).toEqual(
      plainReport(await plainYear(db, YEAR, `${YEAR}-11-20`), YEAR, `${YEAR}-11-20`, { limit: 30 }),
    );
    pinClock(`${YEAR + 2}-02-01T12:00:00Z`);
    expect(await complianceForYear(db, YEAR, { limit: 30 })).toEqual(
      plainReport(await plainYear(db, YEAR, `${YEAR + 1}-07-31`), YEAR, `${YEAR + 1}-07-31`, { limit: 30 }),
    );
    pinClock(NOW);
  });

  it.each(days)("on %s: near-misses", async (asOf) => {
    pinClock(NOW);
    const fast = await nearMisses(db, YEAR, { asOf });
    expect([...fast].sort(byPair)).toEqual((await plainNearMisses(db, YEAR, asOf)).sort(byPair));
    // Most recent first.
    const starts = fast.map((m) => m.attendedOn);
    expect(starts).toEqual([...starts].sort().reverse());
  });

  it("a leader's own page and the whole-year evaluation say the same as the dashboard", async () => {
    pinClock(NOW);
    const asOf = `${YEAR}-11-20`;
    const { leaders } = await plainYear(db, YEAR, asOf);
    const evaluated = await evaluateYear(db, YEAR, { asOf });
    expect(evaluated.people.size).toBe(leaders.size);
    for (const leader of leaders.values()) expect(evaluated.people.get(leader.personId)!.result).toEqual(leader.result);
    const misses = await plainNearMisses(db, YEAR, asOf);
    for (const leader of [...leaders.values()].slice(0, 25)) {
      const detail = (await leaderDetail(db, leader.personId, YEAR, { asOf }))!;
      expect(detail.result).toEqual(leader.result);
      expect(detail.appointments.map((a) => a.id)).toEqual(leader.appointments.map((a) => a.id));
      expect([...detail.nearMisses].sort(byPair)).toEqual(misses.filter((m) => m.personId === leader.personId).sort(byPair));
    }
  });
});
