import { z } from "zod";
import type { OrganisationKind } from "#db/schema.ts";
import { CheckboxSchema, COMPLIANCE_SORTS, StartYearSchema, type ComplianceFilter, type ComplianceSort } from "./schemas.ts";
import { countOf, plural } from "#app/utils/plural.ts";

/** The officer's dashboard, its group view and its CSV share one query string; this reads and writes it. */

/** Rows per page: a roster of 20,000 is read in full for the counts, but sent to the browser a page at a time. */
export const LEADERS_PAGE_SIZE = 25;

/** Up to this many groups, the group filter is a list to choose from; beyond, a box to type the name in. */
export const GROUP_CHOICES_MAX = 60;

export const LEADER_STATUSES = ["overdue", "due_soon", "due", "compliant", "ended"] as const;

const blankToUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);

/** Whatever arrives in the address bar: anything that does not make sense is dropped rather than refused. */
export const DashboardQuerySchema = z.object({
  year: z.preprocess(blankToUndefined, z.coerce.number().int().min(2000).max(2100).optional()).catch(undefined),
  role: z.preprocess(blankToUndefined, z.coerce.number().int().positive().optional()).catch(undefined),
  group: z.preprocess(blankToUndefined, z.string().trim().min(1).max(120).optional()).catch(undefined),
  status: z.preprocess(blankToUndefined, z.enum(LEADER_STATUSES).optional()).catch(undefined),
  q: z.preprocess(blankToUndefined, z.string().trim().min(1).max(120).optional()).catch(undefined),
  sort: z.enum(COMPLIANCE_SORTS).default("status").catch("status"),
  page: z.coerce.number().int().min(1).max(1_000_000).default(1).catch(1),
  /** "all": every group in the breakdown, not only those most behind. */
  groups: z.preprocess(blankToUndefined, z.literal("all").optional()).catch(undefined),
});
export type DashboardQuery = z.output<typeof DashboardQuerySchema>;

export function parseDashboardQuery(params: URLSearchParams): DashboardQuery {
  const raw: Record<string, string> = {};
  // The first value of each, so a doubled parameter cannot turn into an array.
  for (const key of Object.keys(DashboardQuerySchema.shape)) {
    const value = params.get(key);
    if (value !== null) raw[key] = value;
  }
  return DashboardQuerySchema.parse(raw);
}

/** The filters `complianceForYear` takes. */
export function complianceFilter(q: DashboardQuery): ComplianceFilter {
  return { role: q.role, group: q.group, status: q.status, search: q.q, sort: q.sort };
}

export const SORT_LABELS: Record<ComplianceSort, string> = {
  status: "Status, worst first",
  name: "Name",
  role: "Role",
  group: "Group",
  due: "Due date",
};

export type DashboardQueryChanges = Partial<Record<keyof DashboardQuery, string | number | undefined>>;

/** "?year=2026&status=overdue": the query with changes, defaults left out so links stay short. */
export function dashboardSearch(q: Partial<DashboardQuery>, changes: DashboardQueryChanges = {}): string {
  const merged: Record<string, unknown> = { ...q, ...changes };
  const params = new URLSearchParams();
  for (const key of ["year", "q", "role", "group", "status", "sort", "page", "groups"] as const) {
    const value = merged[key];
    if (value === undefined || value === null || value === "") continue;
    if (key === "sort" && value === "status") continue;
    if (key === "page" && Number(value) === 1) continue;
    params.set(key, String(value));
  }
  const s = params.toString();
  return s ? `?${s}` : "";
}

/** The dashboard showing the query with changes. */
export function dashboardPath(q: Partial<DashboardQuery>, changes: DashboardQueryChanges = {}): string {
  return `/officer/leaders${dashboardSearch(q, changes)}`;
}

/** Up to this many groups, the breakdown lists them all by name; beyond, the ones most behind unless asked for all. */
export const GROUPS_SHOWN = 25;

/**
 * The groups for the breakdown: all of them by name when there are few, or asked for; otherwise the
 * ones with most overdue (then the lowest share trained), so a city-wide roster's thousand groups do
 * not all travel to the browser.
 */
