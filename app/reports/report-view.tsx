import { filterControlClass } from "#app/components/filters.tsx";
import type { ReactNode } from "react";
import { Card } from "#app/components/layout.tsx";
import { useClipboard } from "#app/utils/use-clipboard.ts";
import { BarChart, ChartTable, ColumnChart } from "./charts.tsx";
import { formatFigure, formatInt, SMALL_NUMBER } from "./figures.ts";
import type { ChartData, ImpactReport, OrganisationsBooked, ReportTable } from "./impact-report.ts";
import { plural } from "#app/utils/plural.ts";

/** The sentences, each ready to paste into a web page or a trustees' paper. */
export function Headlines({ report }: { report: ImpactReport }) {
  const { state: copied, copy } = useClipboard();
  return (
    <section aria-labelledby="headlines-title" className="rounded-lg bg-brand-50 p-5 ring-1 ring-brand-200 print:bg-white print:ring-0">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="headlines-title" className="text-lg font-semibold text-slate-900">
          Headlines, {report.label}
        </h2>
        <div className="no-print flex items-center gap-3">
          <span role="status" className="text-sm text-slate-700">
            {copied === "copied" ? "Copied." : copied === "failed" ? "Could not copy: select the text instead." : ""}
          </span>
          <button
            type="button"
            onClick={() => copy(report.headlines.join("\n"))}
            className="rounded-md bg-white px-3 py-1.5 text-sm font-semibold text-brand-800 ring-1 ring-brand-600 hover:bg-brand-100"
          >
            Copy sentences
          </button>
        </div>
      </div>
      <ul className="mt-3 list-disc space-y-1.5 pl-5 text-slate-900" data-testid="headlines">
        {report.headlines.map((h) => (
          <li key={h}>{h}</li>
        ))}
      </ul>
    </section>
  );
}

/** A report table's title, and its CSV where there is one. */
function TableHeading({ table, exportHref }: { table: ReportTable; exportHref?: string }) {
  return (
    <div className="mb-2 flex flex-wrap items-end justify-between gap-2">
      <h2 id={`${table.id}-title`} className="text-lg font-semibold text-slate-900">
        {table.title}
      </h2>
      {exportHref ? (
        <a href={exportHref} className="no-print text-sm font-semibold" download aria-label={`Download CSV: ${table.title}`}>
          Download CSV
        </a>
      ) : null}
    </div>
  );
}

