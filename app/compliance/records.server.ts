import type { Insertable } from "kysely";
import { Db, type LeaderCompletionsTable } from "#db/schema.ts";
import { writeTransaction } from "#app/utils/transaction.server.ts";
import { recordAudit } from "#app/audit/audit.server.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { academicYearLabel, formatDay, londonToday } from "#app/utils/dates.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { nowIso } from "#app/utils/time.ts";
import { parseInput } from "#app/roster/input.ts";
import { requireLeaderYear } from "./facts.server.ts";
import {
  EndAppointmentSchema,
  ExemptionSchema,
  ExternalCompletionSchema,
  WithdrawSchema,
  type EndAppointmentInput,
  type ExemptionInput,
  type ExternalCompletionInput,
  type WithdrawInput,
} from "./schemas.ts";

/**
 * What an officer records about a leader's training: training done elsewhere, an exemption, either
 * withdrawn when entered by mistake, and a role that ends mid-year. Each is audited and kept.
 */

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

/** A completion an officer records (training done elsewhere, or a near-miss they confirmed), recorded by them now. */
export async function insertCompletion(
  trx: Db,
  actor: SessionUser,
  completion: Pick<
    Insertable<LeaderCompletionsTable>,
    "person_id" | "course_id" | "completed_on" | "source" | "provider" | "evidence_note" | "registration_id"
  >,
): Promise<number> {
  const row = await trx
    .insertInto("leader_completions")
    .values({ ...completion, recorded_by: actor.id, created_at: nowIso(), withdrawn_at: null, withdrawn_by: null, withdraw_reason: null })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Training done elsewhere (another university, a club's governing body…), with its date and evidence. */
export async function recordExternalCompletion(db: Db, actor: SessionUser, input: ExternalCompletionInput): Promise<number> {
  const v = parseInput(ExternalCompletionSchema, input);
  if (v.completedOn > londonToday()) throw new RuleViolation("completedOn", "The date cannot be in the future");
  if (v.completedOn < "2000-01-01") throw new RuleViolation("completedOn", "Enter a date from 2000");
  return writeTransaction(db, async (trx) => {
    const name = await personName(trx, v.personId);
    const course = await courseName(trx, v.courseId);
    const completionId = await insertCompletion(trx, actor, {
      person_id: v.personId,
      course_id: v.courseId,
      completed_on: v.completedOn,
      source: "external",
      provider: v.provider,
      evidence_note: v.evidenceNote,
      registration_id: null,
    });
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: "leader.completion_recorded",
      entityType: "leader",
      entityId: v.personId,
      summary: `${actor.name} recorded ${course} for ${name}, done on ${formatDay(v.completedOn)} with ${v.provider}`,
      detail: { completionId, ...v },
    });
    return completionId;
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

/**
 * A record an officer can withdraw: which table holds it, how it reads in the audit log, and what to
 * say when it is gone or already withdrawn.
 */
interface Withdrawable {
  table: "leader_completions" | "leader_exemptions";
  /** The record, if it exists and is this person's: whether it is withdrawn, and what it was ("Consent on 1 Oct 2026 for Sam Lee"). */
  find(trx: Db, id: number, personId: number): Promise<{ withdrawnAt: string | null; what: string } | undefined>;
  gone: string;
  already: string;
  action: string;
  /** What the audit log's detail calls the record's id. */
  idKey: "completionId" | "exemptionId";
}

const RECORDED_COMPLETION: Withdrawable = {
  table: "leader_completions",
  async find(trx, id, personId) {
    const row = await trx
      .selectFrom("leader_completions as lc")
      .innerJoin("leader_people as p", "p.id", "lc.person_id")
      .innerJoin("courses as c", "c.id", "lc.course_id")
      .select(["lc.withdrawn_at", "lc.completed_on", "p.name", "c.name as course_name"])
      .where("lc.id", "=", id)
      .where("lc.person_id", "=", personId)
      .executeTakeFirst();
    return row && { withdrawnAt: row.withdrawn_at, what: `${row.course_name} on ${formatDay(row.completed_on)} for ${row.name}` };
  },
  gone: "This record no longer exists",
  already: "This record was already withdrawn",
  action: "leader.completion_withdrawn",
  idKey: "completionId",
};

const EXEMPTION: Withdrawable = {
  table: "leader_exemptions",
  async find(trx, id, personId) {
    const row = await trx
      .selectFrom("leader_exemptions as e")
      .innerJoin("leader_people as p", "p.id", "e.person_id")
      .select(["e.withdrawn_at", "e.start_year", "p.name"])
      .where("e.id", "=", id)
      .where("e.person_id", "=", personId)
      .executeTakeFirst();
    return row && { withdrawnAt: row.withdrawn_at, what: `the ${academicYearLabel(row.start_year)} exemption of ${row.name}` };
  },
  gone: "This exemption no longer exists",
  already: "This exemption was already withdrawn",
  action: "leader.exemption_withdrawn",
  idKey: "exemptionId",
};

/** A record entered by mistake stops counting; the record, who withdrew it and why stay. Only the named leader's own record. */
async function withdraw(db: Db, actor: SessionUser, input: WithdrawInput, record: Withdrawable): Promise<void> {
  const v = parseInput(WithdrawSchema, input);
  await writeTransaction(db, async (trx) => {
    const found = await record.find(trx, v.id, v.personId);
    if (!found) throw new RuleViolation("id", record.gone);
    if (found.withdrawnAt) throw new RuleViolation("id", record.already);
    await trx.updateTable(record.table).set({ withdrawn_at: nowIso(), withdrawn_by: actor.id, withdraw_reason: v.reason }).where("id", "=", v.id).execute();
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: record.action,
      entityType: "leader",
      entityId: v.personId,
      summary: `${actor.name} withdrew ${found.what}: ${v.reason}`,
      detail: { [record.idKey]: v.id },
    });
  });
}

/** Training recorded as done elsewhere (or a confirmed near-miss) stops counting. */
export async function withdrawCompletion(db: Db, actor: SessionUser, input: WithdrawInput): Promise<void> {
  await withdraw(db, actor, input, RECORDED_COMPLETION);
}

/** An exemption stops excusing the leader. */
export async function withdrawExemption(db: Db, actor: SessionUser, input: WithdrawInput): Promise<void> {
  await withdraw(db, actor, input, EXEMPTION);
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