export function groupsToShow<G extends { groupName: string; overdue: number; compliant: number; total: number; ended: number }>(
  groups: readonly G[],
  all: boolean,
): { shown: G[]; total: number; mostBehind: boolean } {
  if (all || groups.length <= GROUPS_SHOWN) return { shown: [...groups], total: groups.length, mostBehind: false };
  // The counts for everyone are kept between requests (and never changed), so their choice is too.
  const known = mostBehindOf.get(groups) as G[] | undefined;
  if (known) return { shown: [...known], total: groups.length, mostBehind: true };
  const share = (g: G) => (g.total - g.ended ? g.compliant / (g.total - g.ended) : 1);
  const shown = [...groups].sort((a, b) => b.overdue - a.overdue || share(a) - share(b) || a.groupName.localeCompare(b.groupName)).slice(0, GROUPS_SHOWN);
  mostBehindOf.set(groups, shown);
  return { shown: [...shown], total: groups.length, mostBehind: true };
}

const mostBehindOf = new WeakMap<readonly object[], readonly object[]>();

/** The page of a group: its name in the path, the year in the query. */
export function groupPath(groupName: string, year?: number): string {
  return `/officer/groups/${encodeURIComponent(groupName)}${year ? `?year=${year}` : ""}`;
}

export function leaderPath(personId: number, year?: number): string {
  return `/officer/leaders/${personId}${year ? `?year=${year}` : ""}`;
}

/** Whole per cent for people to read; the exact share is in the CSV. */
export function percent(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part / whole) * 100) : null;
}

export type GroupKind = "venue" | "committee" | "other";

/** A partner venue's staff, a club or society's committee, or any other group of leaders. */
export function groupKind(organisationKind: OrganisationKind | null, roleNames: readonly string[]): GroupKind {
  if (organisationKind === "partner_venue") return "venue";
  if (organisationKind === "sports_club" || organisationKind === "society") return "committee";
  if (roleNames.length && roleNames.every((r) => /committee/i.test(r))) return "committee";
  return "other";
}

/**
 * Where a group stands, in one line a president or a venue manager can be shown:
 * "7 of 9 committee members trained: 78%", "Trained staff: 12 of 15 (80%)".
 * Roles that ended are left out of both numbers.
 */
export function groupStatusLine(kind: GroupKind, counts: { compliant: number; total: number; ended: number }): string {
  const live = counts.total - counts.ended;
  if (live === 0) return "Nobody in this group has a current role that needs training.";
  const pct = percent(counts.compliant, live)!;
  if (kind === "venue") return `Trained staff: ${counts.compliant} of ${live} (${pct}%)`;
  return `${countOf(counts.compliant, live, kind === "committee" ? "committee member" : "leader")} trained: ${pct}%`;
}

/** The reminders page's form: who to remind, and whether to copy presidents. The interval is the rule's default. */
export const REMINDER_INTERVAL_DAYS = 7;

const personIdSchema = z.coerce.number().int().positive();

export const ReminderRequestSchema = z
  .object({
    intent: z.enum(["review", "send"]).default("review"),
    year: StartYearSchema,
    to: z.enum(["overdue", "group", "chosen"], { error: "Choose who to remind" }),
    group: z.string().trim().max(120).optional(),
    personId: z.array(personIdSchema).max(20_000).optional(),
    copyPresidents: CheckboxSchema.default(false),
  })
  .superRefine((v, ctx) => {
    if (v.to === "group" && !v.group) ctx.addIssue({ code: "custom", path: ["group"], message: "Choose a group" });
    if (v.to === "chosen" && !v.personId?.length) {
      ctx.addIssue({ code: "custom", path: ["to"], message: "Nobody was chosen: tick people on the leaders list first" });
    }
  });

/** What happened when reminders were sent, in a sentence or three for the page that follows. */
export function reminderResultMessage(
  result: { sent: unknown[]; skippedRecent: unknown[]; skippedNothingDue: unknown[]; presidentsCopied: number },
  intervalDays = REMINDER_INTERVAL_DAYS,
): string {
  const parts = [result.sent.length ? `Sent ${plural(result.sent.length, "reminder")}.` : "Sent no reminders."];
  if (result.skippedRecent.length) parts.push(`Skipped ${plural(result.skippedRecent.length, "leader")} reminded in the last ${plural(intervalDays, "day")}.`);
  if (result.skippedNothingDue.length) parts.push(`Skipped ${plural(result.skippedNothingDue.length, "leader")} with nothing due.`);
  if (result.presidentsCopied) parts.push(`Copied ${plural(result.presidentsCopied, "president")}.`);
  return parts.join(" ");
}
