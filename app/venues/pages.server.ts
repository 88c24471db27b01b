import { parseWithZod } from "@conform-to/zod/v4";
import { z } from "zod";
import type { Db } from "#db/schema.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { listCourses } from "#app/reference/reference.server.ts";
import { attempt, type PageFormOutcome } from "#app/roster/page-forms.server.ts";
import { matchedAttendance } from "#app/roster/attendance.server.ts";
import { formatDay, londonToday } from "#app/utils/dates.ts";
import { seesEveryVenue, venueFor } from "./access.server.ts";
import { coverageOfVenues } from "./coverage.server.ts";
import {
  addStaffMember,
  endStaffMember,
  recordStaffCompletion,
  recordStaffExemption,
  reinstateStaffMember,
  updateStaffMember,
  withdrawStaffRecord,
} from "./members.server.ts";
import { listStaffRoles } from "./roles.server.ts";
import { getThresholdPercent } from "./threshold.server.ts";
import { CompletionFormSchema, EndFormSchema, ExemptionFormSchema, StaffMemberSchema, WithdrawFormSchema } from "./schemas.ts";

/**
 * What the forms on a venue's pages do: the venue (and the staff member) are always the page's, never
 * a field of the form, and the domain functions refuse a member of another venue.
 */

const ReinstateSchema = z.object({ memberId: z.coerce.number().int().positive() });

const MEMBER_FIELDS = ["name", "email", "staffNumber", "employer", "roleId", "startedOn"] as const;

/** A form on the venue's own page: someone added by hand, or someone who left put back on the list. */
export async function venuePageAction(db: Db, actor: SessionUser, organisationId: number, formData: FormData): Promise<PageFormOutcome | null> {
  const intent = String(formData.get("intent") ?? "");
  if (intent === "add") {
    return attempt(
      intent,
      parseWithZod(formData, { schema: StaffMemberSchema }),
      MEMBER_FIELDS,
      (v) => addStaffMember(db, actor, { organisationId, ...v, roleId: String(v.roleId), employer: v.employer ?? undefined }),
      (v) => `Added ${v.name} to the staff list.`,
    );
  }
  if (intent === "reinstate") {
    return attempt(
      `reinstate-${Number(formData.get("memberId")) || 0}`,
      parseWithZod(formData, { schema: ReinstateSchema }),
      [],
      (v) => reinstateStaffMember(db, actor, { organisationId, memberId: v.memberId }),
      () => "They are back on the staff list.",
    );
  }
  return null;
}

/** A form on one member's page. */
export async function memberPageAction(
  db: Db,
  actor: SessionUser,
  organisationId: number,
  memberId: number,
  formData: FormData,
): Promise<PageFormOutcome | null> {
  const intent = String(formData.get("intent") ?? "");
  const member = String(memberId);
  switch (intent) {
    case "update":
      return attempt(
        intent,
        parseWithZod(formData, { schema: StaffMemberSchema }),
        MEMBER_FIELDS,
        (v) => updateStaffMember(db, actor, { organisationId, memberId, ...v, roleId: String(v.roleId), employer: v.employer ?? undefined }),
        (v) => `Saved ${v.name}'s details.`,
      );
    case "end":
      return attempt(
        intent,
        parseWithZod(formData, { schema: EndFormSchema }),
        ["endedOn", "reason"],
        (v) => endStaffMember(db, actor, { organisationId, memberId: member, endedOn: v.endedOn, reason: v.reason ?? undefined }),
        (v) => `Recorded: left on ${formatDay(v.endedOn)}. From that day they no longer count on the staff list.`,
      );
    case "training":
      return attempt(
        intent,
        parseWithZod(formData, { schema: CompletionFormSchema }),
        ["courseId", "completedOn", "provider", "evidenceNote"],
        (v) =>
          recordStaffCompletion(db, actor, { organisationId, memberId: member, ...v, courseId: String(v.courseId), evidenceNote: v.evidenceNote ?? undefined }),
        (v) => `Recorded: training done on ${formatDay(v.completedOn)} with ${v.provider}.`,
      );
    case "exemption":
      return attempt(
        intent,
        parseWithZod(formData, { schema: ExemptionFormSchema }),
        ["courseId", "reason", "grantedBy"],
        (v) => recordStaffExemption(db, actor, { organisationId, memberId: member, ...v }),
        () => "Recorded the exemption.",
      );
    case "withdraw-completion":
    case "withdraw-exemption": {
      const kind = intent === "withdraw-completion" ? "completion" : "exemption";
      return attempt(
        `${intent}-${Number(formData.get("id")) || 0}`,
        parseWithZod(formData, { schema: WithdrawFormSchema }),
        ["reason"],
        (v) => withdrawStaffRecord(db, actor, { organisationId, memberId: member, id: String(v.id), kind, reason: v.reason }),
        () => "Withdrawn. The record stays in the history but no longer counts.",
      );
    }
    default:
      return null;
  }
}

/** The choices the member forms offer: the campaign's current staff roles (and a member's own, if archived since). */
export async function roleChoices(db: Db, keep: number | null = null) {
  const roles = await listStaffRoles(db, { includeArchived: true });
  return roles.filter((r) => !r.isArchived || r.id === keep).map((r) => ({ value: String(r.id), label: r.name }));
}

