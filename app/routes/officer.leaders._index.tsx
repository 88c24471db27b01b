import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { requirePermission } from "#app/auth/guards.server.ts";
import {
  complianceFilter,
  dashboardSearch,
  GROUP_CHOICES_MAX,
  groupPath,
  groupsToShow,
  leaderPath,
  parseDashboardQuery,
  percent,
  type DashboardQuery,
} from "#app/compliance/dashboard.ts";
import { chooseLeaderYear, dashboardPage, groupNamesForYear } from "#app/compliance/dashboard.server.ts";
import type { PageWindow } from "#app/utils/paging.ts";
import { asOfDate } from "#app/compliance/facts.server.ts";
import { PercentBar, StatusBadge, YearPicker } from "#app/compliance/leader-ui.tsx";
import { LinkList } from "#app/components/link-list.tsx";
import { Pager } from "#app/components/pager.tsx";
import { nextInductionSessions } from "#app/compliance/reminders.server.ts";
import { listLeaderRoles } from "#app/compliance/roles.server.ts";
import { DUE_SOON_DAYS, LATE_APPOINTMENT_DAYS, STATUS_LABELS } from "#app/compliance/rules.ts";
import { COMPLIANCE_SORTS, type ComplianceSort } from "#app/compliance/schemas.ts";
import { Button, ButtonLink, buttonClass } from "#app/components/button.tsx";
import { CELLS, DataTable, Th } from "#app/components/data-table.tsx";
import { FilterSearch, FilterSelect } from "#app/components/filters.tsx";
import { Badge, Card, EmptyState, PageHeader, StatCard } from "#app/components/layout.tsx";
import { getDb } from "#app/db.server.ts";
import { formatDay, formatRange } from "#app/utils/dates.ts";
import { useHydrated } from "#app/utils/use-hydrated.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Leader training${data && "year" in data && data.year ? ` ${data.year.label}` : ""} · NeverOK Training` },
];

