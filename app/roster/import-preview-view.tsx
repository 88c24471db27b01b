import type { ReactNode } from "react";
import { Card } from "#app/components/layout.tsx";
import type { ImportAction, ImportChange, ImportPreview, ImportRowError } from "./import.server.ts";
import { nounFor, plural } from "#app/utils/plural.ts";

/**
 * The preview of a list import, section by section: errors, changes, additions, rows left alone.
 * What a row shows (who it is about, what they are on the list as) comes from the list's own layout.
 */

/** How a list names itself in the preview. */
export interface ImportWords {
  /** One of the people on the list: "leader". */
  person: string;
  /** The list the file goes into: "the roster". */
  list: string;
  /** The same, named in full: "the 2034–35 roster". */
  thisList: string;
  /** What to do about the people a file leaves out, since importing leaves them as they are. */
  notInFileAdvice?: string;
}

/** What a row of the file shows, besides its number and what importing does with it. */
export interface ImportRowLayout<Entry, Change extends ImportChange> {
  /** The headings of the two columns that describe a row: who it is about, and what they are on the list as. */
  headings: [string, string];
  who(row: Entry): ReactNode;
  what(row: Entry): ReactNode;
  /** For a row that adds someone: a line under who they are, and the third column. */
  adding: { note(row: Entry): ReactNode; heading: string; show(row: Entry): ReactNode };
  changeLabels: Record<Change["field"], string>;
  /** A changed value as a person reads it (a date as "1 Sep 2034"); the value itself by default. */
  changeValue?(field: Change["field"], value: string): ReactNode;
}

/** A long file lists this many rows of each kind that needs no attention; errors and changes are always listed in full. */
const PREVIEW_LIST_LIMIT = 1000;

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

export function ImportSummary({ preview, words }: { preview: ImportPreview<unknown>; words: ImportWords }) {
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
          ? `${plural(preview.notInFile, words.person)} on ${words.thisList} ${nounFor(preview.notInFile, { one: "is", other: "are" })} not in this file; importing leaves them as they are.${words.notInFileAdvice ? ` ${words.notInFileAdvice}` : ""}`
          : null}
      </p>
    </div>
  );
}

