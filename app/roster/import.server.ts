import { z } from "zod";
import type { Db } from "#db/schema.ts";
import { writeTransaction } from "#app/utils/transaction.server.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { CsvError, csvRecords } from "#app/utils/csv.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { headingKey, MAX_IMPORT_BYTES, MAX_IMPORT_ROWS, type ImportColumns } from "./import.ts";
import { plural } from "#app/utils/plural.ts";

/**
 * A list from a spreadsheet, imported the same way whatever the list is. The preview says, row by
 * row, what an import would do, and writes nothing; the import works the same preview out again
 * inside one transaction and writes all of it or nothing. What the rows are (their columns, the
 * schema each row must pass, how a row finds the record it describes, how rows are written) is an
 * ImportDefinition; the roster of student leaders is one.
 */

export type ImportAction = "add" | "change" | "unchanged" | "error";

/** Something wrong with a row, said against the column at fault. */
export interface ImportRowError {
  /** The column's heading as the file has it (or the column's name when the file lacks it); null for the row as a whole. */
  column: string | null;
  message: string;
}

/** A value a row would change on a record already there. */
export interface ImportChange<Field extends string = string> {
  field: Field;
  from: string | null;
  to: string | null;
}

/** One row of the file as the preview shows it: the record it describes and what importing does with it. */
export type ImportPreviewRow<Entry, Change extends ImportChange = ImportChange> = Entry & {
  /** The row number the spreadsheet shows (the heading is row 1). */
  row: number;
  action: ImportAction;
  changes: Change[];
  errors: ImportRowError[];
  note: string | null;
};

export type ImportCounts = { [A in ImportAction]: number } & { total: number };

export interface ImportPreview<Entry, Change extends ImportChange = ImportChange> {
  /** The heading the file uses for each column read. */
  columns: Partial<{ [field: string]: string }>;
  ignoredColumns: string[];
  /** Problems with the whole file: nothing can be imported until they are fixed. */
  fileErrors: string[];
  rows: ImportPreviewRow<Entry, Change>[];
  counts: ImportCounts;
  /** Records already on the list that the file does not mention (importing leaves them as they are). */
  notInFile: number;
}

/** A problem found with a row, against one of its fields (a column or a key of the row schema). */
export interface ImportProblem<Key extends string = string> {
  field: Key | null;
  message: string;
}

/** A row once its cells have been through the row schema. */
export interface CheckedRow<Field extends string, Values> {
  row: number;
  cells: { [F in Field]: string };
  /** The fields that passed the schema: all of them when the row has no problems yet. */
  values: Partial<Values>;
  problems: ImportProblem<Field | Extract<keyof Values, string>>[];
}

/** What a row would do, as its definition sees it. */
export interface RowPlan<Entry, Change extends ImportChange, Key extends string> {
  /** The row as the preview shows it and as apply receives it. */
  entry: Entry;
  /** True when the row adds a record rather than describing one already there. */
  adds: boolean;
  changes: Change[];
  note?: string | null;
  /** Problems found against what is already stored. */
  problems?: ImportProblem<Key>[];
}

export interface ImportBatch<Scope, Context, Entry, Change extends ImportChange> {
  scope: Scope;
  context: Context;
  /** The rows to write: every row of the file, or every row without errors when the person chose to leave those out. */
  rows: ImportPreviewRow<Entry, Change>[];
  /** The row numbers left out for their errors. */
  skipped: number[];
  counts: { added: number; changed: number; unchanged: number };
}

/** What an import wrote, as its audit entry says it. */
export const importTally = ({ counts, skipped }: { counts: ImportBatch<unknown, unknown, unknown, ImportChange>["counts"]; skipped: number[] }) =>
  `${counts.added} added, ${counts.changed} changed, ${counts.unchanged} unchanged${skipped.length ? `, ${plural(skipped.length, "row")} with errors left out` : ""}`;

/** What a row's schema gives for a row that passes it. */
export type RowValues<Shape extends z.ZodRawShape> = z.output<z.ZodObject<Shape>>;

/**
 * A kind of list that can be imported. Field names the columns; Scope says where a file goes (an
 * academic year); Context is what the rows are checked against, read once per preview.
 */