// Names, emails and training records of students.
export const headers: HeadersFunction = () => ({ "Cache-Control": "no-store" });

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "manage:leaders");
  const query = parseDashboardQuery(new URL(request.url).searchParams);
  const db = getDb();
  const { years, year } = await chooseLeaderYear(db, query.year);
  if (!year) return { state: "no-roster" as const };

  const roles = await listLeaderRoles(db, { includeArchived: true });
  const courseIds = [...new Set(roles.flatMap((r) => r.requirements.map((q) => q.courseId)))];
  const [{ report, page }, groups, sessions] = await Promise.all([
    // Every appointment's status is worked out for the counts; only the page shown is built in full.
    dashboardPage(db, year.startYear, complianceFilter(query), query.page),
    groupNamesForYear(db, year.startYear),
    nextInductionSessions(db, courseIds, 3),
  ]);
  const rows = report.rows.map((r) => ({
    appointmentId: r.appointmentId,
    personId: r.personId,
    name: r.name,
    // The table shows no email: it stays on the server.
    roleName: r.roleName,
    groupName: r.groupName,
    isPresident: r.isPresident,
    status: r.status,
    personStatus: r.personStatus,
    dueOn: r.dueOn,
    endedOn: r.endedOn,
    missing: r.missing,
    lastRemindedAt: r.lastRemindedAt,
  }));
  return {
    state: "ready" as const,
    query: { ...query, year: year.startYear, page: page.current },
    years,
    year: report.year,
    asOf: report.asOf,
    /** A year that is over is shown as it stood on its last day. */
    yearOver: report.asOf < asOfDate(),
    page,
    rows,
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

const SORT_LABELS: Record<ComplianceSort, string> = {
  status: "Status, worst first",
  name: "Name",
  role: "Role",
  group: "Group",
  due: "Due date",
};

export default function LeadersDashboard() {
  const data = useLoaderData<typeof loader>();
  if (data.state === "no-roster") {
    return (
      <>
        <PageHeader title="Leader training" description="Who among the student leaders has done the training their role requires." />
        <EmptyState>
          There is no roster yet.{" "}
          <Link to="/officer/roles" className="underline">
            Set up the academic year and its roles
          </Link>
          , then{" "}
          <Link to="/officer/roster/import" className="underline">
            import the roster
          </Link>
          .
        </EmptyState>
      </>
    );
  }
  const { query, years, year, asOf, yearOver, page, rows, summary, byGroup, roles, groups, sessions } = data;
  const o = summary.overall;
  const live = o.total - o.ended;
  const narrowed = Boolean(query.role || query.group || query.q);
  const here = (changes: Partial<Record<keyof DashboardQuery, string | number | undefined>>) => `/officer/leaders${dashboardSearch(query, changes)}`;
  const exportHref = `/officer/leaders/export${dashboardSearch({ ...query, page: 1, groups: undefined })}`;

  return (
    <>
      <PageHeader
        title="Leader training"
        description={
          <>
            {year.label} roster · training due by {formatDay(year.deadline)}
            {yearOver ? ` · as it stood on ${formatDay(asOf)}` : ""}
          </>
        }
        actions={
          <div className="flex flex-col gap-3 sm:flex-row sm:items-end">
            <YearPicker years={years} value={year.startYear} />
            {/* A year that is over is for looking back; reminders are for the current one. */}
            {yearOver ? null : <ButtonLink to={`/officer/reminders?year=${year.startYear}`}>Send reminders</ButtonLink>}
          </div>
        }
      />

      <section aria-labelledby="headline-heading" className="mb-8">
        <h2 id="headline-heading" className="sr-only">
          Where the year stands
        </h2>
        {narrowed ? (
          <p className="mb-3 text-sm text-slate-700">
            Figures for the leaders matching the role, group or search below.{" "}
            <Link to={here({ role: undefined, group: undefined, q: undefined, page: 1 })} className="underline">
              Show everyone
            </Link>
          </p>
        ) : null}
        <div className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
          <StatCard
            label="Compliant"
            value={o.percentCompliant === null ? "—" : `${percent(o.compliant, live)}%`}
            hint={`${o.compliant.toLocaleString("en-GB")} of ${live.toLocaleString("en-GB")} leaders`}
            to={here({ status: "compliant", page: 1 })}
          />
          <StatCard label="Overdue" value={o.overdue.toLocaleString("en-GB")} hint="Past their due date" to={here({ status: "overdue", page: 1 })} />
          <StatCard
            label="Due soon"
            value={o.due_soon.toLocaleString("en-GB")}
            hint={`Within ${DUE_SOON_DAYS} days`}
            to={here({ status: "due_soon", page: 1 })}
          />
          <StatCard label="Due" value={o.due.toLocaleString("en-GB")} hint="Still in time" to={here({ status: "due", page: 1 })} />
          <StatCard label="Role ended" value={o.ended.toLocaleString("en-GB")} hint="Not counted" to={here({ status: "ended", page: 1 })} />
          <StatCard
            label="Deadline"
            value={<span className="block pt-1 text-lg leading-snug">{formatDay(year.deadline)}</span>}
            hint={`Appointed late: ${LATE_APPOINTMENT_DAYS / 7} weeks from the start`}
          />
        </div>
      </section>

      <LinkList className="mb-8 grid gap-6 lg:grid-cols-2">
        <Card title="By role" className="min-w-0">
          {summary.byRole.length === 0 ? (
            <EmptyState>Nobody matches.</EmptyState>
          ) : (
            <BreakdownTable
              caption="Compliance by role"
              first="Role"
              rows={summary.byRole.map((r) => ({
                key: String(r.roleId),
                label: <a href={here({ role: r.roleId, page: 1 })}>{r.roleName}</a>,
                counts: r,
              }))}
            />
          )}
        </Card>
        <Card title="By group" className="min-w-0">
          {byGroup.shown.length === 0 ? (
            <EmptyState>Nobody matches.</EmptyState>
          ) : (
            <>
              {byGroup.mostBehind ? (
                <p className="mb-2 text-sm text-slate-700">
                  The {byGroup.shown.length} groups most behind, of {byGroup.total.toLocaleString("en-GB")}.{" "}
                  <Link to={`${here({ groups: "all" })}#by-group`} className="underline">
                    Show every group
                  </Link>
                </p>
              ) : null}
              <div
                id="by-group"
                role="region"
                aria-label="Compliance by group, scrolls"
                tabIndex={0}
                className="max-h-[26rem] overflow-y-auto focus-visible:ring-2 focus-visible:ring-brand-700"
              >
                <BreakdownTable
                  caption={byGroup.mostBehind ? "Compliance in the groups most behind" : "Compliance by group"}
                  first="Group"
                  rows={byGroup.shown.map((g) => ({
                    key: g.groupName || "(none)",
                    label: g.groupName ? <a href={groupPath(g.groupName, year.startYear)}>{g.groupName}</a> : <span className="text-slate-700">No group</span>,
                    counts: g,
                  }))}
                />
              </div>
            </>
          )}
        </Card>
      </LinkList>

      <Filters query={query} roles={roles} groups={groups} />

      {/* The sessions come first for a phone, and sit beside the list on a wide screen. */}
      <div className="grid gap-6 lg:grid-cols-4">
        <aside aria-labelledby="sessions-heading" className="lg:col-start-4 lg:row-start-1">
          <Card>
            <h2 id="sessions-heading" className="text-lg font-semibold text-slate-900">
              Next induction sessions
            </h2>
            <p className="mt-1 text-sm text-slate-700">Open sessions with places left. Reminders link to them.</p>
            {sessions.length === 0 ? (
              <p className="mt-3 text-sm text-slate-700">No open session has places left. Ask the training coordinator to open one.</p>
            ) : (
              <ul className="mt-3 divide-y divide-slate-100">
                {sessions.map((s) => (
                  <li key={s.id} className="py-3">
                    <Link to={`/sessions/open/${s.id}`} className="font-semibold">
                      {s.title}
                    </Link>
                    <p className="text-sm text-slate-800">{formatRange(s.startsAt, s.endsAt)}</p>
                    <p className="text-sm text-slate-700">{s.where}</p>
                    <p className="mt-1">
                      <Badge tone={s.seatsLeft <= 5 ? "amber" : "green"}>
                        {s.seatsLeft} {s.seatsLeft === 1 ? "place" : "places"} left
                      </Badge>
                      {s.title !== s.courseName ? <span className="ml-2 text-sm text-slate-700">{s.courseName}</span> : null}
                    </p>
                  </li>
                ))}
              </ul>
            )}
          </Card>
        </aside>
        <section aria-labelledby="leaders-heading" className="min-w-0 lg:col-span-3 lg:col-start-1 lg:row-start-1">
          <LeaderList query={query} rows={rows} page={page} here={here} exportHref={exportHref} canRemind={!yearOver} />
        </section>
      </div>
    </>
  );
}

interface Counts {
  total: number;
  compliant: number;
  overdue: number;
  ended: number;
}

function BreakdownTable({ caption, first, rows }: { caption: string; first: string; rows: { key: string; label: ReactNode; counts: Counts }[] }) {
  return (
    <table className="min-w-full text-left text-sm">
      <caption className="sr-only">{caption}</caption>
      <thead className="sticky top-0 bg-white text-xs font-semibold text-slate-700 sm:uppercase sm:tracking-wide">
        <tr>
          <th scope="col" className="py-2 pr-3">
            {first}
          </th>
          <th scope="col" className="px-1 py-2 text-right sm:px-2">
            Leaders
          </th>
          <th scope="col" className="px-1 py-2 text-right sm:px-2">
            Overdue
          </th>
          <th scope="col" className="py-2 pl-2 sm:w-2/5">
            Compliant
          </th>
        </tr>
      </thead>
      {/* The cells' look is the `breakdown` classes in tailwind.css: a city's groups make a long table. */}
      <tbody className="breakdown divide-y divide-slate-100">
        {rows.map(({ key, label, counts }) => {
          const live = counts.total - counts.ended;
          return (
            <tr key={key}>
              <td>{label}</td>
              <td>{live.toLocaleString("en-GB")}</td>
              <td className={counts.overdue ? "behind" : undefined}>{counts.overdue.toLocaleString("en-GB")}</td>
              <td>
                <PercentBar compact value={percent(counts.compliant, live)} label={<span className="sr-only">{`(${counts.compliant} of ${live})`}</span>} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function Filters({ query, roles, groups }: { query: DashboardQuery; roles: { id: number; name: string; isArchived: boolean }[]; groups: string[] | null }) {
  return (
    // Keyed on the query, so the fields show the filters in force after a link changes them.
    <Form
      key={dashboardSearch(query)}
      method="get"
      role="search"
      aria-label="Filter the leaders"
      className="no-print mb-4 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200"
    >
      <input type="hidden" name="year" value={query.year} />
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-6 lg:items-end">
        <div className="sm:col-span-2 lg:col-span-2">
          <FilterSearch name="q" label="Search by name, email, student ID or group" value={query.q} />
        </div>
        <FilterSelect
          name="role"
          label="Role"
          value={query.role ? String(query.role) : undefined}
          anyLabel="Any role"
          options={roles.map((r) => ({ value: String(r.id), label: r.isArchived ? `${r.name} (archived)` : r.name }))}
        />
        {groups ? (
          <FilterSelect name="group" label="Group" value={query.group} anyLabel="Any group" options={groups.map((g) => ({ value: g, label: g }))} />
        ) : (
          <div>
            <label htmlFor="group" className="block text-sm font-semibold text-slate-900">
              Group (full name)
            </label>
            <input
              id="group"
              name="group"
              type="search"
              defaultValue={query.group ?? ""}
              className="mt-1.5 block w-full rounded-md border-0 px-3 py-2.5 ring-1 ring-inset ring-slate-400 focus:ring-2 focus:ring-brand-700"
            />
          </div>
        )}
        <FilterSelect
          name="status"
          label="Status"
          value={query.status}
          anyLabel="Any status"
          options={(["overdue", "due_soon", "due", "compliant", "ended"] as const).map((s) => ({ value: s, label: STATUS_LABELS[s] }))}
        />
        <div>
          <label htmlFor="sort" className="block text-sm font-semibold text-slate-900">
            Sort by
          </label>
          <select
            id="sort"
            name="sort"
            defaultValue={query.sort}
            className="mt-1.5 block w-full rounded-md border-0 px-3 py-2.5 ring-1 ring-inset ring-slate-400 focus:ring-2 focus:ring-brand-700"
          >
            {COMPLIANCE_SORTS.map((s) => (
              <option key={s} value={s}>
                {SORT_LABELS[s]}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="mt-3 flex flex-wrap items-center gap-3">
        <Button type="submit" variant="secondary">
          Filter
        </Button>
        {query.q || query.role || query.group || query.status || query.sort !== "status" ? (
          <Link to={`/officer/leaders?year=${query.year}`} className="text-sm font-semibold">
            Clear the filters
          </Link>
        ) : null}
      </div>
    </Form>
  );
}

type Row = {
  appointmentId: number;
  personId: number;
  name: string;
  roleName: string;
  groupName: string;
  isPresident: boolean;
  status: keyof typeof STATUS_LABELS;
  personStatus: keyof typeof STATUS_LABELS;
  dueOn: string;
  endedOn: string | null;
  missing: string[];
  lastRemindedAt: string | null;
};

const REMIND_FORM = "remind-chosen";
const remindBoxes = (table: HTMLElement | null) => [...(table?.querySelectorAll<HTMLInputElement>(`input[form="${REMIND_FORM}"][name="personId"]`) ?? [])];
/** How many people are chosen: a person with several rows counts once. */
const chosenIn = (table: HTMLElement | null) =>
  new Set(
    remindBoxes(table)
      .filter((b) => b.checked)
      .map((b) => b.value),
  ).size;

function LeaderList({
  query,
  rows,
  page,
  here,
  exportHref,
  canRemind,
}: {
  canRemind: boolean;
  query: DashboardQuery;
  rows: Row[];
  page: PageWindow;
  here: (changes: Partial<Record<keyof DashboardQuery, string | number | undefined>>) => string;
  exportHref: string;
}) {
  const hydrated = useHydrated();
  const [chosen, setChosen] = useState(0);
  const tableRef = useRef<HTMLDivElement>(null);
  const recount = () => setChosen(chosenIn(tableRef.current));
  // Boxes ticked before the page came to life, or kept by the browser on going back, count too.
  useEffect(() => {
    setChosen(chosenIn(tableRef.current));
  }, [rows]);
  const choosable = canRemind ? rows.filter((r) => r.personStatus !== "compliant" && r.personStatus !== "ended") : [];
  const allChosen = hydrated && choosable.length > 0 && chosen === new Set(choosable.map((r) => r.personId)).size;

  const sortHeader = (sort: ComplianceSort, label: string, className = "") => (
    <th scope="col" className={`px-3 py-3 ${className}`} aria-sort={query.sort === sort ? "ascending" : undefined}>
      <Link to={here({ sort, page: 1 })} className="text-slate-800 underline decoration-slate-400 underline-offset-2">
        {label}
        {query.sort === sort ? <span aria-hidden="true"> ▾</span> : null}
      </Link>
    </th>
  );

  return (
    <>
      <div className="mb-3 flex flex-col gap-3 sm:flex-row sm:items-end sm:justify-between">
        <div>
          <h2 id="leaders-heading" className="text-xl font-semibold text-slate-900">
            {query.status ? `${STATUS_LABELS[query.status]}: ` : ""}Leaders <span className="text-slate-600">({page.total.toLocaleString("en-GB")})</span>
          </h2>
          <p className="text-sm text-slate-700">Sorted by {SORT_LABELS[query.sort].toLowerCase()}. One line per person per role.</p>
        </div>
        <div className="no-print flex flex-wrap gap-2">
          <a href={exportHref} download className={buttonClass("secondary")}>
            Download CSV
          </a>
          {canRemind ? (
            <Form method="post" action="/officer/reminders" id={REMIND_FORM}>
              <input type="hidden" name="year" value={query.year} />
              <input type="hidden" name="to" value="chosen" />
              <Button type="submit" name="intent" value="review" disabled={hydrated && chosen === 0}>
                Remind the chosen{hydrated ? ` (${chosen})` : ""}…
              </Button>
            </Form>
          ) : null}
        </div>
      </div>
      {rows.length === 0 ? (
        <EmptyState>
          {page.first === 0 ? "Nobody matches. Try another search, or clear the filters." : "There is nothing on this page."}{" "}
          {page.current > 1 ? (
            <Link to={here({ page: 1 })} className="underline">
              Go to the first page
            </Link>
          ) : null}
        </EmptyState>
      ) : (
        <LinkList>
          <div ref={tableRef} onChange={recount}>
            <DataTable
              bodyClassName={CELLS}
              caption={`Leaders sorted by ${SORT_LABELS[query.sort].toLowerCase()}, ${page.first} to ${page.last} of ${page.total}`}
              head={
                <>
                  {canRemind ? (
                    <th scope="col" className="no-print w-10 px-3 py-3">
                      {hydrated && choosable.length ? (
                        <input
                          type="checkbox"
                          aria-label="Choose everyone on this page who still has training to do"
                          className="h-5 w-5 accent-brand-700"
                          checked={allChosen}
                          onChange={(e) => {
                            for (const b of remindBoxes(tableRef.current)) b.checked = e.currentTarget.checked;
                            recount();
                          }}
                        />
                      ) : (
                        <span className="sr-only">Choose</span>
                      )}
                    </th>
                  ) : null}
                  {sortHeader("name", "Leader")}
                  {sortHeader("role", "Role", "col-md")}
                  {sortHeader("group", "Group", "col-md")}
                  {sortHeader("status", "Status")}
                  <Th className="col-md">Still to do</Th>
                  <Th className="col-xl">Last reminded</Th>
                </>
              }
            >
              {rows.map((r) => {
                const choosable = r.personStatus !== "compliant" && r.personStatus !== "ended";
                const missing = r.status === "ended" ? "" : r.missing.join(", ");
                return (
                  <tr key={r.appointmentId}>
                    {canRemind ? (
                      <td className="no-print">
                        {choosable ? (
                          <input
                            type="checkbox"
                            form={REMIND_FORM}
                            name="personId"
                            value={r.personId}
                            aria-label={`Choose ${r.name} (${r.roleName})`}
                            className="h-5 w-5 accent-brand-700"
                          />
                        ) : null}
                      </td>
                    ) : null}
                    <td>
                      <a href={leaderPath(r.personId, query.year)} className="font-semibold md:whitespace-nowrap">
                        {r.name}
                      </a>
                      <span className="cell-note phone text-sm">{r.groupName ? `${r.roleName} · ${r.groupName}` : r.roleName}</span>
                    </td>
                    <td className="col-md">
                      {r.roleName}
                      {r.isPresident ? <span className="cell-note font-semibold">President</span> : null}
                    </td>
                    <td className="col-md">
                      {r.groupName ? <a href={groupPath(r.groupName, query.year)}>{r.groupName}</a> : <span className="muted">—</span>}
                    </td>
                    <td>
                      <StatusBadge status={r.status} />
                      {r.status === "compliant" ? null : (
                        <span className="cell-note md:whitespace-nowrap">
                          {r.status === "ended" ? `Ended ${formatDay(r.endedOn!)}` : `Due ${formatDay(r.dueOn)}`}
                        </span>
                      )}
                      {missing ? <span className="cell-note phone">{`Needs ${missing}`}</span> : null}
                    </td>
                    <td className="col-md">{missing || <span className="muted">Nothing</span>}</td>
                    <td className="col-xl whitespace-nowrap">{r.lastRemindedAt ? formatDay(r.lastRemindedAt) : <span className="muted">Never</span>}</td>
                  </tr>
                );
              })}
            </DataTable>
          </div>
        </LinkList>
      )}
      <Pager page={page} noun="leaders" className="no-print" hrefFor={(p) => here({ page: p })} />
    </>
  );
}
