import type { CheckedRow } from "./import.server.ts";
import { oneSpaced } from "./import-cells.ts";

/**
 * What the imports of lists of people (a year's leaders, a venue's staff) share: a name given in one
 * column or in two, an email that says who a row is, and an identifier (a student ID, a staff number)
 * that only one person may hold.
 */

export const PERSON_REQUIRED_COLUMNS = [
  { anyOf: [["email"]] },
  { anyOf: [["role"]] },
  { anyOf: [["name"], ["firstName", "lastName"]], message: "There is no Name column. Use a “Name” column, or “First name” and “Last name”." },
] as const;

/** The name cell, or the first and last names together; as typed, for the row schema to check. */
export const nameFromCells = (cells: { name: string; firstName: string; lastName: string }) => cells.name || `${cells.firstName} ${cells.lastName}`;

/** The name a preview shows for a row whose name did not pass the schema. */
export const shownName = (cells: { name: string; firstName: string; lastName: string }) => oneSpaced(nameFromCells(cells));

/** Rows against each other: one identifier given to two people (rows with different emails). */
export function flagIdentifierGivenTwice<Field extends string, Key extends Field, Values extends { email: string } & { [K in Key]: string | null }>(
  rows: CheckedRow<Field, Values>[],
  field: Key,
  label: string,
) {
  const first = new Map<string, CheckedRow<Field, Values>>();
  for (const r of rows) {
    const id = r.values[field];
    const { email } = r.values;
    if (!id || email === undefined) continue;
    const other = first.get(id);
    if (other && other.values.email !== email) r.problems.push({ field, message: `${label} ${id} is also given to ${other.values.email} on row ${other.row}` });
    else if (!other) first.set(id, r);
  }
}
