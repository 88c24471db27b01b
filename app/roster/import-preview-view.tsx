import type { ReactNode } from "react";
import { Badge, Card } from "#app/components/layout.tsx";
import { formatDay } from "#app/utils/dates.ts";
import type { RosterChange, RosterField, RosterPreview, RosterRowPreview } from "#app/compliance/roster-import.server.ts";

/** The preview of a roster import, section by section: errors, changes, additions, rows left alone. */

export const ROSTER_FIELD_LABELS: Record<RosterField, string> = {
  name: "Name",
  firstName: "First name",
  lastName: "Last name",
  email: "Email",
  studentId: "Student ID",
  role: "Role",
  group: "Group",
  president: "President",
  startedOn: "Start date",
};

const CHANGE_LABELS: Record<RosterChange["field"], string> = { name: "Name", studentId: "Student ID", isPresident: "President", startedOn: "Start date" };

/** A long file lists this many rows of each kind that needs no attention; errors and changes are always listed in full. */
export const PREVIEW_LIST_LIMIT = 1000;

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString("en-GB")} ${n === 1 ? one : many}`;

function changeValue(field: RosterChange["field"], value: string | null) {
  if (value === null || value === "") return <em className="text-slate-600">none</em>;
  return field === "startedOn" ? formatDay(value) : value;
}

function Leader({ row }: { row: RosterRowPreview }) {
  return (
    <>
      <span className="block font-medium text-slate-900">{row.name || <em className="text-slate-600">no name</em>}</span>
      <span className="block text-slate-700 [overflow-wrap:anywhere]">{row.email || <em>no email</em>}</span>
      {row.studentId ? <span className="block text-slate-700">{row.studentId}</span> : null}
    </>
  );
}

function RoleAndGroup({ row }: { row: RosterRowPreview }) {
  return (
    <>
      <span className="block">{row.roleName || <em className="text-slate-600">no role</em>}</span>
      {row.groupName ? <span className="block text-slate-700">{row.groupName}</span> : null}
      {row.isPresident ? (
        <span className="mt-1 block">
          <Badge tone="brand">President</Badge>
        </span>
      ) : null}
    </>
  );
}

function Section({ id, title, count, description, children }: { id: string; title: string; count: number; description?: ReactNode; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="space-y-3">
      <div>
        <h2 id={id} className="text-lg font-semibold text-slate-900">
          {title} ({count.toLocaleString("en-GB")})
        </h2>
        {description ? <p className="text-sm text-slate-700">{description}</p> : null}
      </div>
      {children}
    </section>
  );
}

function NotListed({ shown, total, what }: { shown: number; total: number; what: string }) {
  if (shown >= total) return null;
  return (
    <p className="text-sm text-slate-700">
      The first {shown.toLocaleString("en-GB")} are listed; {plural(total - shown, "more row")} {what}.
    </p>
  );
}

export function RosterPreviewSummary({ preview, yearLabel }: { preview: RosterPreview; yearLabel: string }) {
  const { counts } = preview;
  const stats = [
    { label: "To add", value: counts.add, tone: "text-slate-900" },
    { label: "To change", value: counts.change, tone: "text-slate-900" },
    { label: "Left alone", value: counts.unchanged, tone: "text-slate-900" },
    { label: "With errors", value: counts.error, tone: counts.error ? "text-red-800" : "text-slate-900" },
  ];
  return (
    <div className="space-y-4">
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        {stats.map((s) => (
          <div key={s.label} className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
            <dt className="text-sm font-medium text-slate-700">{s.label}</dt>
            <dd className={`mt-1 text-3xl font-bold ${s.tone}`}>{s.value.toLocaleString("en-GB")}</dd>
          </div>
        ))}
      </dl>
      <p className="text-sm text-slate-700">
        {plural(counts.total, "row")} in the file.{" "}
        {preview.notInFile > 0
          ? `${plural(preview.notInFile, "leader")} on the ${yearLabel} roster ${preview.notInFile === 1 ? "is" : "are"} not in this file; importing leaves them as they are. To end someone's role, do it from their page.`
          : null}
      </p>
    </div>
  );
}

