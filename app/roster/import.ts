import { z } from "zod";

/**
 * What every list import shares between the browser and the server: the limits on a file, the way
 * a column is described and its headings recognised, and the upload form's check of the file.
 */

/** The largest file an import reads. */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;

/** The most rows one file may hold; a longer list is imported in parts. */
export const MAX_IMPORT_ROWS = 20_000;

export const fileTooLargeMessage = (maxBytes = MAX_IMPORT_BYTES, bytes?: number) =>
  `The file is larger than ${maxBytes / 1024 / 1024} MB${bytes ? ` (${(bytes / 1024 / 1024).toFixed(1)} MB)` : ""}. Split it into smaller files and import each.`;

/** One kind of column an import reads. */
export interface ImportColumn {
  /** What the column holds, as the preview names it: "Student ID". */
  label: string;
  /** The headings a spreadsheet may give it, written as a person writes them: "E-mail address". */
  headings: readonly string[];
  /** What goes in it, for the page that explains the file: "yes or no; empty is no". */
  note?: string;
}

export type ImportColumns<Field extends string> = Record<Field, ImportColumn>;

/** A heading as it is compared: capitals, spaces and punctuation do not matter ("E-mail" is "e mail"). */
export const headingKey = (heading: string) =>
  heading
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();

/**
 * The headings worth listing for a column: "Firstname" is "First name" without its space and needs
 * no line of its own; "E-mail" and "Email" are spelt differently and are both shown.
 */
function headingsToShow(headings: readonly string[]): string[] {
  const squashed = new Set(headings.filter((h) => /\s/.test(h)).map((h) => headingKey(h).replace(/ /g, "")));
  return headings.filter((h) => /\s/.test(h) || !squashed.has(headingKey(h)));
}

/** A column as the upload page explains it. */
export interface ImportColumnHelp {
  field: string;
  label: string;
  note: string | null;
  headings: string[];
}

export function importColumnsHelp<Field extends string>(columns: ImportColumns<Field>): ImportColumnHelp[] {
  return (Object.entries(columns) as [Field, ImportColumn][]).map(([field, c]) => ({
    field,
    label: c.label,
    note: c.note ?? null,
    headings: headingsToShow(c.headings),
  }));
}

/** The file field of an upload form, checked the same way in the browser and on the server. */
const importFileSchema = (maxBytes = MAX_IMPORT_BYTES) =>
  z
    .custom<Blob & { name?: string }>((v) => typeof v === "object" && v !== null && typeof (v as Blob).size === "number", {
      error: "Choose the CSV file to import",
    })
    .refine((f) => f.size > 0, { error: "The file is empty" })
    .refine((f) => f.size <= maxBytes, { error: fileTooLargeMessage(maxBytes) });

/**
 * An upload form: the fields that say where the file goes (an academic year, an organisation),
 * which travel again with the confirmation, and the file.
 */
export const importUploadSchema = <Shape extends z.ZodRawShape>(scope: z.ZodObject<Shape>, maxBytes = MAX_IMPORT_BYTES) =>
  scope.extend({ intent: z.literal("preview"), file: importFileSchema(maxBytes) });
