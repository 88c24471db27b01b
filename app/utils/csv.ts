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

/** More columns than any roster or list has: a row past this is not a spreadsheet someone made. */
export const MAX_CSV_FIELDS = 1000;

/**
 * The records one at a time, as arrays of fields; a blank last line is not a record. A reader that
 * has seen enough stops asking, so a file of a million short lines never becomes a million arrays.
 */
export function* csvRecords(text: string, maxFields = MAX_CSV_FIELDS): Generator<string[], void, undefined> {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let record: string[] = [];
  let field = "";
  let i = 0;
  let quoted = false;
  let fieldStarted = false;
  let count = 0;
  const endField = () => {
    if (record.length >= maxFields) {
      throw new CsvError(`Row ${count + 1} has more than ${maxFields.toLocaleString("en-GB")} columns. Check that the file is a comma-separated roster.`);
    }
    record.push(field);
    field = "";
    fieldStarted = false;
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
      // A run of ordinary characters at once: a long quoted field is not built a character at a time.
      const next = src.indexOf('"', i);
      const end = next < 0 ? src.length : next;
      field += src.slice(i, end);
      i = end;
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
      endField();
      const done = record;
      record = [];
      count++;
      i += ch === "\r" && src[i + 1] === "\n" ? 2 : 1;
      yield done;
    } else {
      field += ch;
      fieldStarted = true;
      i++;
    }
  }
  if (quoted) throw new CsvError('The file ends inside a quoted field: a quote mark (") is missing.');
  if (field !== "" || fieldStarted || record.length > 0) {
    endField();
    yield record;
  }
}

/** Every record as an array of fields, for text known to be small (a download read back, a test). */
export function parseCsv(text: string): string[][] {
  return [...csvRecords(text)];
}