export function RosterColumns({ preview }: { preview: RosterPreview }) {
  const used = (Object.entries(preview.columns) as [RosterField, string][]).filter(([, heading]) => heading);
  return (
    <Card title="Columns">
      <div className="grid gap-4 sm:grid-cols-2">
        <div>
          <h3 className="text-sm font-semibold text-slate-900">Read from the file</h3>
          {used.length ? (
            <ul className="mt-1 space-y-0.5 text-sm text-slate-800">
              {used.map(([field, heading]) => (
                <li key={field}>
                  “{heading}” <span className="text-slate-600">as</span> {ROSTER_FIELD_LABELS[field]}
                </li>
              ))}
            </ul>
          ) : (
            <p className="mt-1 text-sm text-slate-700">No column was recognised.</p>
          )}
        </div>
        <div>
          <h3 className="text-sm font-semibold text-slate-900">Ignored</h3>
          {preview.ignoredColumns.length ? (
            <ul className="mt-1 space-y-0.5 text-sm text-slate-800">
              {preview.ignoredColumns.map((c) => (
                <li key={c}>“{c}”</li>
              ))}
            </ul>
          ) : (
            <p className="mt-1 text-sm text-slate-700">None: every column was used.</p>
          )}
        </div>
      </div>
    </Card>
  );
}

/**
 * Rows as a list that reads as a table on a wide screen and as one card per row on a phone, where
 * a four-column table would squeeze an email address into a letter per line.
 */
function RowList({ label, columns, children }: { label: string; columns: [string, string, string]; children: ReactNode }) {
  return (
    <div className="overflow-hidden rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
      <div aria-hidden="true" className={`hidden bg-slate-50 px-4 py-3 text-xs font-semibold uppercase tracking-wide text-slate-700 sm:grid ${GRID}`}>
        <span>Row</span>
        {columns.map((c) => (
          <span key={c}>{c}</span>
        ))}
      </div>
      <ul aria-label={label} className="divide-y divide-slate-100 text-sm">
        {children}
      </ul>
    </div>
  );
}

const GRID = "sm:grid-cols-[4.5rem_minmax(0,1.2fr)_minmax(0,1fr)_minmax(0,1.3fr)] sm:gap-4";

function RowItem({ row, children }: { row: RosterRowPreview; children: [ReactNode, ReactNode, ReactNode] }) {
  return (
    <li data-row={row.row} className={`grid gap-2 px-4 py-3 text-slate-800 ${GRID}`}>
      <span className="font-semibold text-slate-900">Row {row.row}</span>
      <div>{children[0]}</div>
      <div>{children[1]}</div>
      <div>{children[2]}</div>
    </li>
  );
}

function ChangeLine({ change }: { change: RosterChange }) {
  return (
    <>
      <span className="font-medium">{CHANGE_LABELS[change.field]}:</span> {changeValue(change.field, change.from)} <span aria-hidden="true">→</span>
      <span className="sr-only">becomes</span> {changeValue(change.field, change.to)}
    </>
  );
}

