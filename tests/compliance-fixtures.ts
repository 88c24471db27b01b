import type { Insertable, Kysely } from "kysely";
import type { Attendance, Database, LeaderCompletionsTable, LeaderExemptionsTable, RequirementValidity, SessionStatus } from "#db/schema.ts";
import { londonWallTimeToUtc } from "#app/utils/dates.ts";
import { nowIso } from "#app/utils/time.ts";
import { createCourse } from "./factories.ts";
import { insertRegistration, insertSession } from "./scheduling-fixtures.ts";

/** Student leaders written straight into the database, for tests of the rules around them. */

let seq = 0;
export const unique = () => `${Date.now()}${++seq}`;

export async function createLeaderYear(db: Kysely<Database>, startYear: number, deadline = `${startYear}-10-31`) {
  const at = nowIso();
  await db
    .insertInto("leader_years")
    .values({ start_year: startYear, deadline, created_at: at, updated_at: at })
    .onConflict((oc) => oc.column("start_year").doUpdateSet({ deadline }))
    .execute();
}

export async function createLeaderRole(
  db: Kysely<Database>,
  requirements: { courseId: number; validity?: RequirementValidity; months?: number }[],
  name = `Role ${unique()}`,
) {
  const at = nowIso();
  const { id } = await db
    .insertInto("leader_roles")
    .values({ name, description: null, created_at: at, updated_at: at })
    .returning("id")
    .executeTakeFirstOrThrow();
  if (requirements.length) {
    await db
      .insertInto("leader_role_requirements")
      .values(
        requirements.map((r) => ({
          role_id: id,
          course_id: r.courseId,
          validity: r.validity ?? "academic_year",
          validity_months: (r.validity ?? "academic_year") === "months" ? (r.months ?? 24) : null,
        })),
      )
      .execute();
  }
  return id;
}

export interface TestLeader {
  personId: number;
  appointmentId: number;
  name: string;
  email: string;
  studentId: string | null;
}

export async function createLeader(
  db: Kysely<Database>,
  opts: {
    roleId: number;
    startYear: number;
    name?: string;
    email?: string;
    studentId?: string | null;
    groupName?: string;
    isPresident?: boolean;
    startedOn?: string;
    endedOn?: string | null;
    personId?: number;
  },
): Promise<TestLeader> {
  const at = nowIso();
  const id = unique();
  let personId = opts.personId;
  let name = opts.name ?? `Leader ${id}`;
  let email = (opts.email ?? `leader-${id}@students.example.ac.uk`).toLowerCase();
  let studentId = opts.studentId === undefined ? null : opts.studentId;
  if (personId) {
    const p = await db.selectFrom("leader_people").selectAll().where("id", "=", personId).executeTakeFirstOrThrow();
    ({ name, email } = p);
    studentId = p.student_id;
  } else {
    personId = (
      await db
        .insertInto("leader_people")
        .values({ name, email, student_id: studentId, created_at: at, updated_at: at })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
  }
  const { id: appointmentId } = await db
    .insertInto("leader_appointments")
    .values({
      person_id: personId,
      start_year: opts.startYear,
      role_id: opts.roleId,
      group_name: opts.groupName ?? "",
      organisation_id: null,
      is_president: opts.isPresident ? 1 : 0,
      started_on: opts.startedOn ?? `${opts.startYear}-08-01`,
      ended_on: opts.endedOn ?? null,
      end_reason: opts.endedOn ? "Stepped down" : null,
      created_at: at,
      updated_at: at,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return { personId, appointmentId, name, email, studentId };
}

/** An open session on a London date, at 18:00 unless told otherwise (delivered unless told otherwise), with its trainers on it. */
export async function leaderSession(
  db: Kysely<Database>,
  courseId: number,
  date: string,
  opts: {
    status?: SessionStatus;
    capacity?: number;
    title?: string;
    signupDeadline?: string | null;
    policy?: "anyone" | "list" | "domain";
    domain?: string;
    trainerIds?: number[];
    /** London wall-clock start. */
    time?: string;
  } = {},
) {
  const id = await insertSession(db, {
    courseId,
    startsAt: londonWallTimeToUtc(date, opts.time ?? "18:00"),
    status: opts.status ?? "delivered",
    trainerIds: opts.trainerIds,
  });
  await db
    .updateTable("sessions")
    .set({
      kind: "open",
      title: opts.title ?? "Leader induction",
      capacity: opts.capacity ?? 30,
      signup_deadline: opts.signupDeadline ?? null,
      signup_policy: opts.policy ?? "anyone",
      signup_domain: opts.domain ?? null,
    })
    .where("id", "=", id)
    .execute();
  return id;
}

export async function attend(
  db: Kysely<Database>,
  sessionId: number,
  who: { name: string; email: string | null; studentId?: string | null },
  opts: { attendance?: Attendance; status?: "registered" | "waiting" | "cancelled" } = {},
) {
  return insertRegistration(db, sessionId, {
    name: who.name,
    email: who.email,
    student_id: who.studentId ?? null,
    status: opts.status ?? "registered",
    attendance: opts.attendance ?? "present",
    attendance_marked_at: nowIso(),
  });
}

/** A record as an officer's form leaves it: recorded now, by no one in particular, not withdrawn. */
const standingRecord = () => ({ recorded_by: null, created_at: nowIso(), withdrawn_at: null, withdrawn_by: null, withdraw_reason: null });

/** Training done elsewhere, written directly (no audit entry): recorded by no one unless told otherwise. */
export async function insertCompletion(
  db: Kysely<Database>,
  values: Pick<Insertable<LeaderCompletionsTable>, "person_id" | "course_id" | "completed_on"> & Partial<Insertable<LeaderCompletionsTable>>,
) {
  const row = await db
    .insertInto("leader_completions")
    .values({
      source: "external",
      provider: "Elsewhere",
      evidence_note: null,
      registration_id: null,
      ...standingRecord(),
      ...values,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** An exemption, from every course unless told otherwise, written directly (no audit entry). */
export async function insertExemption(
  db: Kysely<Database>,
  values: Pick<Insertable<LeaderExemptionsTable>, "person_id" | "start_year" | "reason" | "granted_by"> & Partial<Insertable<LeaderExemptionsTable>>,
) {
  const row = await db
    .insertInto("leader_exemptions")
    .values({
      course_id: null,
      ...standingRecord(),
      ...values,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Courses for one test file, with unique names. */
export async function leaderCourses(db: Kysely<Database>) {
  const id = unique();
  return {
    bystander: await createCourse(db, { name: `Active Bystander ${id}` }),
    disclosures: await createCourse(db, { name: `Handling Disclosures ${id}` }),
    consent: await createCourse(db, { name: `Consent ${id}` }),
  };
}
