import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { Badge, Card, EmptyState, StatCard } from "#app/components/layout.tsx";
import { LinkList } from "#app/components/link-list.tsx";
import { formatDay, formatRange } from "#app/utils/dates.ts";
import { dashboardPath, groupPath, percent } from "./dashboard.ts";
import type { LeadersPage } from "./leaders-page.server.ts";
import { PercentBar } from "./leader-ui.tsx";
import { DUE_SOON_DAYS, LATE_APPOINTMENT_DAYS } from "./rules.ts";
import { countOf, plural } from "#app/utils/plural.ts";

/** The figures at the top of the leaders dashboard, the breakdowns by role and group, and the next induction sessions. */

/** Where the year stands, each figure a link to the leaders it counts. */
export function YearFigures({ query, summary, deadline }: { query: LeadersPage["query"]; summary: LeadersPage["summary"]; deadline: string }) {
  const o = summary.overall;
  const live = o.total - o.ended;
  const narrowed = Boolean(query.role || query.group || query.q);
  const byStatus = (status: string) => dashboardPath(query, { status, page: 1 });
  return (
    <section aria-labelledby="headline-heading" className="mb-8">
      <h2 id="headline-heading" className="sr-only">
        Where the year stands
      </h2>
      {narrowed ? (
        <p className="mb-3 text-sm text-slate-700">
          Figures for the leaders matching the role, group or search below.{" "}
          <Link to={dashboardPath(query, { role: undefined, group: undefined, q: undefined, page: 1 })} className="underline">
            Show everyone
          </Link>
        </p>
      ) : null}
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
        <StatCard
          label="Compliant"
          value={o.percentCompliant === null ? "—" : `${percent(o.compliant, live)}%`}
          hint={countOf(o.compliant, live, "leader")}
          to={byStatus("compliant")}
        />
        <StatCard label="Overdue" value={o.overdue.toLocaleString("en-GB")} hint="Past their due date" to={byStatus("overdue")} />
        <StatCard label="Due soon" value={o.due_soon.toLocaleString("en-GB")} hint={`Within ${DUE_SOON_DAYS} days`} to={byStatus("due_soon")} />
        <StatCard label="Due" value={o.due.toLocaleString("en-GB")} hint="Still in time" to={byStatus("due")} />
        <StatCard label="Role ended" value={o.ended.toLocaleString("en-GB")} hint="Not counted" to={byStatus("ended")} />
        <StatCard
          label="Deadline"
          value={<span className="block pt-1 text-lg leading-snug">{formatDay(deadline)}</span>}
          hint={`Appointed late: ${LATE_APPOINTMENT_DAYS / 7} weeks from the start`}
        />
      </div>
    </section>
  );
}

/** Compliance by role and by group; a city's groups are cut to those most behind unless all are asked for. */
export function Breakdowns({ query, summary, byGroup }: { query: LeadersPage["query"]; summary: LeadersPage["summary"]; byGroup: LeadersPage["byGroup"] }) {
  return (
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
              label: <a href={dashboardPath(query, { role: r.roleId, page: 1 })}>{r.roleName}</a>,
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
                The {plural(byGroup.shown.length, "group")} most behind, of {byGroup.total.toLocaleString("en-GB")}.{" "}
                <Link to={`${dashboardPath(query, { groups: "all" })}#by-group`} className="underline">
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
                  label: g.groupName ? <a href={groupPath(g.groupName, query.year)}>{g.groupName}</a> : <span className="text-slate-700">No group</span>,
                  counts: g,
                }))}
              />
            </div>
          </>
        )}
      </Card>
    </LinkList>
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

/** Open sessions with places left, which reminders link to. */
export function NextSessionsCard({ sessions }: { sessions: LeadersPage["sessions"] }) {
  return (
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
                <Badge tone={s.seatsLeft <= 5 ? "amber" : "green"}>{plural(s.seatsLeft, "place")} left</Badge>
                {s.title !== s.courseName ? <span className="ml-2 text-sm text-slate-700">{s.courseName}</span> : null}
              </p>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
