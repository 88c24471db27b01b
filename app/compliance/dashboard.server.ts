import type { OrganisationKind } from "#db/schema.ts";
import { cachedByRecords } from "#app/utils/record-cache.server.ts";
import { complianceForYear, type ComplianceReport } from "./roster.server.ts";
import { pageWindow, type PageWindow } from "#app/utils/paging.ts";
import { byName, compareText } from "#app/utils/text-order.ts";
import { LEADERS_PAGE_SIZE } from "./dashboard.ts";
import type { Db } from "#db/schema.ts";
import { planReminders } from "./reminders.server.ts";
import { currentLeaderYear, listLeaderYears, type LeaderYearSummary } from "./roles.server.ts";
import { STATUS_SEVERITY, type LeaderStatus } from "./rules.ts";
import type { ComplianceFilter, ReminderInput } from "./schemas.ts";

/** What the officer's pages read besides the compliance report itself. */

export interface YearChoice {
  years: readonly LeaderYearSummary[];
  /** The year asked for if it is set up, otherwise this academic year (or the latest before it); null when there is none. */
  year: LeaderYearSummary | null;
}

export async function chooseLeaderYear(db: Db, requested?: number): Promise<YearChoice> {
  const years = await listLeaderYears(db);
  const asked = requested === undefined ? undefined : years.find((y) => y.startYear === requested);
  if (asked) return { years, year: asked };
  const current = await currentLeaderYear(db);
  const year = (current && years.find((y) => y.startYear === current.startYear)) ?? years[years.length - 1] ?? null;
  return { years, year };
}

/**
 * One page of the dashboard's table with the counts for everything the filters keep. Only the page's
 * rows are built in full; a page past the end is read again as the last page.
 */
export async function dashboardPage(
  db: Db,
  startYear: number,
  filters: ComplianceFilter,
  pageNumber: number,
  opts: { asOf?: Date | string; size?: number } = {},
): Promise<{ report: ComplianceReport; page: PageWindow }> {
  const size = opts.size ?? LEADERS_PAGE_SIZE;
  const asked = Math.max(1, Math.floor(pageNumber) || 1);
  let report = await complianceForYear(db, startYear, { asOf: opts.asOf, filters, limit: size, offset: (asked - 1) * size });
  const page = pageWindow(report.total, asked, size);
  if (page.current !== asked) report = await complianceForYear(db, startYear, { asOf: opts.asOf, filters, limit: size, offset: page.offset });
  return { report, page };
}

/** Every group on a year's roster, for the filter. */
export function groupNamesForYear(db: Db, startYear: number): Promise<string[]> {
  return cachedByRecords(db, JSON.stringify(["leader-group-names", startYear]), ["leaders"], () => readGroupNames(db, startYear));
}

async function readGroupNames(db: Db, startYear: number): Promise<string[]> {
  const rows = await db
    .selectFrom("leader_appointments")
    .select("group_name")
    .distinct()
    .where("start_year", "=", startYear)
    .where("group_name", "!=", "")
    .execute();
  return rows.map((r) => r.group_name).sort(compareText);
}

/** Whether a group appears on any year's roster, and the organisation it belongs to if it is linked to one. */
export async function findGroup(
  db: Db,
  groupName: string,
): Promise<{ years: number[]; organisation: { id: number; name: string; kind: OrganisationKind } | null } | null> {
  const rows = await db
    .selectFrom("leader_appointments as a")
    .leftJoin("organisations as o", "o.id", "a.organisation_id")
    .select(["a.start_year", "o.id", "o.name", "o.kind"])
    .distinct()
    .where("a.group_name", "=", groupName)
    .execute();
  if (!rows.length) return null;
  const linked = rows.find((r) => r.id !== null);
  return {
    years: [...new Set(rows.map((r) => r.start_year))].sort((a, b) => b - a),
    organisation: linked ? { id: linked.id!, name: linked.name!, kind: linked.kind! } : null,
  };
}

export interface ReminderHistoryItem {
  id: number;
  personId: number;
  name: string;
  email: string;
  sentAt: string;
  sentByName: string | null;
}

/** The reminders sent for a roster year, newest first. */
export async function recentReminders(db: Db, startYear: number, limit = 30): Promise<{ items: ReminderHistoryItem[]; total: number }> {
  const [items, total] = await Promise.all([
    db
      .selectFrom("leader_reminders as lr")
      .innerJoin("leader_people as p", "p.id", "lr.person_id")
      .leftJoin("users as u", "u.id", "lr.sent_by")
      .select(["lr.id", "lr.person_id", "p.name", "p.email", "lr.sent_at", "u.name as sent_by_name"])
      .where("lr.start_year", "=", startYear)
      .orderBy("lr.sent_at", "desc")
      .orderBy("lr.id", "desc")
      .limit(limit)
      .execute(),
    db
      .selectFrom("leader_reminders")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("start_year", "=", startYear)
      .executeTakeFirstOrThrow(),
  ]);
  return {
    items: items.map((r) => ({ id: r.id, personId: r.person_id, name: r.name, email: r.email, sentAt: r.sent_at, sentByName: r.sent_by_name })),
    total: Number(total.n),
  };
}

export interface ReminderPreview {
  toSend: { personId: number; name: string; email: string; status: LeaderStatus; dueOn: string | null; missing: string[] }[];
  skippedRecent: { personId: number; name: string; email: string; lastSentAt: string }[];
  skippedNothingDue: { personId: number; name: string; email: string }[];
}

/** Who pressing send would remind, worst first, and who it would leave out: for the confirmation step. */
export async function previewReminders(db: Db, startYear: number, input: ReminderInput): Promise<ReminderPreview> {
  const plan = await planReminders(db, startYear, input);
  return {
    toSend: plan.toSend
      .map((p) => ({
        personId: p.personId,
        name: p.name,
        email: p.email,
        status: p.result.status,
        dueOn: p.result.dueOn,
        missing: p.result.requirements.filter((r) => r.state === "missing").map((r) => r.courseName),
      }))
      .sort((a, b) => STATUS_SEVERITY[a.status] - STATUS_SEVERITY[b.status] || byName(a, b)),
    skippedRecent: [...plan.skippedRecent].sort(byName),
    skippedNothingDue: [...plan.skippedNothingDue].sort(byName),
  };
}
