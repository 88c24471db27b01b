import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { notFound, requirePermission } from "#app/auth/guards.server.ts";
import { rosterMembers } from "#app/compliance/roster.server.ts";
import { dashboardSearch, groupKind, groupPath, groupStatusLine, leaderPath, parseDashboardQuery, percent } from "#app/compliance/dashboard.ts";
import { chooseLeaderYear, dashboardPage, findGroup } from "#app/compliance/dashboard.server.ts";
import { YearPicker } from "#app/compliance/leader-ui.tsx";
import { LeaderStatusBadge } from "#app/compliance/status-badges.tsx";
import { Pager } from "#app/components/pager.tsx";
import { Button, ButtonLink, buttonClass } from "#app/components/button.tsx";
import { CELLS, DataTable, Th } from "#app/components/data-table.tsx";
import { Card, EmptyState, PageHeader } from "#app/components/layout.tsx";
import { getDb } from "#app/db.server.ts";
import { formatDay } from "#app/utils/dates.ts";
import { useHydrated } from "#app/utils/use-hydrated.ts";
import { nounFor } from "#app/utils/plural.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.groupName ?? "Group"}: leader training · NeverOK Training` }];

export const headers: HeadersFunction = () => ({ "Cache-Control": "no-store" });

/** Members a page: a committee fits on one, a city-wide scheme's hundreds of captains do not. */
const GROUP_PAGE_SIZE = 50;

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "manage:leaders");
  const groupName = (params.group ?? "").trim();
  const db = getDb();
  const group = groupName ? await findGroup(db, groupName) : null;
  if (!group) throw notFound("No roster has a group by that name.");
  const query = parseDashboardQuery(new URL(request.url).searchParams);
  const { years, year } = await chooseLeaderYear(db, query.year);
  if (!year) throw notFound("No roster has a group by that name.");

  // Everyone in the group for its figures, presidents and who is still to do; a page of them in full.
  const filters = { group: groupName, sort: "status" } as const;
  const [{ report, page }, everyone] = await Promise.all([
    dashboardPage(db, year.startYear, filters, query.page, { size: GROUP_PAGE_SIZE }),
    rosterMembers(db, year.startYear, { filters }),
  ]);
  const counts = report.summary.byGroup.find((g) => g.groupName === groupName) ?? { total: 0, compliant: 0, overdue: 0, due_soon: 0, due: 0, ended: 0 };
  const liveRoles = [...new Set(everyone.filter((r) => r.status !== "ended").map((r) => r.roleName))];
  const kind = groupKind(group.organisation?.kind ?? null, liveRoles);
  const stillToDo = [...new Set(everyone.filter((r) => r.personStatus !== "compliant" && r.personStatus !== "ended").map((r) => r.personId))];
  return {
    groupName,
    organisation: group.organisation,
    otherYears: group.years.filter((y) => y !== year.startYear),
    years,
    year: report.year,
    asOf: report.asOf,
    kind,
    statusLine: groupStatusLine(kind, counts),
    counts,
    presidents: [...new Set(everyone.filter((r) => r.isPresident && r.status !== "ended").map((r) => r.name))],
    page,
    stillToDo,
    members: report.rows.map((r) => ({
      appointmentId: r.appointmentId,
      personId: r.personId,
      name: r.name,
      email: r.email,
      roleName: r.roleName,
      isPresident: r.isPresident,
      status: r.status,
      dueOn: r.dueOn,
      endedOn: r.endedOn,
      missing: r.missing,
    })),
  };
}

