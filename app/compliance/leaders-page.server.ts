import { complianceFilter, GROUP_CHOICES_MAX, groupsToShow, type DashboardQuery } from "./dashboard.ts";
import { chooseLeaderYear, dashboardPage, groupNamesForYear } from "./dashboard.server.ts";
import type { Db } from "#db/schema.ts";
import { londonToday } from "#app/utils/dates.ts";
import { nextInductionSessions } from "./reminders.server.ts";
import { listLeaderRoles } from "./roles.server.ts";

/** How many of the next open sessions of each required course the dashboard lists beside the leaders. */
const SESSIONS_PER_COURSE = 3;

/**
 * The officer's leaders dashboard for the year asked for (else the current one): the year's counts,
 * one page of leaders, the breakdowns, the filters' choices and the next induction sessions.
 * `no-roster` when no year is set up.
 */
export async function leadersPage(db: Db, query: DashboardQuery) {
  const { years, year } = await chooseLeaderYear(db, query.year);
  if (!year) return { state: "no-roster" as const };

  const roles = await listLeaderRoles(db, { includeArchived: true });
  const courseIds = [...new Set(roles.flatMap((r) => r.requirements.map((q) => q.courseId)))];
  const [{ report, page }, groups, sessions] = await Promise.all([
    // Every appointment's status is worked out for the counts; only the page shown is built in full.
    dashboardPage(db, year.startYear, complianceFilter(query), query.page),
    groupNamesForYear(db, year.startYear),
    nextInductionSessions(db, courseIds, SESSIONS_PER_COURSE),
  ]);
  return {
    state: "ready" as const,
    query: { ...query, year: year.startYear, page: page.current },
    years,
    year: report.year,
    asOf: report.asOf,
    /** A year that is over is shown as it stood on its last day. */
    yearOver: report.asOf < londonToday(),
    page,
    // The table shows no email or student ID: they stay on the server.
    rows: report.rows.map((r) => ({
      appointmentId: r.appointmentId,
      personId: r.personId,
      name: r.name,
      roleName: r.roleName,
      groupName: r.groupName,
      isPresident: r.isPresident,
      status: r.status,
      personStatus: r.personStatus,
      dueOn: r.dueOn,
      endedOn: r.endedOn,
      missing: r.missing,
      lastRemindedAt: r.lastRemindedAt,
    })),
    summary: { overall: report.summary.overall, byRole: report.summary.byRole },
    byGroup: groupsToShow(report.summary.byGroup, query.groups === "all"),
    roles: roles.map((r) => ({ id: r.id, name: r.name, isArchived: r.isArchived })),
    // A city's thousand groups are typed, not chosen from a list that would outweigh the page.
    groups: groups.length <= GROUP_CHOICES_MAX ? groups : null,
    sessions: sessions.map((s) => ({
      id: s.id,
      title: s.title ?? s.courseName,
      courseName: s.courseName,
      startsAt: s.startsAt,
      endsAt: s.endsAt,
      where: s.where,
      seatsLeft: s.seatsLeft,
    })),
  };
}

export type LeadersPage = Extract<Awaited<ReturnType<typeof leadersPage>>, { state: "ready" }>;
export type LeaderRow = LeadersPage["rows"][number];