export interface ImportDefinition<Field extends string, Scope, Context, Shape extends z.ZodRawShape, Existing, Entry, Change extends ImportChange, Result> {
  columns: ImportColumns<Field>;
  /** The columns a file must have, each met by any one of its sets of columns; the message says what is missing. */
  requiredColumns: readonly { anyOf: readonly (readonly Field[])[]; message?: string }[];
  /** What the rows are checked against. Throws RuleViolation when the scope itself is wrong (a year not set up). */
  load(db: Db, scope: Scope): Promise<Context>;
  /** The schema every row must pass; a failed field's messages are the row's errors, said against that field's column. */
  rowSchema(context: Context): z.ZodObject<Shape>;
  /** The fields the schema checks, from the row's cells (by default the cells themselves). */
  fields?(cells: { [F in Field]: string }): { [K in keyof Shape]?: unknown };
  /** Rows that name the same record twice share a key; the later ones are duplicates. Null for a row that cannot say. */
  recordKey?(values: Partial<RowValues<Shape>>): string | null;
  /** Problems between rows besides duplicates (one person given two names), added to the rows' problems. */
  compareRows?(rows: CheckedRow<Field, RowValues<Shape>>[]): void;
  /** How each row finds the record already there that it describes: looked up for all rows at once. */
  findExisting(db: Db, rows: CheckedRow<Field, RowValues<Shape>>[], context: Context): Promise<(Existing | undefined)[]>;
  /** The row as the preview shows it and what it would change on its record. */
  plan(
    row: CheckedRow<Field, RowValues<Shape>>,
    existing: Existing | undefined,
    context: Context,
  ): RowPlan<Entry, Change, Field | Extract<keyof Shape, string>>;
  /** How many records on the list the rows do not mention. */
  notInFile?(rows: ImportPreviewRow<Entry, Change>[], context: Context): number;
  /** Writes the rows, inside the import's transaction, and records who did it. */
  apply(trx: Db, actor: SessionUser, batch: ImportBatch<Scope, Context, Entry, Change>): Promise<Result>;
}

export interface ImportRecords {
  /** The first row that is not blank, or null for a file with nothing in it. */
  header: string[] | null;
  /** The rows after the heading that are not blank, with the row number a spreadsheet shows. */
  rows: { row: number; fields: string[] }[];
  /** True when the file goes on past MAX_IMPORT_ROWS rows: reading stopped there. */
  tooMany: boolean;
}

/**
 * The heading and the rows of a file, read a record at a time and stopped one row past the limit,
 * so a small file of a million short lines is refused without ever holding a million rows. Throws
 * CsvError for a file that is not CSV (a missing quote, thousands of columns).
 */
export function readImportRecords(csvText: string): ImportRecords {
  const isBlank = (r: string[]) => r.every((f) => f.trim() === "");
  let header: string[] | null = null;
  const rows: ImportRecords["rows"] = [];
  let row = 0;
  for (const fields of csvRecords(csvText)) {
    row++;
    if (isBlank(fields)) continue;
    if (!header) {
      header = fields;
      continue;
    }
    if (rows.length === MAX_IMPORT_ROWS) return { header, rows, tooMany: true };
    rows.push({ row, fields });
  }
  return { header, rows, tooMany: false };
}

const tooManyRowsMessage = `The file has more than ${MAX_IMPORT_ROWS.toLocaleString("en-GB")} rows; at most ${MAX_IMPORT_ROWS.toLocaleString("en-GB")} can be imported at once. Split it into smaller files and import each.`;

const counted = (rows: readonly { action: ImportAction }[]): ImportCounts => {
  const counts = { add: 0, change: 0, unchanged: 0, error: 0, total: rows.length };
  for (const r of rows) counts[r.action]++;
  return counts;
};

/** Which column holds which field: the first column whose heading is one of the field's. */
function matchColumns<Field extends string>(header: string[], columns: ImportColumns<Field>) {
  const fieldByKey = new Map<string, Field>();
  for (const [field, column] of Object.entries(columns) as [Field, ImportColumns<Field>[Field]][]) {
    for (const heading of column.headings) if (!fieldByKey.has(headingKey(heading))) fieldByKey.set(headingKey(heading), field);
  }
  const headings: Partial<Record<Field, string>> = {};
  const index: Partial<Record<Field, number>> = {};
  const ignored: string[] = [];
  header.forEach((h, i) => {
    const field = fieldByKey.get(headingKey(h));
    if (field && index[field] === undefined) {
      index[field] = i;
      headings[field] = h.trim();
    } else if (h.trim()) {
      ignored.push(h.trim());
    }
  });
  return { headings, index, ignored };
}