export default function GroupPage() {
  const { groupName, organisation, years, year, asOf, kind, statusLine, counts, presidents, stillToDo, members, page } = useLoaderData<typeof loader>();
  const hydrated = useHydrated();
  const live = counts.total - counts.ended;
  const people = kind === "venue" ? "Staff" : kind === "committee" ? "Committee" : "Members";
  return (
    <>
      <PageHeader
        title={groupName}
        description={
          <>
            Leader training, {year.label} roster · as of {formatDay(asOf)}
            {presidents.length ? ` · ${nounFor(presidents.length, "President")}: ${presidents.join(", ")}` : ""}
            {organisation && organisation.name !== groupName ? ` · ${organisation.name}` : ""}
          </>
        }
        actions={
          <div className="no-print flex flex-col gap-3 sm:flex-row sm:items-end">
            <YearPicker years={years} value={year.startYear} />
            {hydrated ? (
              <Button type="button" variant="secondary" onClick={() => window.print()}>
                Print
              </Button>
            ) : null}
            <a href={`/officer/leaders/export${dashboardSearch({ year: year.startYear, group: groupName })}`} download className={buttonClass("secondary")}>
              Download CSV
            </a>
          </div>
        }
      />

      <p className="no-print mb-4 text-sm">
        <Link to={`/officer/leaders${dashboardSearch({ year: year.startYear, group: groupName })}`}>All leaders, filtered to {groupName}</Link>
      </p>

      <Card className="mb-6">
        <h2 className="sr-only">Where {groupName} stands</h2>
        <p className="text-2xl font-bold text-slate-900" data-testid="group-status">
          {statusLine}
        </p>
        {live > 0 ? (
          <>
            <div aria-hidden="true" className="mt-3 h-3 max-w-xl overflow-hidden rounded-full bg-slate-200">
              <div className="h-full rounded-full bg-green-700" style={{ width: `${percent(counts.compliant, live)}%` }} />
            </div>
            <dl className="mt-4 grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
              {[
                ["Trained", counts.compliant],
                ["Overdue", counts.overdue],
                ["Due soon", counts.due_soon],
                ["Due", counts.due],
              ].map(([label, n]) => (
                <div key={label} className="rounded-md bg-slate-50 p-3 ring-1 ring-slate-200">
                  <dt className="text-slate-700">{label}</dt>
                  <dd className="text-xl font-bold text-slate-900">{n}</dd>
                </div>
              ))}
            </dl>
          </>
        ) : null}
        {stillToDo.length ? (
          <Form method="post" action="/officer/reminders" className="no-print mt-4">
            <input type="hidden" name="year" value={year.startYear} />
            <input type="hidden" name="to" value="chosen" />
            {stillToDo.map((id) => (
              <input key={id} type="hidden" name="personId" value={id} />
            ))}
            <Button type="submit" name="intent" value="review">
              Remind the {stillToDo.length} still to do…
            </Button>
          </Form>
        ) : null}
      </Card>

      <section aria-labelledby="members-heading">
        <h2 id="members-heading" className="mb-3 text-xl font-semibold text-slate-900">
          {people} <span className="text-slate-600">({page.total.toLocaleString("en-GB")})</span>
        </h2>
        {page.total === 0 ? (
          <EmptyState>
            Nobody in {groupName} is on the {year.label} roster.{" "}
            <ButtonLink to={`/officer/leaders?year=${year.startYear}`} variant="ghost">
              Back to all leaders
            </ButtonLink>
          </EmptyState>
        ) : (
          <DataTable
            bodyClassName={CELLS}
            caption={`${people} of ${groupName}, ${year.label}, worst first${page.pages > 1 ? `, ${page.first} to ${page.last} of ${page.total}` : ""}`}
            head={
              <>
                <Th>Name</Th>
                <Th className="hidden sm:table-cell">Role</Th>
                <Th>Status</Th>
                <Th className="hidden sm:table-cell">Still to do</Th>
              </>
            }
          >
            {members.map((m) => {
              const toDo = m.status === "ended" || m.missing.length === 0 ? null : m.missing.join(", ");
              return (
                <tr key={m.appointmentId}>
                  <td>
                    <Link to={leaderPath(m.personId, year.startYear)} className="font-semibold">
                      {m.name}
                    </Link>
                    <span className="hidden break-all text-xs text-slate-600 sm:block">{m.email}</span>
                    <span className="mt-1 block text-slate-700 sm:hidden">
                      {m.roleName}
                      {m.isPresident ? " (president)" : ""}
                    </span>
                  </td>
                  <td className="hidden sm:table-cell">
                    {m.roleName}
                    {m.isPresident ? <span className="block text-xs font-semibold text-slate-700">President</span> : null}
                  </td>
                  <td>
                    <LeaderStatusBadge status={m.status} />
                    {m.status === "compliant" ? null : (
                      <span className="mt-1 block text-xs text-slate-700 sm:whitespace-nowrap">
                        {m.status === "ended" ? `Ended ${formatDay(m.endedOn!)}` : `Due ${formatDay(m.dueOn)}`}
                      </span>
                    )}
                    {toDo ? <span className="mt-1 block text-xs text-slate-700 sm:hidden">Needs {toDo}</span> : null}
                  </td>
                  <td className="hidden sm:table-cell">{toDo ?? <span className="text-slate-600">Nothing</span>}</td>
                </tr>
              );
            })}
          </DataTable>
        )}
        {page.pages > 1 ? (
          <Pager
            page={page}
            noun={people.toLowerCase()}
            className="no-print"
            hrefFor={(p) => `${groupPath(groupName, year.startYear)}${p > 1 ? `&page=${p}` : ""}`}
          />
        ) : null}
      </section>
    </>
  );
}
