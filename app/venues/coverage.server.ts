import type { Db } from "#db/schema.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { matchedAttendance } from "#app/roster/attendance.server.ts";
import { CountingDay, type CompletionEvidence, type Exemption } from "#app/roster/requirements.ts";
import { listOpenSessions } from "#app/signup/open-sessions.server.ts";
import { londonToday } from "#app/utils/dates.ts";
import { cachedByRecords } from "#app/utils/record-cache.server.ts";
import { ownVenues, seesEveryVenue, STAFF_LIST_KINDS, venueFor, type Venue } from "./access.server.ts";
import { evaluateVenue, type MemberCoverage, type StaffEvidence, type VenueCoverage } from "./coverage.ts";
import { listStaffRoles, staffRequirementsByRole, type StaffRoleSummary } from "./roles.server.ts";
import { getThresholdPercent } from "./threshold.server.ts";

/**
 * Venues' staff lists read from the database and put through the coverage rules: who is on each list
 * on a day, the evidence that they trained (attendance matched by email or staff number, training
 * recorded by hand) and their exemptions.
 */

export interface StaffMemberRow {
  id: number;
  organisationId: number;
  name: string;
  email: string;
  staffNumber: string | null;
  employer: string | null;
  roleId: number;
  roleName: string;
  startedOn: string;
  endedOn: string | null;
  endReason: string | null;
}

/** Staff on the list on `asOf`: started or not, not yet left. */
function staffOn(db: Db, organisationIds: readonly number[], asOf: string) {
  return db
    .selectFrom("staff_members as sm")
    .where("sm.organisation_id", "in", organisationIds.length ? organisationIds : [-1])
    .where((eb) => eb.or([eb("sm.ended_on", "is", null), eb("sm.ended_on", ">", asOf)]));
}

async function loadStaff(db: Db, organisationIds: readonly number[], asOf: string, opts: { leavers?: boolean } = {}): Promise<StaffMemberRow[]> {
  const rows = await (
    opts.leavers
      ? db
          .selectFrom("staff_members as sm")
          .where("sm.organisation_id", "in", organisationIds.length ? organisationIds : [-1])
          .where("sm.ended_on", "<=", asOf)
      : staffOn(db, organisationIds, asOf)
  )
    .innerJoin("staff_roles as r", "r.id", "sm.role_id")
    .select([
      "sm.id",
      "sm.organisation_id",
      "sm.name",
      "sm.email",
      "sm.staff_number",
      "sm.employer",
      "sm.role_id",
      "r.name as role_name",
      "sm.started_on",
      "sm.ended_on",
      "sm.end_reason",
    ])
    .orderBy("sm.name")
    .orderBy("sm.id")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    organisationId: r.organisation_id,
    name: r.name,
    email: r.email,
    staffNumber: r.staff_number,
    employer: r.employer,
    roleId: r.role_id,
    roleName: r.role_name,
    startedOn: r.started_on,
    endedOn: r.ended_on,
    endReason: r.end_reason,
  }));
}

/** Attendance matched from the registers, training recorded by hand and exemptions that hold, for the staff on the lists. */
async function loadEvidence(db: Db, organisationIds: readonly number[], asOf: string): Promise<StaffEvidence> {
  const current = () => staffOn(db, organisationIds, asOf).select("sm.id");
  const [attended, recorded, exempt] = await Promise.all([
    matchedAttendance(db, staffOn(db, organisationIds, asOf).select(["sm.id", "sm.email", "sm.staff_number as student_id"])),
    db
      .selectFrom("staff_completions")
      .select(["id", "member_id", "course_id", "completed_on", "provider"])
      .where("member_id", "in", current())
      .where("withdrawn_at", "is", null)
      .execute(),
    db
      .selectFrom("staff_exemptions")
      .select(["id", "member_id", "course_id", "reason", "granted_by"])
      .where("member_id", "in", current())
      .where("withdrawn_at", "is", null)
      .execute(),
  ]);
  const completions = new Map<number, CompletionEvidence[]>(attended);
  for (const c of recorded) {
    const evidence: CompletionEvidence = {
      courseId: c.course_id,
      completedOn: c.completed_on,
      source: "external",
      completionId: c.id,
      registrationId: null,
      sessionId: null,
      provider: c.provider,
    };
    completions.set(c.member_id, [...(completions.get(c.member_id) ?? []), evidence]);
  }
  const exemptions = new Map<number, Exemption[]>();
  for (const e of exempt) {
    exemptions.set(e.member_id, [...(exemptions.get(e.member_id) ?? []), { id: e.id, courseId: e.course_id, reason: e.reason, grantedBy: e.granted_by }]);
  }
  return { completions, exemptions };
}

/** Each venue's staff on the day and how well they are covered. */
export async function coverageOfVenues(
  db: Db,
  organisationIds: readonly number[],
  asOf: string,
  thresholdPercent: number,
): Promise<Map<number, { staff: StaffMemberRow[]; coverage: VenueCoverage }>> {
  const [staff, requirementsByRole, evidence] = await Promise.all([
    loadStaff(db, organisationIds, asOf),
    staffRequirementsByRole(db),
    loadEvidence(db, organisationIds, asOf),
  ]);
  const day = new CountingDay(asOf, null);
  const out = new Map<number, { staff: StaffMemberRow[]; coverage: VenueCoverage }>();
  for (const id of organisationIds) {
    const here = staff.filter((s) => s.organisationId === id);
    out.set(id, { staff: here, coverage: evaluateVenue(here, requirementsByRole, evidence, day, thresholdPercent) });
  }
  return out;
}

