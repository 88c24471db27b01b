/**
 * CSV as spreadsheets write it (RFC 4180): fields separated by commas, quoted when they hold a
 * comma, a quote or a line break, quotes doubled inside quotes; CRLF, LF or CR line ends; an
 * optional UTF-8 byte order mark (Excel's "CSV UTF-8").
 */

/** Excel reads a UTF-8 file correctly only when it starts with a byte-order mark. */
export const UTF8_BOM = "\uFEFF";

/**
 * Text a spreadsheet would run as a formula: =, +, -, @ (or their full-width forms, which some
 * spreadsheets read the same) at the start, also after spaces, or a tab or line break first.
 */
const FORMULA_START = /^(?:[\s\u00a0\u3000]*[=+\-@\uff1d\uff0b\uff0d\uff20]|[\t\r\n])/;

/**
 * One cell. Text that could start a formula gets a leading apostrophe, so an organisation called
 * "=HYPERLINK(…)" stays text; a comma, quote or line break puts the cell in quotes, quotes doubled.
 */
function cell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  let s = value;
  if (FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * The one CSV writer every export uses: RFC 4180 text with CRLF line ends and a BOM, which opens
 * cleanly in Excel, Numbers and LibreOffice.
 */
export function toCsv(rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  return UTF8_BOM + rows.map((r) => r.map(cell).join(",")).join("\r\n") + "\r\n";
}

/**
 * A tidy file name part: "Courses by popularity 2025–26" → "courses-by-popularity-2025-26",
 * "Société Générale" → "société-générale". Letters and digits of any script stay; the header that
 * carries the name is written by contentDispositionHeader.
 */
export function fileSlug(s: string): string {
  return s
    .normalize("NFC")
    .replace(/[^\p{L}\p{N}\s-]/gu, "-")
    .toLowerCase()
    .replace(/[\s_-]+/g, "-")
    .replace(/^-|-$/g, "");
}

export class CsvError extends Error {}

/** Every record as an array of fields; a blank last line is not a record. */
export function parseCsv(text: string): string[][] {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let i = 0;
  let quoted = false;
  let fieldStarted = false;
  const endField = () => {
    record.push(field);
    field = "";
    fieldStarted = false;
  };
  const endRecord = () => {
    endField();
    records.push(record);
    record = [];
  };
  while (i < src.length) {
    const ch = src[i]!;
    if (quoted) {
      if (ch === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        // Anything but a separator after a closing quote is kept as text, as spreadsheets do.
        continue;
      }
      field += ch;
      i++;
      continue;
    }
    if (ch === '"' && !fieldStarted && field === "") {
      quoted = true;
      fieldStarted = true;
      i++;
    } else if (ch === ",") {
      endField();
      i++;
    } else if (ch === "\r" || ch === "\n") {
      endRecord();
      i += ch === "\r" && src[i + 1] === "\n" ? 2 : 1;
    } else {
      field += ch;
      fieldStarted = true;
      i++;
    }
  }
  if (quoted) throw new CsvError("The file ends inside a quoted field: a quote mark (\") is missing.");
  if (field !== "" || fieldStarted || record.length > 0) endRecord();
  return records;
}
