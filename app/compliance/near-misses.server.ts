import { writeTransaction } from "#app/utils/transaction.server.ts";
import { recordAudit } from "#app/audit/audit.server.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { formatDay, londonDateOf } from "#app/utils/dates.ts";
import { isUniqueViolation } from "#db/dialect.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { cachedByRecords } from "#app/utils/record-cache.server.ts";
import { nowIso } from "#app/utils/time.ts";
import { countingSessions, countingSessionsQuery } from "#app/roster/attendance.server.ts";
import { inChunks } from "#app/roster/chunks.server.ts";
import { parseInput } from "#app/roster/input.ts";
import { normaliseName } from "#app/roster/names.ts";
import { countingDayOf, prepareYearRules, type RequirementRule } from "./rules.ts";
import {
  completionWindows,
  loadRequirementsByRole,
  readRosterYear,
  rosterAsOf,
  requireLeaderYear,
  type DeliveredSession,
  type RosterPerson,
  type RosterYear,
} from "./facts.server.ts";
import { insertCompletion } from "./records.server.ts";
import { MatchSchema, type MatchInput } from "./schemas.ts";
import type { Db } from "#db/schema.ts";

/**
 * Attendance that may be a leader's but matched neither their email nor their student ID: found by
 * name, shown to an officer, never counted until they confirm it.
 */

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
  // A whole roster's are kept against the record versions, for the day they are worked out for.
  const asOf = rosterAsOf(startYear, opts.asOf);
  return cachedByRecords(db, JSON.stringify(["near-misses", startYear, asOf]), ["leaders", "attendance", "sessions", "reference"], () =>
    findNearMisses(db, startYear, { asOf }),
  );
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
  const day = countingDayOf(startYear, asOf);
  const counting = countingSessions([...requirementsByRole.values()].flat(), day, new Set(courseIds));
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
      const { from, to } = day.windowOf(rule.lasts);
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
      // All marked present (they are the candidates): said here too, since that is all the kept figure is watched for.
      db.selectFrom("registrations").select(["id", "email", "student_id"]).where("id", "in", ids).where("attendance", "=", "present").execute(),
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
      const completionId = await insertCompletion(trx, actor, {
        person_id: personId,
        course_id: r.course_id,
        completed_on: completedOn,
        source: "confirmed_match",
        provider: null,
        evidence_note: `On the register of ${r.title ?? r.course_name} (${formatDay(r.starts_at)}) as ${r.name}${who ? ` (${who})` : ""}`,
        registration_id: registrationId,
      });
      await recordAudit(trx, {
        actorUserId: actor.id,
        action: "leader.match_confirmed",
        entityType: "leader",
        entityId: personId,
        summary: `${actor.name} confirmed that ${person.name} attended ${r.course_name} on ${formatDay(r.starts_at)} (registered as ${r.name})`,
        detail: { registrationId, completionId },
      });
      return completionId;
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