export function RosterPreviewRows({ preview }: { preview: RosterPreview }) {
  const errors = preview.rows.filter((r) => r.action === "error");
  const changes = preview.rows.filter((r) => r.action === "change");
  const adds = preview.rows.filter((r) => r.action === "add");
  const unchanged = preview.rows.filter((r) => r.action === "unchanged");
  const addsShown = adds.slice(0, PREVIEW_LIST_LIMIT);
  const unchangedShown = unchanged.slice(0, PREVIEW_LIST_LIMIT);
  return (
    <div className="space-y-8">
      {errors.length ? (
        <Section
          id="rows-errors"
          title="Rows with errors"
          count={errors.length}
          description="These rows cannot be imported as they are. Row numbers are the spreadsheet's: the headings are row 1."
        >
          <RowList label="Rows with errors" columns={["Leader", "Role and group", "What is wrong"]}>
            {errors.map((r) => (
              <RowItem key={r.row} row={r}>
                <Leader row={r} />
                <RoleAndGroup row={r} />
                <ul className="space-y-0.5 font-medium text-red-800">
                  {r.errors.map((e) => (
                    <li key={e}>
                      <span aria-hidden="true">⚠ </span>
                      {e}
                    </li>
                  ))}
                </ul>
              </RowItem>
            ))}
          </RowList>
        </Section>
      ) : null}

      {changes.length ? (
        <Section id="rows-changes" title="To change" count={changes.length} description="Already on the roster; these details will be updated.">
          <RowList label="Rows that change a leader" columns={["Leader", "Role and group", "What changes"]}>
            {changes.map((r) => (
              <RowItem key={r.row} row={r}>
                <Leader row={r} />
                <RoleAndGroup row={r} />
                <>
                  <ul className="space-y-0.5">
                    {r.changes.map((c) => (
                      <li key={c.field}>
                        <ChangeLine change={c} />
                      </li>
                    ))}
                  </ul>
                  {r.note ? <p className="mt-1 text-slate-700">{r.note}</p> : null}
                </>
              </RowItem>
            ))}
          </RowList>
        </Section>
      ) : null}

      {adds.length ? (
        <Section id="rows-adds" title="To add" count={adds.length}>
          <RowList label="Rows that add a leader" columns={["Leader", "Role and group", "Starts"]}>
            {addsShown.map((r) => (
              <RowItem key={r.row} row={r}>
                <>
                  <Leader row={r} />
                  <span className="mt-1 block text-slate-700">{r.newPerson ? "New to the roster" : "Already known: a new role"}</span>
                  {r.changes.map((c) => (
                    <span key={c.field} className="block text-slate-700">
                      <ChangeLine change={c} />
                    </span>
                  ))}
                </>
                <RoleAndGroup row={r} />
                <span>
                  <span className="sm:sr-only">Starts: </span>
                  {r.startedOn ? formatDay(r.startedOn) : "The day of the import"}
                </span>
              </RowItem>
            ))}
          </RowList>
          <NotListed shown={addsShown.length} total={adds.length} what="will be added too" />
        </Section>
      ) : null}

      {unchanged.length ? (
        <Section id="rows-unchanged" title="Left alone" count={unchanged.length} description="Already on the roster exactly as the file says.">
          <details className="rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
            <summary className="cursor-pointer p-4 font-medium text-brand-800">Show the {plural(unchanged.length, "row")} left alone</summary>
            <ul aria-label="Rows left alone" className="divide-y divide-slate-100 border-t border-slate-100 text-sm">
              {unchangedShown.map((r) => (
                <li
                  key={r.row}
                  data-row={r.row}
                  className={`grid gap-1 px-4 py-3 text-slate-800 sm:grid-cols-[4.5rem_minmax(0,1.2fr)_minmax(0,1fr)_minmax(0,1.3fr)] sm:gap-4`}
                >
                  <span className="font-semibold text-slate-900">Row {r.row}</span>
                  <span>
                    <span className="block font-medium text-slate-900">{r.name}</span>
                    <span className="block text-slate-700 [overflow-wrap:anywhere]">{r.email}</span>
                  </span>
                  <span>
                    {r.roleName}
                    {r.groupName ? <span className="block text-slate-700">{r.groupName}</span> : null}
                  </span>
                  <span className="text-slate-700">{r.note}</span>
                </li>
              ))}
            </ul>
            <div className="px-4 pb-3">
              <NotListed shown={unchangedShown.length} total={unchanged.length} what="are left alone too" />
            </div>
          </details>
        </Section>
      ) : null}
    </div>
  );
}
