import type { Db } from "#db/schema.ts";
import { writeTransaction } from "#app/utils/transaction.server.ts";
import { recordAudit } from "#app/audit/audit.server.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { parseInput } from "#app/roster/input.ts";
import { formatDay, londonToday } from "#app/utils/dates.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { nowIso } from "#app/utils/time.ts";
import { requireCoordinator, requireVenue } from "./access.server.ts";
import {
  EndStaffMemberSchema,
  StaffCompletionSchema,
  StaffExemptionSchema,
  StaffMemberSchema,
  WithdrawStaffRecordSchema,
  type EndStaffMemberInput,
  type StaffCompletionInput,
  type StaffExemptionInput,
  type StaffMemberInput,
  type WithdrawStaffRecordInput,
} from "./schemas.ts";

/**
 * A venue's staff list kept by hand: someone added, their details changed, their leaving recorded;
 * training they did elsewhere and exemptions. Each checks that the person acting keeps this venue's
 * list and that the records named belong to it.
 */

/** A member of this venue's list, or a refusal that says no more than that they were not found. */
async function memberOf(trx: Db, organisationId: number, memberId: number) {
  const member = await trx
    .selectFrom("staff_members")
    .select(["id", "name", "email", "staff_number", "role_id", "started_on", "ended_on"])
    .where("id", "=", memberId)
    .where("organisation_id", "=", organisationId)
    .executeTakeFirst();
  if (!member) throw new RuleViolation("memberId", "We could not find that person on this staff list.");
  return member;
}

/** The role must be one of the campaign's current staff roles (an archived one only for someone already in it). */
async function checkRole(trx: Db, roleId: number, current: number | null) {
  const role = await trx.selectFrom("staff_roles").select(["id", "name", "is_archived"]).where("id", "=", roleId).executeTakeFirst();
  if (!role || (role.is_archived && role.id !== current)) throw new RuleViolation("roleId", "Choose one of the roles listed");
  return role;
}

/** Nobody else on this venue's list may have the same email or staff number. */
async function checkUnique(trx: Db, organisationId: number, v: { email: string; staffNumber: string | null }, self: number | null) {
  const others = await trx
    .selectFrom("staff_members")
    .select(["id", "name", "email", "staff_number", "ended_on"])
    .where("organisation_id", "=", organisationId)
    .where((eb) => eb.or([eb("email", "=", v.email), ...(v.staffNumber ? [eb("staff_number", "=", v.staffNumber)] : [])]))
    .$if(self !== null, (q) => q.where("id", "!=", self!))
    .execute();
  const sameEmail = others.find((o) => o.email === v.email);
  if (sameEmail) {
    throw new RuleViolation(
      "email",
      sameEmail.ended_on
        ? `${sameEmail.name} left with this email on ${formatDay(sameEmail.ended_on)}. To bring them back, use “Put back on the list” under “Who has left”.`
        : `${sameEmail.name} is already on the staff list with this email`,
    );
  }
  const sameNumber = others.find((o) => o.staff_number === v.staffNumber);
  if (sameNumber) throw new RuleViolation("staffNumber", `Staff number ${v.staffNumber} belongs to ${sameNumber.name}`);
}

export async function addStaffMember(db: Db, actor: SessionUser, input: { organisationId: number } & StaffMemberInput): Promise<number> {
  const v = parseInput(StaffMemberSchema, input);
  return writeTransaction(db, async (trx) => {
    const venue = await requireVenue(trx, actor, input.organisationId);
    const role = await checkRole(trx, v.roleId, null);
    await checkUnique(trx, venue.id, v, null);
    const at = nowIso();
    const { id } = await trx
      .insertInto("staff_members")
      .values({
        organisation_id: venue.id,
        name: v.name,
        email: v.email,
        staff_number: v.staffNumber,
        employer: v.employer,
        role_id: role.id,
        started_on: v.startedOn,
        ended_on: null,
        end_reason: null,
        created_at: at,
        updated_at: at,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: "staff_member.added",
      entityType: "staff_member",
      entityId: id,
      summary: `${actor.name} added ${v.name} (${role.name}${v.employer ? `, employed by ${v.employer}` : ""}) to the staff list of ${venue.name}`,
      detail: { organisationId: venue.id, ...v },
    });
    return id;
  });
}

export async function updateStaffMember(db: Db, actor: SessionUser, input: { organisationId: number; memberId: number } & StaffMemberInput): Promise<void> {
  const v = parseInput(StaffMemberSchema, input);
  await writeTransaction(db, async (trx) => {
    const venue = await requireVenue(trx, actor, input.organisationId);
    const member = await memberOf(trx, venue.id, input.memberId);
    const role = await checkRole(trx, v.roleId, member.role_id);
    await checkUnique(trx, venue.id, v, member.id);
    if (member.ended_on && v.startedOn >= member.ended_on)
      throw new RuleViolation("startedOn", `They left on ${formatDay(member.ended_on)}: start before that`);
    await trx
      .updateTable("staff_members")
      .set({ name: v.name, email: v.email, staff_number: v.staffNumber, employer: v.employer, role_id: role.id, started_on: v.startedOn, updated_at: nowIso() })
      .where("id", "=", member.id)
      .execute();
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: "staff_member.updated",
      entityType: "staff_member",
      entityId: member.id,
      summary: `${actor.name} changed the details of ${v.name} on the staff list of ${venue.name}`,
      detail: { organisationId: venue.id, ...v },
    });
  });
}