/** What importing this file would do, row by row. Writes nothing. */
export async function previewImport<Field extends string, Scope, Context, Shape extends z.ZodRawShape, Existing, Entry, Change extends ImportChange, Result>(
  db: Db,
  definition: ImportDefinition<Field, Scope, Context, Shape, Existing, Entry, Change, Result>,
  scope: Scope,
  csvText: string,
): Promise<{ preview: ImportPreview<Entry, Change>; context: Context }> {
  const context = await definition.load(db, scope);
  const refused = (fileErrors: string[], columns: ImportPreview<Entry>["columns"] = {}, ignoredColumns: string[] = []) => ({
    preview: { columns, ignoredColumns, fileErrors, rows: [], counts: counted([]), notInFile: 0 },
    context,
  });
  if (Buffer.byteLength(csvText, "utf8") > MAX_IMPORT_BYTES) {
    return refused([`The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB. Split it into smaller files.`]);
  }
  let file: ImportRecords;
  try {
    file = readImportRecords(csvText);
  } catch (err) {
    if (err instanceof CsvError) return refused([err.message]);
    throw err;
  }
  if (!file.header) return refused(["The file is empty."]);

  const columns = definition.columns;
  const { headings, index, ignored } = matchColumns(file.header, columns);
  const fileErrors: string[] = [];
  for (const required of definition.requiredColumns) {
    if (required.anyOf.some((set) => set.every((f) => index[f] !== undefined))) continue;
    const label = columns[required.anyOf[0]![0]!].label;
    fileErrors.push(required.message ?? `There is no ${label} column. Name the column “${label}”.`);
  }
  if (file.tooMany) fileErrors.push(tooManyRowsMessage);
  if (file.rows.length === 0 && !fileErrors.length) fileErrors.push("The file has headings but no rows.");
  if (fileErrors.length) return refused(fileErrors, headings, ignored);

  // Each row through the schema on its own.
  const schema = definition.rowSchema(context);
  const fieldNames = Object.keys(columns) as Field[];
  const checked = file.rows.map(({ row, fields }): CheckedRow<Field, RowValues<Shape>> => {
    const cells = Object.fromEntries(fieldNames.map((f) => [f, index[f] === undefined ? "" : (fields[index[f]!] ?? "").trim()])) as { [F in Field]: string };
    const input: { [key: string]: unknown } = definition.fields ? definition.fields(cells) : cells;
    const parsed = schema.safeParse(input);
    if (parsed.success) return { row, cells, values: parsed.data, problems: [] };
    // The fields that did pass, so that the row can still be shown and compared with the others.
    const values: { [key: string]: unknown } = {};
    for (const [key, field] of Object.entries(schema.shape)) {
      const one = z.safeParse(field, input[key]);
      if (one.success) values[key] = one.data;
    }
    const problems = parsed.error.issues.map((issue) => ({
      field: typeof issue.path[0] === "string" ? (issue.path[0] as Field) : null,
      message: issue.message,
    }));
    return { row, cells, values: values as Partial<RowValues<Shape>>, problems };
  });

  // Rows against each other.
  if (definition.recordKey) {
    const firstByKey = new Map<string, number>();
    for (const r of checked) {
      const key = definition.recordKey(r.values);
      if (key === null) continue;
      const first = firstByKey.get(key);
      if (first !== undefined) r.problems.push({ field: null, message: `Duplicate of row ${first}` });
      else firstByKey.set(key, r.row);
    }
  }
  definition.compareRows?.(checked);

  // Rows against what is stored.
  const existing = await definition.findExisting(db, checked, context);
  const columnOf = (field: string | null) => (field === null ? null : (headings[field as Field] ?? columns[field as Field]?.label ?? null));
  const rows = checked.map((r, i): ImportPreviewRow<Entry, Change> => {
    const plan = definition.plan(r, existing[i], context);
    const errors = [...r.problems, ...(plan.problems ?? [])].map((p) => ({ column: columnOf(p.field), message: p.message }));
    const action: ImportAction = errors.length ? "error" : plan.adds ? "add" : plan.changes.length ? "change" : "unchanged";
    // A row with errors is not imported, so it changes nothing.
    const shown = action === "error" ? { changes: [], note: null } : { changes: plan.changes, note: plan.note ?? null };
    return { ...plan.entry, row: r.row, action, ...shown, errors };
  });
  const notInFile = definition.notInFile?.(rows, context) ?? 0;
  return { preview: { columns: headings, ignoredColumns: ignored, fileErrors: [], rows, counts: counted(rows), notInFile }, context };
}

/**
 * Imports the file. The preview is worked out again inside the transaction, so what is written is
 * what the file says now; a file with errors is refused (and nothing written) unless the person
 * chose to import it without its bad rows.
 */
export async function commitImport<Field extends string, Scope, Context, Shape extends z.ZodRawShape, Existing, Entry, Change extends ImportChange, Result>(
  db: Db,
  actor: SessionUser,
  definition: ImportDefinition<Field, Scope, Context, Shape, Existing, Entry, Change, Result>,
  scope: Scope,
  csvText: string,
  opts: { skipErrors?: boolean } = {},
): Promise<Result> {
  return writeTransaction(db, async (trx) => {
    const { preview, context } = await previewImport(trx, definition, scope, csvText);
    if (preview.fileErrors.length) throw new RuleViolation("file", preview.fileErrors.join(" "));
    const bad = preview.rows.filter((r) => r.action === "error");
    if (bad.length && !opts.skipErrors) {
      const listed = bad
        .slice(0, 10)
        .map((r) => `row ${r.row}`)
        .join(", ");
      throw new RuleViolation(
        "file",
        `${plural(bad.length, { one: "row has", other: "rows have" })} errors (${listed}${bad.length > 10 ? "…" : ""}). Fix the file, or import it without those rows.`,
      );
    }
    const rows = preview.rows.filter((r) => r.action !== "error");
    if (rows.length === 0) throw new RuleViolation("file", "No row can be imported.");
    const counts = { added: preview.counts.add, changed: preview.counts.change, unchanged: preview.counts.unchanged };
    return definition.apply(trx, actor, { scope, context, rows, skipped: bad.map((r) => r.row), counts });
  });
}