export function FigureTable({ table, exportHref, caption }: { table: ReportTable; exportHref?: string; caption?: ReactNode }) {
  return (
    <section aria-labelledby={`${table.id}-title`} className="report-block">
      <TableHeading table={table} exportHref={exportHref} />
      {caption}
      {table.rows.length === 0 ? (
        <p className="rounded-md border border-dashed border-slate-300 p-4 text-center text-slate-600">Nothing in this period.</p>
      ) : (
        // A wide table scrolls sideways inside its own region, which the keyboard can reach and a screen reader names.
        <div
          role="region"
          aria-label={`Table: ${table.title}`}
          tabIndex={0}
          className="overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-700 print:shadow-none"
        >
          {/* Cell padding and alignment are the `figure-table` classes in tailwind.css; names read left, numbers right. */}
          <table className={`figure-table min-w-full divide-y divide-slate-200 text-left text-sm ${table.id === "organisations" ? "" : "numbers-right"}`}>
            <caption className="sr-only">{table.title}</caption>
            <thead className="bg-slate-50 text-xs font-semibold uppercase tracking-wide text-slate-700">
              <tr>
                {table.columns.map((c) => (
                  <th key={c} scope="col">
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {table.rows.map((row, ri) => (
                <tr key={ri}>
                  {row.map((f, ci) =>
                    ci === 0 ? (
                      <th key={ci} scope="row">
                        {formatFigure(f)}
                      </th>
                    ) : (
                      <td key={ci}>{formatFigure(f)}</td>
                    ),
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** Too many organisations to name on a page: how many of each kind, the busiest by name, every name in the CSV. */
export function OrganisationsSummary({ table, booked, exportHref }: { table: ReportTable; booked: OrganisationsBooked; exportHref?: string }) {
  return (
    <section aria-labelledby={`${table.id}-title`} className="report-block">
      <TableHeading table={table} exportHref={exportHref} />
      <p className="mb-3 text-sm text-slate-700">
        {plural(booked.total, "organisation")} booked training. The ones with the most attendances are named here; every organisation is named in the CSV.
      </p>
      <div className="overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200 print:shadow-none">
        <table className="min-w-full divide-y divide-slate-200 text-left text-sm">
          <caption className="sr-only">{table.title}</caption>
          <thead className="bg-slate-50 text-xs font-semibold uppercase tracking-wide text-slate-700">
            <tr>
              <th scope="col" className="px-3 py-2.5">
                Kind of organisation
              </th>
              <th scope="col" className="px-3 py-2.5 text-right">
                Organisations
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {booked.byKind.map((k) => (
              <tr key={k.kind}>
                <th scope="row" className="px-3 py-2 font-medium text-slate-900">
                  {k.kind}
                </th>
                <td className="px-3 py-2 text-right tabular-nums text-slate-800">{formatInt(k.count)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="mt-4 grid gap-4 sm:grid-cols-2 lg:grid-cols-3 print:grid-cols-3">
        {booked.byKind.map((k) => (
          <div key={k.kind} className="text-sm">
            <h3 className="font-semibold text-slate-900">{k.kind}: the most attendances</h3>
            <ol className="mt-1 list-decimal space-y-0.5 pl-5 text-slate-800">
              {k.busiest.map((name) => (
                <li key={name}>{name}</li>
              ))}
            </ol>
            {k.count > k.busiest.length ? <p className="mt-1 text-slate-700">and {formatInt(k.count - k.busiest.length)} more</p> : null}
          </div>
        ))}
      </div>
    </section>
  );
}

export function ChartPanel({ chart }: { chart: ChartData }) {
  const empty = chart.categories.length === 0 || chart.series.every((s) => s.values.every((v) => v === null || v === 0));
  return (
    <Card className="report-block">
      <h3 className="mb-3 text-base font-semibold text-slate-900">{chart.title}</h3>
      {empty ? (
        <p className="text-slate-600">Nothing to draw for this period.</p>
      ) : (
        <div className="grid gap-5 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)] print:grid-cols-[3fr_2fr]">
          {chart.id === "chart-months" ? <ColumnChart chart={chart} /> : <BarChart chart={chart} />}
          <ChartTable chart={chart} />
        </div>
      )}
    </Card>
  );
}

export function SmallNumberNote() {
  return (
    <p className="text-sm text-slate-700">
      Nothing here names an attendee. Any figure that rests on fewer than {SMALL_NUMBER} people is shown as “fewer than {SMALL_NUMBER}”. People trained counts
      each named attendee once (by email or student ID) and adds head counts where a group’s names were not taken.
    </p>
  );
}

export function ReportBody({ report, exportHref }: { report: ImpactReport; exportHref?: (tableId: string) => string }) {
  const table = (id: string) => report.tables.find((t) => t.id === id)!;
  return (
    <div className="space-y-8">
      <Headlines report={report} />
      <FigureTable table={table("summary")} exportHref={exportHref?.("summary")} />
      <div className="space-y-5">
        {report.charts.map((c) => (
          <ChartPanel key={c.id} chart={c} />
        ))}
      </div>
      {["courses", "audiences", "organisation-kinds", "months", "organisations", "leader-compliance", "venue-coverage"]
        .filter((id) => report.tables.some((t) => t.id === id))
        .map((id) =>
          id === "organisations" && !report.organisationsBooked.allNamed ? (
            <OrganisationsSummary key={id} table={table(id)} booked={report.organisationsBooked} exportHref={exportHref?.(id)} />
          ) : (
            <FigureTable key={id} table={table(id)} exportHref={exportHref?.(id)} />
          ),
        )}
      <SmallNumberNote />
    </div>
  );
}

/** The academic years a report can cover, as a labelled select named "year"; "Dates below" stands for a range of dates. */
export function AcademicYearSelect({ years, value, withDates }: { years: { value: string; label: string }[]; value: string; withDates?: boolean }) {
  return (
    <div>
      <label htmlFor="year" className="block text-sm font-semibold text-slate-900">
        Academic year
      </label>
      <select id="year" name="year" defaultValue={value} className={filterControlClass}>
        {years.map((y) => (
          <option key={y.value} value={y.value}>
            {y.label}
          </option>
        ))}
        {withDates ? <option value="">Dates below</option> : null}
      </select>
    </div>
  );
}