/**
 * One staff member's page: who they are, each course their role needs and what meets it (sessions
 * attended, training recorded by hand, exemptions), and the forms. Null when this person may not see
 * the venue, or the member is not on its list.
 */
export async function memberPage(db: Db, actor: SessionUser, organisationId: number, memberId: number) {
  const venue = await venueFor(db, actor, organisationId);
  if (!venue) return null;
  const member = await db
    .selectFrom("staff_members as m")
    .innerJoin("staff_roles as r", "r.id", "m.role_id")
    .select(["m.id", "m.name", "m.email", "m.staff_number", "m.employer", "m.role_id", "r.name as role_name", "m.started_on", "m.ended_on", "m.end_reason"])
    .where("m.id", "=", memberId)
    .where("m.organisation_id", "=", venue.id)
    .executeTakeFirst();
  if (!member) return null;
  const today = londonToday();
  const [venueCoverage, attendedByMember, completions, exemptions, courses, roles] = await Promise.all([
    getThresholdPercent(db).then((threshold) => coverageOfVenues(db, [venue.id], today, threshold)),
    matchedAttendance(db, db.selectFrom("staff_members as sm").where("sm.id", "=", member.id).select(["sm.id", "sm.email", "sm.staff_number as student_id"])),
    db
      .selectFrom("staff_completions as c")
      .innerJoin("courses as co", "co.id", "c.course_id")
      .leftJoin("users as rb", "rb.id", "c.recorded_by")
      .leftJoin("users as wb", "wb.id", "c.withdrawn_by")
      .select([
        "c.id",
        "c.course_id",
        "co.name as course_name",
        "c.completed_on",
        "c.provider",
        "c.evidence_note",
        "c.created_at",
        "rb.name as recorded_by_name",
        "c.withdrawn_at",
        "wb.name as withdrawn_by_name",
        "c.withdraw_reason",
      ])
      .where("c.member_id", "=", member.id)
      .orderBy("c.completed_on", "desc")
      .execute(),
    db
      .selectFrom("staff_exemptions as e")
      .leftJoin("courses as co", "co.id", "e.course_id")
      .leftJoin("users as rb", "rb.id", "e.recorded_by")
      .leftJoin("users as wb", "wb.id", "e.withdrawn_by")
      .select([
        "e.id",
        "e.course_id",
        "co.name as course_name",
        "e.reason",
        "e.granted_by",
        "e.created_at",
        "rb.name as recorded_by_name",
        "e.withdrawn_at",
        "wb.name as withdrawn_by_name",
        "e.withdraw_reason",
      ])
      .where("e.member_id", "=", member.id)
      .orderBy("e.id", "desc")
      .execute(),
    listCourses(db),
    roleChoices(db, member.role_id),
  ]);
  const attended = attendedByMember.get(member.id) ?? [];
  const sessions = attended.length
    ? await db
        .selectFrom("sessions as s")
        .innerJoin("courses as c", "c.id", "s.course_id")
        .select(["s.id", "s.title", "s.starts_at", "c.name as course_name"])
        .where(
          "s.id",
          "in",
          attended.map((a) => a.sessionId!),
        )
        .orderBy("s.starts_at", "desc")
        .execute()
    : [];
  // Someone who has left is no longer evaluated: they do not count towards the venue.
  const { staff, coverage: current } = venueCoverage.get(venue.id)!;
  const at = staff.findIndex((s) => s.id === member.id);
  const coverage = at >= 0 ? current.members[at]! : null;
  return {
    venue,
    today,
    member: {
      id: member.id,
      name: member.name,
      email: member.email,
      staffNumber: member.staff_number,
      employer: member.employer,
      roleId: member.role_id,
      roleName: member.role_name,
      startedOn: member.started_on,
      endedOn: member.ended_on,
      endReason: member.end_reason,
    },
    coverage,
    sessions: sessions.map((s) => ({ id: s.id, title: s.title ?? s.course_name, courseName: s.course_name, startsAt: s.starts_at })),
    recorded: completions.map((c) => ({
      id: c.id,
      courseName: c.course_name,
      completedOn: c.completed_on,
      provider: c.provider,
      evidenceNote: c.evidence_note,
      createdAt: c.created_at,
      recordedByName: c.recorded_by_name,
      withdrawnAt: c.withdrawn_at,
      withdrawnByName: c.withdrawn_by_name,
      withdrawReason: c.withdraw_reason,
    })),
    exemptions: exemptions.map((e) => ({
      id: e.id,
      courseName: e.course_name,
      reason: e.reason,
      grantedBy: e.granted_by,
      createdAt: e.created_at,
      recordedByName: e.recorded_by_name,
      withdrawnAt: e.withdrawn_at,
      withdrawnByName: e.withdrawn_by_name,
      withdrawReason: e.withdraw_reason,
    })),
    courses: courses.map((c) => ({ value: String(c.id), label: c.name })),
    roles,
    canExempt: seesEveryVenue(actor),
  };
}

export type MemberPageData = NonNullable<Awaited<ReturnType<typeof memberPage>>>;
