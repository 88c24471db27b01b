import { z } from "zod";
import { StudentIdSchema } from "#app/signup/schemas.ts";
import { isRealDate } from "#app/utils/date-fields.ts";
import { EmailSchema } from "#app/utils/validation.ts";
import { normaliseName } from "./names.ts";

/** How any list import reads and talks about the cells of a spreadsheet. */

/** A cell's value quoted in a message, cut short when it is long. */
export const quote = (s: string) => `“${s.length > 60 ? `${s.slice(0, 57)}…` : s}”`;

/** Runs of spaces (and line breaks inside a cell) as one space. */
export const oneSpaced = (s: string) => s.replace(/\s+/g, " ").trim();

/** A cell checked by one of the app's own field schemas, in the import's words when it fails. */
export const checkedBy = <T>(schema: z.ZodType<T>, message: (raw: string) => string) =>
  z.string().transform((raw, ctx) => {
    const result = schema.safeParse(raw);
    if (result.success) return result.data;
    ctx.issues.push({ code: "custom", message: message(raw), input: raw });
    return z.NEVER;
  });

/** "2026-09-01" or "01/09/2026" (day first, as in the UK); null when it is neither, or not a real day. */
export function parseSpreadsheetDate(value: string): string | null {
  const v = value.trim();
  if (isRealDate(v)) return v;
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(v);
  if (!m) return null;
  const iso = `${m[3]}-${m[2]!.padStart(2, "0")}-${m[1]!.padStart(2, "0")}`;
  return isRealDate(iso) ? iso : null;
}

/** A role's name as a file may spell it: "Hall reps" is "Hall rep", "Freshers' Week Captain" is "freshers week captains". */
export const roleKey = (name: string) =>
  normaliseName(name)
    .split(" ")
    .map((w) => (w.length > 3 && w.endsWith("s") ? w.slice(0, -1) : w))
    .join(" ");

/** The role a cell names, among the roles on offer, with a message that lists them when it names none. */
export function roleCell<R extends { id: number; name: string; is_archived: 0 | 1 }>(roleByKey: ReadonlyMap<string, R>, noRolesAdvice: string) {
  const onOffer = () => {
    const names = [...new Set([...roleByKey.values()].filter((r) => !r.is_archived).map((r) => r.name))].sort((a, b) => a.localeCompare(b));
    return names.length ? `use one of ${names.map(quote).join(", ")}` : noRolesAdvice;
  };
  return z
    .string()
    .min(1, "Missing role")
    .transform((raw, c) => {
      const role = roleByKey.get(roleKey(raw));
      if (role && !role.is_archived) return { id: role.id, name: role.name };
      c.issues.push({
        code: "custom",
        input: raw,
        message: role ? `The role ${quote(role.name)} is archived: ${onOffer()}` : `There is no role called ${quote(raw)}: ${onOffer()}`,
      });
      return z.NEVER;
    });
}

/** A start-date cell: empty (null), or a date no earlier than `from` and no later than `to` when they are given. */
export function startDateCell(range: { first?: string; last?: string; outside: (date: string) => string } | null = null) {
  return z.string().transform((raw, c) => {
    if (!raw) return null;
    const startedOn = parseSpreadsheetDate(raw);
    if (!startedOn) c.issues.push({ code: "custom", input: raw, message: `${quote(raw)} is not a date: write it like 2026-09-01 or 01/09/2026` });
    else if (range && ((range.first && startedOn < range.first) || (range.last && startedOn > range.last)))
      c.issues.push({ code: "custom", input: raw, message: range.outside(startedOn) });
    return startedOn;
  });
}

/** A name cell: one-spaced, required, at most 120 characters. */
export const nameCell = () => z.string().transform(oneSpaced).pipe(z.string().min(1, "Missing name").max(120, "The name is longer than 120 characters"));

/** An email cell: required, an address, lower-case. */
export const emailCell = () =>
  z
    .string()
    .min(1, "Missing email")
    .pipe(checkedBy(EmailSchema, (raw) => `${quote(raw)} is not an email address: write it like name@example.ac.uk`));

/** A student ID or staff number cell, upper-case; empty is null (an empty cell keeps the one already known). */
export const identifierCell = (what: string) =>
  z.string().pipe(
    checkedBy(
      StudentIdSchema.transform((v) => (v ? v.toUpperCase() : null)),
      (raw) => `${quote(raw)} is not a ${what}: use letters, digits and hyphens, at most 20`,
    ),
  );
