import { Form, Link } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { Button, buttonClass } from "#app/components/button.tsx";
import { CELLS, DataTable, Th } from "#app/components/data-table.tsx";
import { EmptyState } from "#app/components/layout.tsx";
import { LinkList } from "#app/components/link-list.tsx";
import { Pager } from "#app/components/pager.tsx";
import { formatDay } from "#app/utils/dates.ts";
import { useHydrated } from "#app/utils/use-hydrated.ts";
import { dashboardPath, dashboardSearch, groupPath, leaderPath, SORT_LABELS } from "./dashboard.ts";
import type { LeaderRow, LeadersPage } from "./leaders-page.server.ts";
import { LeaderStatusBadge } from "./status-badges.tsx";
import { STATUS_LABELS } from "./rules.ts";
import type { ComplianceSort } from "./schemas.ts";

/** The dashboard's table of leaders, one line per person per role, with boxes to choose whom to remind. */

const REMIND_FORM = "remind-chosen";
const remindBoxes = (table: HTMLElement | null) => [...(table?.querySelectorAll<HTMLInputElement>(`input[form="${REMIND_FORM}"][name="personId"]`) ?? [])];
/** How many people are chosen: a person with several rows counts once. */
const chosenIn = (table: HTMLElement | null) =>
  new Set(
    remindBoxes(table)
      .filter((b) => b.checked)
      .map((b) => b.value),
  ).size;

/** A box to choose for a reminder: the server checks again when it sends. */
const remindable = (r: LeaderRow) => r.personStatus !== "compliant" && r.personStatus !== "ended";

/** `canRemind`: only a year still running has reminders to send; a year that is over is for looking back. */
export function LeadersTable({
  query,
  rows,
  page,
  canRemind,
}: {
  query: LeadersPage["query"];
  rows: LeaderRow[];
  page: LeadersPage["page"];
  canRemind: boolean;
}) {
  const exportHref = `/officer/leaders/export${dashboardSearch({ ...query, page: 1, groups: undefined })}`;
  const hydrated = useHydrated();
  const [chosen, setChosen] = useState(0);
  const tableRef = useRef<HTMLDivElement>(null);
  const recount = () => setChosen(chosenIn(tableRef.current));
  // Boxes ticked before the page came to life, or kept by the browser on going back, count too.
  useEffect(() => {
    setChosen(chosenIn(tableRef.current));
  }, [rows]);
  const choosable = canRemind ? rows.filter(remindable) : [];
  const allChosen = hydrated && choosable.length > 0 && chosen === new Set(choosable.map((r) => r.personId)).size;

  const sortHeader = (sort: ComplianceSort, label: string, className = "") => (
    <th scope="col" className={`px-3 py-3 ${className}`} aria-sort={query.sort === sort ? "ascending" : undefined}>
      <Link to={dashboardPath(query, { sort, page: 1 })} className="text-slate-800 underline decoration-slate-400 underline-offset-2">
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
            <Link to={dashboardPath(query, { page: 1 })} className="underline">
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
                const missing = r.status === "ended" ? "" : r.missing.join(", ");
                return (
                  <tr key={r.appointmentId}>
                    {canRemind ? (
                      <td className="no-print">
                        {remindable(r) ? (
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
                      <LeaderStatusBadge status={r.status} />
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
      <Pager page={page} noun="leaders" className="no-print" hrefFor={(p) => dashboardPath(query, { page: p })} />
    </>
  );
}