/** Which heading of the file was read as which column, and which were ignored. */
export function ImportColumnsRead({ preview, labels }: { preview: ImportPreview<unknown>; labels: Record<string, string> }) {
  const used = Object.entries(preview.columns).filter((entry): entry is [string, string] => Boolean(entry[1]));
  return (
    <Card title="Columns">
      <div className="grid gap-4 sm:grid-cols-2">
        <div>
          <h3 className="text-sm font-semibold text-slate-900">Read from the file</h3>
          {used.length ? (
            <ul className="mt-1 space-y-0.5 text-sm text-slate-800">
              {used.map(([field, heading]) => (
                <li key={field}>
                  “{heading}” <span className="text-slate-600">as</span> {labels[field] ?? field}
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

const GRID = "sm:grid-cols-[4.5rem_minmax(0,1.2fr)_minmax(0,1fr)_minmax(0,1.3fr)] sm:gap-4";

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

function RowItem({ row, children }: { row: number; children: [ReactNode, ReactNode, ReactNode] }) {
  return (
    <li data-row={row} className={`grid gap-2 px-4 py-3 text-slate-800 ${GRID}`}>
      <span className="font-semibold text-slate-900">Row {row}</span>
      <div>{children[0]}</div>
      <div>{children[1]}</div>
      <div>{children[2]}</div>
    </li>
  );
}

function RowErrors({ errors }: { errors: ImportRowError[] }) {
  return (
    <ul className="space-y-0.5 font-medium text-red-800">
      {errors.map((e, i) => (
        <li key={`${i}-${e.message}`}>
          <span aria-hidden="true">⚠ </span>
          {e.column ? <span className="font-normal">{e.column}: </span> : null}
          {e.message}
        </li>
      ))}
    </ul>
  );
}

export function ImportPreviewRows<Entry, Change extends ImportChange>({
  preview,
  layout,
  words,
}: {
  preview: ImportPreview<Entry, Change>;
  layout: ImportRowLayout<Entry, Change>;
  words: ImportWords;
}) {
  const rowsThat = (action: ImportAction) => preview.rows.filter((r) => r.action === action);
  const [errors, changes, adds, unchanged] = [rowsThat("error"), rowsThat("change"), rowsThat("add"), rowsThat("unchanged")];
  const addsShown = adds.slice(0, PREVIEW_LIST_LIMIT);
  const unchangedShown = unchanged.slice(0, PREVIEW_LIST_LIMIT);
  const value = (field: Change["field"], v: string | null) =>
    v === null || v === "" ? <em className="text-slate-600">none</em> : layout.changeValue ? layout.changeValue(field, v) : v;
  const changeLine = (c: Change) => (
    <>
      <span className="font-medium">{layout.changeLabels[c.field as Change["field"]]}:</span> {value(c.field, c.from)} <span aria-hidden="true">→</span>
      <span className="sr-only">becomes</span> {value(c.field, c.to)}
    </>
  );
  return (
    <div className="space-y-8">
      {errors.length ? (
        <Section
          id="rows-errors"
          title="Rows with errors"
          count={errors.length}
          description="These rows cannot be imported as they are. Row numbers are the spreadsheet's: the headings are row 1."
        >
          <RowList label="Rows with errors" columns={[...layout.headings, "What is wrong"]}>
            {errors.map((r) => (
              <RowItem key={r.row} row={r.row}>
                {layout.who(r)}
                {layout.what(r)}
                <RowErrors errors={r.errors} />
              </RowItem>
            ))}
          </RowList>
        </Section>
      ) : null}

      {changes.length ? (
        <Section id="rows-changes" title="To change" count={changes.length} description={`Already on ${words.list}; these details will be updated.`}>
          <RowList label={`Rows that change a ${words.person}`} columns={[...layout.headings, "What changes"]}>
            {changes.map((r) => (
              <RowItem key={r.row} row={r.row}>
                {layout.who(r)}
                {layout.what(r)}
                <>
                  <ul className="space-y-0.5">
                    {r.changes.map((c) => (
                      <li key={c.field}>{changeLine(c)}</li>
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
          <RowList label={`Rows that add a ${words.person}`} columns={[...layout.headings, layout.adding.heading]}>
            {addsShown.map((r) => (
              <RowItem key={r.row} row={r.row}>
                <>
                  {layout.who(r)}
                  <span className="mt-1 block text-slate-700">{layout.adding.note(r)}</span>
                  {r.changes.map((c) => (
                    <span key={c.field} className="block text-slate-700">
                      {changeLine(c)}
                    </span>
                  ))}
                </>
                {layout.what(r)}
                <span>
                  <span className="sm:sr-only">{layout.adding.heading}: </span>
                  {layout.adding.show(r)}
                </span>
              </RowItem>
            ))}
          </RowList>
          <NotListed shown={addsShown.length} total={adds.length} what="will be added too" />
        </Section>
      ) : null}

      {unchanged.length ? (
        <Section id="rows-unchanged" title="Left alone" count={unchanged.length} description={`Already on ${words.list} exactly as the file says.`}>
          <details className="rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
            <summary className="cursor-pointer p-4 font-medium text-brand-800">Show the {plural(unchanged.length, "row")} left alone</summary>
            <ul aria-label="Rows left alone" className="divide-y divide-slate-100 border-t border-slate-100 text-sm">
              {unchangedShown.map((r) => (
                <li key={r.row} data-row={r.row} className={`grid gap-1 px-4 py-3 text-slate-800 ${GRID}`}>
                  <span className="font-semibold text-slate-900">Row {r.row}</span>
                  <span>{layout.who(r)}</span>
                  <span>{layout.what(r)}</span>
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
