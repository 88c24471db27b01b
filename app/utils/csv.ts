/** Excel reads a UTF-8 file correctly only when it starts with a byte-order mark. */
export const UTF8_BOM = "\uFEFF";

/**
 * A cell that a spreadsheet would run as a formula (=, +, -, @, tab, carriage return at the start)
 * is written with a leading apostrophe, so an organisation called "=HYPERLINK(…)" stays text.
 */
function cell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  let s = value;
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** RFC 4180 text with CRLF line ends and a BOM: opens cleanly in Excel, Numbers and LibreOffice. */
export function toCsv(rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  return UTF8_BOM + rows.map((r) => r.map(cell).join(",")).join("\r\n") + "\r\n";
}

/** A safe file name part: "Courses by popularity 2025–26" → "courses-by-popularity-2025-26". */
export function fileSlug(s: string): string {
  return s
    .normalize("NFKD")
    .replace(/[^\w\s-]/g, "-")
    .toLowerCase()
    .replace(/[\s_-]+/g, "-")
    .replace(/^-|-$/g, "");
}
