import { matchedAttendance } from "#app/roster/attendance.server.ts";
import type { CompletionEvidence } from "#app/roster/requirements.ts";
import { type PersonResult } from "./rules.ts";
import { evaluateYear, leaderPeople, type AppointmentRow, type LeaderYearRow } from "./facts.server.ts";
import { nearMisses, type NearMiss } from "./near-misses.server.ts";
import { academicYearLabel } from "#app/utils/dates.ts";
import type { Db } from "#db/schema.ts";

/** Everything the officer's page for one leader shows: their year, what counted and what was recorded, and their history. */

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
    matchedAttendance(db, leaderPeople(db, { personIds: [personId] })),
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