/** They leave the list on `endedOn` (from that day they no longer count); a later date is notice given. */
export async function endStaffMember(db: Db, actor: SessionUser, input: { organisationId: number } & EndStaffMemberInput): Promise<void> {
  const v = parseInput(EndStaffMemberSchema, input);
  await writeTransaction(db, async (trx) => {
    const venue = await requireVenue(trx, actor, input.organisationId);
    const member = await memberOf(trx, venue.id, v.memberId);
    if (member.ended_on) throw new RuleViolation("endedOn", `They already left on ${formatDay(member.ended_on)}`);
    if (v.endedOn <= member.started_on) throw new RuleViolation("endedOn", `They started on ${formatDay(member.started_on)}: choose a later day`);
    await trx.updateTable("staff_members").set({ ended_on: v.endedOn, end_reason: v.reason, updated_at: nowIso() }).where("id", "=", member.id).execute();
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: "staff_member.ended",
      entityType: "staff_member",
      entityId: member.id,
      summary: `${actor.name} recorded that ${member.name} left ${venue.name} on ${formatDay(v.endedOn)}`,
      detail: { organisationId: venue.id, ...v },
    });
  });
}

/** Someone who left comes back onto the list, as they were. */
export async function reinstateStaffMember(db: Db, actor: SessionUser, input: { organisationId: number; memberId: number }): Promise<void> {
  await writeTransaction(db, async (trx) => {
    const venue = await requireVenue(trx, actor, input.organisationId);
    const member = await memberOf(trx, venue.id, input.memberId);
    if (!member.ended_on) throw new RuleViolation("memberId", `${member.name} is still on the staff list`);
    await trx.updateTable("staff_members").set({ ended_on: null, end_reason: null, updated_at: nowIso() }).where("id", "=", member.id).execute();
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: "staff_member.reinstated",
      entityType: "staff_member",
      entityId: member.id,
      summary: `${actor.name} put ${member.name} back on the staff list of ${venue.name}`,
    });
  });
}

/** Training done elsewhere, recorded by the coordinator or the venue's manager. */
export async function recordStaffCompletion(db: Db, actor: SessionUser, input: { organisationId: number } & StaffCompletionInput): Promise<void> {
  const v = parseInput(StaffCompletionSchema, input);
  if (v.completedOn > londonToday()) throw new RuleViolation("completedOn", "Training cannot be recorded before it happens");
  await writeTransaction(db, async (trx) => {
    const venue = await requireVenue(trx, actor, input.organisationId);
    const member = await memberOf(trx, venue.id, v.memberId);
    const course = await trx.selectFrom("courses").select(["id", "name"]).where("id", "=", v.courseId).executeTakeFirst();
    if (!course) throw new RuleViolation("courseId", "Choose a course from the list");
    const { id } = await trx
      .insertInto("staff_completions")
      .values({
        member_id: member.id,
        course_id: course.id,
        completed_on: v.completedOn,
        provider: v.provider,
        evidence_note: v.evidenceNote,
        recorded_by: actor.id,
        created_at: nowIso(),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: "staff_member.training_recorded",
      entityType: "staff_member",
      entityId: member.id,
      summary: `${actor.name} recorded ${course.name} with ${v.provider} on ${formatDay(v.completedOn)} for ${member.name} (${venue.name})`,
      detail: { completionId: id, ...v },
    });
  });
}

/** An exemption counts towards accreditation, so only the coordinator grants one. It holds until withdrawn. */
export async function recordStaffExemption(db: Db, actor: SessionUser, input: { organisationId: number } & StaffExemptionInput): Promise<void> {
  requireCoordinator(actor, "record an exemption");
  const v = parseInput(StaffExemptionSchema, input);
  await writeTransaction(db, async (trx) => {
    const venue = await requireVenue(trx, actor, input.organisationId);
    const member = await memberOf(trx, venue.id, v.memberId);
    const courseId = v.courseId === "all" ? null : Number(v.courseId);
    const course = courseId ? await trx.selectFrom("courses").select("name").where("id", "=", courseId).executeTakeFirst() : { name: "every course" };
    if (!course) throw new RuleViolation("courseId", "Choose a course from the list");
    await trx
      .insertInto("staff_exemptions")
      .values({ member_id: member.id, course_id: courseId, reason: v.reason, granted_by: v.grantedBy, recorded_by: actor.id, created_at: nowIso() })
      .execute();
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: "staff_member.exempted",
      entityType: "staff_member",
      entityId: member.id,
      summary: `${actor.name} recorded that ${member.name} (${venue.name}) is exempt from ${course.name}`,
      detail: { ...v },
    });
  });
}

/** Withdraws training recorded by hand (its recorder's side: the coordinator or the venue) or an exemption (the coordinator). */
export async function withdrawStaffRecord(db: Db, actor: SessionUser, input: { organisationId: number } & WithdrawStaffRecordInput): Promise<void> {
  const v = parseInput(WithdrawStaffRecordSchema, input);
  if (v.kind === "exemption") requireCoordinator(actor, "withdraw an exemption");
  await writeTransaction(db, async (trx) => {
    const venue = await requireVenue(trx, actor, input.organisationId);
    const member = await memberOf(trx, venue.id, v.memberId);
    const table = v.kind === "completion" ? "staff_completions" : "staff_exemptions";
    const done = await trx
      .updateTable(table)
      .set({ withdrawn_at: nowIso(), withdrawn_by: actor.id, withdraw_reason: v.reason })
      .where("id", "=", v.id)
      .where("member_id", "=", member.id)
      .where("withdrawn_at", "is", null)
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) === 0) throw new RuleViolation("id", "We could not find that record for this person.");
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: v.kind === "completion" ? "staff_member.training_withdrawn" : "staff_member.exemption_withdrawn",
      entityType: "staff_member",
      entityId: member.id,
      summary: `${actor.name} withdrew ${v.kind === "completion" ? "training recorded" : "an exemption"} for ${member.name} (${venue.name})`,
      detail: { ...v },
    });
  });
}