export interface VenueSummary {
  id: number;
  name: string;
  kind: Venue["kind"];
  counted: number;
  trained: number;
  share: number | null;
  accredited: boolean;
  accreditedUntil: string | null;
  nextLapse: string | null;
  needTraining: number;
}

/**
 * Every venue and staff team that is not archived, with its trained share and accreditation on the
 * day: for the coordinator's list and the impact report. Kept against the record versions (ADR 009).
 */
export function venueSummaries(db: Db, asOf: string, thresholdPercent: number): Promise<readonly VenueSummary[]> {
  return cachedByRecords(db, `venue-summaries|${asOf}|${thresholdPercent}`, ["staff", "attendance", "sessions", "reference"], async () => {
    const venues = await db
      .selectFrom("organisations")
      .select(["id", "name", "kind"])
      .where("kind", "in", STAFF_LIST_KINDS)
      .where("is_archived", "=", 0)
      .orderBy("name")
      .execute();
    const coverage = await coverageOfVenues(
      db,
      venues.map((v) => v.id),
      asOf,
      thresholdPercent,
    );
    return venues.map((v): VenueSummary => {
      const c = coverage.get(v.id)!.coverage;
      return {
        id: v.id,
        name: v.name,
        kind: v.kind as Venue["kind"],
        counted: c.counted,
        trained: c.trained,
        share: c.share,
        accredited: c.accreditation.accredited,
        accreditedUntil: c.accreditation.until,
        nextLapse: c.nextLapse,
        needTraining: c.counted - c.trained,
      };
    });
  });
}

/** The coordinator's list of venues and staff teams, today. */
export async function venuesOverview(db: Db, actor: SessionUser) {
  if (!seesEveryVenue(actor)) return null;
  const thresholdPercent = await getThresholdPercent(db);
  return { thresholdPercent, venues: await venueSummaries(db, londonToday(), thresholdPercent) };
}

export interface StaffMemberView extends StaffMemberRow, MemberCoverage {}

export interface NextSession {
  id: number;
  courseId: number;
  courseName: string;
  title: string | null;
  startsAt: string;
  endsAt: string;
  where: string;
  seatsLeft: number;
}

/** The open sessions still ahead, with places, that anyone may sign up to: the soonest few of each course. */
async function nextSessionsFor(db: Db, courseIds: readonly number[]): Promise<NextSession[]> {
  const lists = await Promise.all(courseIds.map((courseId) => listOpenSessions(db, { courseId, limit: 6 })));
  return lists.flatMap((list) =>
    list
      .filter((s) => s.signupPolicy === "anyone" && !s.signupClosed && s.seatsLeft > 0)
      .slice(0, 3)
      .map((s) => ({
        id: s.id,
        courseId: s.courseId,
        courseName: s.courseName,
        title: s.title,
        startsAt: s.startsAt,
        endsAt: s.endsAt,
        where: s.where,
        seatsLeft: s.seatsLeft,
      })),
  );
}

/**
 * One venue's page: its staff on the list today, each with their training and when it lapses; the
 * trained share and accreditation; who to send next and the sessions to send them to; the roles'
 * requirements; and who has left. Null when this person may not see the venue.
 */
export async function venuePage(db: Db, actor: SessionUser, organisationId: number) {
  const venue = await venueFor(db, actor, organisationId);
  if (!venue) return null;
  const asOf = londonToday();
  const [thresholdPercent, roles] = await Promise.all([getThresholdPercent(db), listStaffRoles(db, { includeArchived: true })]);
  const [{ staff, coverage }, leavers] = await Promise.all([
    coverageOfVenues(db, [venue.id], asOf, thresholdPercent).then((m) => m.get(venue.id)!),
    loadStaff(db, [venue.id], asOf, { leavers: true }),
  ]);
  const members: StaffMemberView[] = staff.map((s, i) => ({ ...s, ...coverage.members[i]! }));
  // Those with no training first, then those whose refresher is due soonest.
  const urgency = (m: StaffMemberView) => `${m.status === "missing" ? 0 : 1}|${m.lapsesOn ?? ""}|${m.name}`;
  const sendNext = members.filter((m) => m.needs.length > 0).sort((a, b) => urgency(a).localeCompare(urgency(b)));
  const neededCourses = [...new Set(sendNext.flatMap((m) => m.needs.map((n) => n.courseId)))];
  const rolesInUse = new Set(staff.map((s) => s.roleId));
  return {
    venue,
    asOf,
    summary: {
      counted: coverage.counted,
      trained: coverage.trained,
      share: coverage.share,
      thresholdPercent,
      accreditation: coverage.accreditation,
      nextLapse: coverage.nextLapse,
    },
    members,
    sendNext,
    nextSessions: await nextSessionsFor(db, neededCourses),
    roles: roles.filter((r) => !r.isArchived || rolesInUse.has(r.id)) satisfies StaffRoleSummary[],
    leavers,
    canExempt: seesEveryVenue(actor),
  };
}

/** The venues and staff teams whose lists this booker keeps, each with its trained share today: for their home page. */
export async function ownVenueSummaries(db: Db, actor: SessionUser) {
  const venues = await ownVenues(db, actor);
  if (!venues.length) return [];
  const thresholdPercent = await getThresholdPercent(db);
  const coverage = await coverageOfVenues(
    db,
    venues.map((v) => v.id),
    londonToday(),
    thresholdPercent,
  );
  return venues.map((v) => {
    const c = coverage.get(v.id)!.coverage;
    return { id: v.id, share: c.share, counted: c.counted, trained: c.trained, accredited: c.accreditation.accredited, accreditedUntil: c.accreditation.until };
  });
}
