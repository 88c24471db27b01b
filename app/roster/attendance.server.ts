import type { AliasedExpression, Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import type { CompletionEvidence, CountingDay, CourseRequirement } from "./requirements.ts";
import { addDays, londonDateOf, londonDayStart } from "#app/utils/dates.ts";

/**
 * Attendance that counts without anyone's say: present at a delivered session under a person's email
 * (any letter case) or student ID. Read from the registers for any roster's people, never copied.
 */

/** A person as the registers know them: email stored lower-case, student ID upper-case. */
export interface PersonToMatch {
  id: number;
  email: string;
  student_id: string | null;
}

/**
 * A roster's people (or those of them in question), as a selection of `PersonToMatch` columns from the
 * roster's own table: `db.selectFrom("leader_people as lp").select(["lp.id", "lp.email", "lp.student_id"])`.
 * Kept to one table and a filter, SQLite folds it into the statements here, which keep its indexes.
 */
export interface PeopleToMatch {
  as<A extends string>(alias: A): AliasedExpression<PersonToMatch, A>;
}

/**
 * Registrations present on a register under one of the people's emails (any letter case) or student
 * IDs, one row per person (`p`) and registration (`r`). The people are the outer loop: for each, the
 * registers' own expression indexes on lower(email) and upper(student_id) find their places, so the
 * cost follows the number of people, not of registrations. Both sides of each comparison are
 * expressions: a bare column beside an expression makes SQLite apply the column's affinity, and then
 * it cannot use an index on the expression.
 */
export function matchedRegistrations(db: Kysely<Database>, people: PeopleToMatch) {
  return db
    .selectFrom(people.as("p"))
    .innerJoin("registrations as r", (j) =>
      j.on((eb) =>
        eb.or([
          eb(eb.fn<string>("lower", ["r.email"]), "=", eb.fn<string>("lower", ["p.email"])),
          eb(eb.fn<string>("upper", ["r.student_id"]), "=", eb.fn<string>("upper", ["p.student_id"])),
        ]),
      ),
    )
    .where("r.attendance", "=", "present")
    .where("r.status", "!=", "cancelled");
}

/** Every delivered session each person attended, any course, as evidence. One statement, led by the people. */
export async function matchedAttendance(db: Kysely<Database>, people: PeopleToMatch): Promise<Map<number, CompletionEvidence[]>> {
  const rows = await matchedRegistrations(db, people)
    .innerJoin("sessions as s", "s.id", "r.session_id")
    .select(["p.id as person_id", "s.course_id", "s.starts_at", "r.id as registration_id", "s.id as session_id"])
    .where("s.status", "=", "delivered")
    .execute();
  const dayOf = new Map<string, string>();
  const byPerson = new Map<number, CompletionEvidence[]>();
  for (const r of rows) {
    let day = dayOf.get(r.starts_at);
    if (!day) dayOf.set(r.starts_at, (day = londonDateOf(r.starts_at)));
    const evidence = attendanceEvidence(r.course_id, day, r.registration_id, r.session_id);
    const list = byPerson.get(r.person_id);
    if (list) list.push(evidence);
    else byPerson.set(r.person_id, [evidence]);
  }
  return byPerson;
}

/** Present at a delivered session of a course on a London day. */
export function attendanceEvidence(courseId: number, day: string, registrationId: number, sessionId: number): CompletionEvidence {
  return { courseId, completedOn: day, source: "attendance", completionId: null, registrationId, sessionId, provider: null };
}

/**
 * Delivered sessions whose registers could count on a day: of a required course, from (a day before)
 * the first day any requirement of that course counts from, to (a day after) the day. The bounds are
 * instants, conservative by a day; the rules compare London dates exactly.
 */
export interface CountingSessions {
  sinceByCourse: ReadonlyMap<number, string>;
  untilIso: string;
}

export function countingSessions(requirements: Iterable<CourseRequirement>, day: CountingDay, courseIds?: ReadonlySet<number>): CountingSessions {
  const firstDay = new Map<number, string>();
  for (const requirement of requirements) {
    if (courseIds && !courseIds.has(requirement.courseId)) continue;
    const { from } = day.windowOf(requirement.lasts);
    const seen = firstDay.get(requirement.courseId);
    if (seen === undefined || from < seen) firstDay.set(requirement.courseId, from);
  }
  const sinceByCourse = new Map<number, string>();
  for (const [courseId, from] of firstDay) sinceByCourse.set(courseId, londonDayStart(addDays(from, -1)).toISOString());
  return { sinceByCourse, untilIso: londonDayStart(addDays(day.asOf, 2)).toISOString() };
}

/** Those sessions, as a query (its ids, or more). */
export function countingSessionsQuery(db: Kysely<Database>, { sinceByCourse, untilIso }: CountingSessions) {
  const bySince = new Map<string, number[]>();
  for (const [courseId, since] of sinceByCourse) bySince.set(since, [...(bySince.get(since) ?? []), courseId]);
  return db
    .selectFrom("sessions as ds")
    .where("ds.status", "=", "delivered")
    .where("ds.starts_at", "<", untilIso)
    .where((eb) =>
      bySince.size
        ? eb.or([...bySince].map(([since, ids]) => eb.and([eb("ds.course_id", "in", ids), eb("ds.starts_at", ">=", since)])))
        : eb("ds.course_id", "in", [-1]),
    );
}
