import { fileSlug, toCsv } from "#app/utils/csv.ts";
import { csvFigure } from "./figures.ts";
import type { ImpactReport, ReportTable } from "./impact-report.ts";

/** In a spreadsheet a change is a number: per cent for counts, percentage points for shares. */
const csvColumn = (c: string) => (c === "Change" ? "Change (% or points)" : c);
const tableRows = (t: ReportTable) => [t.columns.map(csvColumn), ...t.rows.map((r) => r.map(csvFigure))];

/**
 * A table as CSV, or "all": every table one after another, each under its title, with the
 * headline sentences first. Hidden small numbers stay hidden.
 */
export function impactCsv(report: ImpactReport, tableId: string): { filename: string; body: string } | null {
  if (tableId === "all") {
    const rows: (string | number)[][] = [[`Impact report ${report.label}`], [], ["Headlines"], ...report.headlines.map((h) => [h])];
    for (const t of report.tables) rows.push([], [t.title], ...tableRows(t));
    return { filename: `impact-report-${fileSlug(report.label)}.csv`, body: toCsv(rows) };
  }
  const table = report.tables.find((t) => t.id === tableId);
  if (!table) return null;
  return { filename: `impact-${table.id}-${fileSlug(report.label)}.csv`, body: toCsv(tableRows(table)) };
}

/** One table on its own, as CSV, named after it and the period it covers. */
export function tableCsv(table: ReportTable, periodLabel: string): { filename: string; body: string } {
  return { filename: `impact-${table.id}-${fileSlug(periodLabel)}.csv`, body: toCsv(tableRows(table)) };
}
