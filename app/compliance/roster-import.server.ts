import { writeTransaction } from "#db/transaction.ts";
import { recordAudit } from "#app/audit/audit.server.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { StudentIdSchema } from "#app/signup/schemas.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { nowIso } from "#app/utils/time.ts";
import { EmailSchema } from "#app/utils/validation.ts";
import { defaultStartedOn, organisationsByName } from "./leaders.server.ts";
import { CsvError, csvRecords, toCsv } from "#app/utils/csv.ts";
import { requireLeaderYear, type Db } from "./facts.server.ts";
import { normaliseName } from "#app/roster/names.ts";
import { academicYearDates, academicYearLabel, isCalendarDate } from "./rules.ts";

/**
 * The year's roster from the union's spreadsheet. The preview says, row by row, what an import
 * would do; the import recomputes the same preview inside one transaction and writes all of it or
 * nothing. Importing adds and updates; it never ends anyone's role (an officer does that).
 */

export const MAX_ROSTER_BYTES = 5 * 1024 * 1024;
export const MAX_ROSTER_ROWS = 20_000;

/** What an officer downloads to fill in. Start date is optional (2026-09-01 or 01/09/2026); without it, the day of the import. */
export const ROSTER_TEMPLATE_CSV = toCsv([
  ["First name", "Last name", "Email", "Student ID", "Role", "Group", "President", "Start date"],
  ["Amira", "Hussain", "amira.hussain@students.example.ac.uk", "S2400100", "Sports club committee", "Rugby Club", "yes", ""],
  ["Ben", "Carter", "ben.carter@students.example.ac.uk", "S2400101", "Hall rep", "Hall Reps", "no", ""],
  ["Chen", "Wei", "chen.wei@students.example.ac.uk", "", "Freshers' Week captain", "Freshers' Week Captains", "", ""],
]);

export type RosterField = "name" | "firstName" | "lastName" | "email" | "studentId" | "role" | "group" | "president" | "startedOn";

/** Column headings a union spreadsheet uses, compared without case or punctuation. */
export const HEADER_ALIASES: Record<RosterField, string[]> = {
  name: ["name", "full name", "leader name", "student name"],
  firstName: ["first name", "firstname", "forename", "forenames", "given name", "preferred name", "preferred first name"],
  lastName: ["last name", "lastname", "surname", "family name"],
  email: ["email", "email address", "e mail", "e mail address", "university email", "student email", "uni email"],
  studentId: ["student id", "studentid", "student number", "student no", "id number", "student id number", "registration number"],
  role: ["role", "position", "leader role", "role type", "post"],
  group: ["group", "club society", "club or society", "club", "society", "organisation", "organization", "team", "hall", "committee", "group name"],
  president: ["president", "is president", "chair", "president chair", "president or chair", "is chair"],
  startedOn: ["start date", "started on", "started", "appointed on", "date appointed", "from"],
};

const headerKey = (h: string) =>
  h
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();

export type RosterAction = "add" | "change" | "unchanged" | "error";

export interface RosterChange {
  field: "name" | "studentId" | "isPresident" | "startedOn";
  from: string | null;
  to: string | null;
}

export interface RosterRowPreview {
  /** The row number the spreadsheet shows (the heading is row 1). */
  row: number;
  action: RosterAction;
  name: string;
  email: string;
  studentId: string | null;
  roleName: string;
  groupName: string;
  isPresident: boolean;
  startedOn: string | null;
  roleId: number | null;
  personId: number | null;
  appointmentId: number | null;
  /** True when the person is not yet known (by email). */
  newPerson: boolean;
  changes: RosterChange[];
  errors: string[];
  note: string | null;
}

export interface RosterPreview {
  startYear: number;
  /** The heading used for each field. */
  columns: Partial<Record<RosterField, string>>;
  ignoredColumns: string[];
  /** Problems with the whole file: nothing can be imported until they are fixed. */
  fileErrors: string[];
  rows: RosterRowPreview[];
  counts: Record<RosterAction, number> & { total: number };
  /** People on this year's roster whom the file does not list (they are left as they are). */
  notInFile: number;
}

const PRESIDENT_YES = new Set(["yes", "y", "true", "1", "x", "president", "chair"]);
const PRESIDENT_NO = new Set(["", "no", "n", "false", "0"]);

/** "Hall reps" and "Hall rep" are the same role; so are "Freshers' Week Captain" and "freshers week captains". */
const roleKey = (name: string) =>
  normaliseName(name)
    .split(" ")
    .map((w) => (w.length > 3 && w.endsWith("s") ? w.slice(0, -1) : w))
    .join(" ");

/** "2026-09-01" or "01/09/2026" (day first, as in the UK). */
function parseStartDate(value: string): string | null {
  const v = value.trim();
  if (isCalendarDate(v)) return v;
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(v);
  if (!m) return null;
  const iso = `${m[3]}-${m[2]!.padStart(2, "0")}-${m[1]!.padStart(2, "0")}`;
  return isCalendarDate(iso) ? iso : null;
}

const quote = (s: string) => `“${s.length > 60 ? `${s.slice(0, 57)}…` : s}”`;

async function inChunks<T, R>(items: readonly T[], size: number, fn: (chunk: T[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await fn(items.slice(i, i + size))));
  return out;
}

function emptyPreview(startYear: number, fileErrors: string[]): RosterPreview {
  return { startYear, columns: {}, ignoredColumns: [], fileErrors, rows: [], counts: { add: 0, change: 0, unchanged: 0, error: 0, total: 0 }, notInFile: 0 };
}

const tooManyRowsMessage = `The file has more than ${MAX_ROSTER_ROWS.toLocaleString("en-GB")} rows; at most ${MAX_ROSTER_ROWS.toLocaleString("en-GB")} can be imported at once. Split it into smaller files and import each.`;

export interface RosterRecords {
  /** The first row that is not blank, or null for a file with nothing in it. */
  header: string[] | null;
  /** The rows after the heading that are not blank, with the row number a spreadsheet shows. */
  rows: { row: number; fields: string[] }[];
  /** True when the file goes on past MAX_ROSTER_ROWS rows: reading stopped there. */
  tooMany: boolean;
}

/**
 * The heading and the rows of a roster file, read a record at a time and stopped one row past the
 * limit, so a small file of a million short lines is refused without ever holding a million rows.
 * Throws CsvError for a file that is not CSV (a missing quote, thousands of columns).
 */
export function readRosterRecords(csvText: string): RosterRecords {
  const isBlank = (r: string[]) => r.every((f) => f.trim() === "");
  let header: string[] | null = null;
  const rows: RosterRecords["rows"] = [];
  let row = 0;
  for (const fields of csvRecords(csvText)) {
    row++;
    if (isBlank(fields)) continue;
    if (!header) {
      header = fields;
      continue;
    }
    if (rows.length === MAX_ROSTER_ROWS) return { header, rows, tooMany: true };
    rows.push({ row, fields });
  }
  return { header, rows, tooMany: false };
}

/** What importing this file would do, row by row. Writes nothing. */
export async function previewRosterImport(db: Db, startYear: number, csvText: string): Promise<RosterPreview> {
  await requireLeaderYear(db, startYear);
  if (Buffer.byteLength(csvText, "utf8") > MAX_ROSTER_BYTES) {
    return emptyPreview(startYear, [`The file is larger than ${MAX_ROSTER_BYTES / 1024 / 1024} MB. Split it into smaller files.`]);
  }
  let file: RosterRecords;
  try {
    file = readRosterRecords(csvText);
  } catch (err) {
    if (err instanceof CsvError) return emptyPreview(startYear, [err.message]);
    throw err;
  }
  if (!file.header) return emptyPreview(startYear, ["The file is empty."]);

  // Which column holds what.
  const header = file.header;
  const columns: Partial<Record<RosterField, string>> = {};
  const index: Partial<Record<RosterField, number>> = {};
  const ignoredColumns: string[] = [];
  header.forEach((h, i) => {
    const key = headerKey(h);
    const field = (Object.keys(HEADER_ALIASES) as RosterField[]).find((f) => HEADER_ALIASES[f].includes(key));
    if (field && index[field] === undefined) {
      index[field] = i;
      columns[field] = h.trim();
    } else if (h.trim()) {
      ignoredColumns.push(h.trim());
    }
  });
  const fileErrors: string[] = [];
  if (index.email === undefined) fileErrors.push("There is no Email column. Name the column “Email”.");
  if (index.role === undefined) fileErrors.push("There is no Role column. Name the column “Role”.");
  if (index.name === undefined && (index.firstName === undefined || index.lastName === undefined)) {
    fileErrors.push("There is no Name column. Use a “Name” column, or “First name” and “Last name”.");
  }
  const data = file.rows;
  if (file.tooMany) fileErrors.push(tooManyRowsMessage);
  if (data.length === 0 && !fileErrors.length) fileErrors.push("The file has headings but no rows.");
  if (fileErrors.length) return { ...emptyPreview(startYear, fileErrors), columns, ignoredColumns };

  const cell = (fields: string[], f: RosterField) => (index[f] === undefined ? "" : (fields[index[f]!] ?? "").trim());
  const { first: yearFirst, last: yearLast } = academicYearDates(startYear);

  // Roles, organisations and the year's roster, in a few queries.
  const roles = await db.selectFrom("leader_roles").select(["id", "name", "is_archived"]).execute();
  const roleByKey = new Map(roles.map((r) => [roleKey(r.name), r]));
  const orgs = await organisationsByName(db);
  const orgNames = new Map((await db.selectFrom("organisations").select(["id", "name"]).execute()).map((o) => [o.id, o.name]));
  const yearAppointments = await db
    .selectFrom("leader_appointments")
    .select(["id", "person_id", "role_id", "group_name", "is_president", "started_on", "ended_on", "organisation_id"])
    .where("start_year", "=", startYear)
    .execute();
  // A group already on this year's roster keeps its spelling: "rugby club" joins "Rugby Club".
  const groupSpelling = new Map<string, string>();
  for (const a of yearAppointments) if (a.group_name) groupSpelling.set(normaliseName(a.group_name), a.group_name);

  // Each row on its own.
  interface Parsed {
    row: number;
    name: string;
    email: string;
    emailValid: boolean;
    studentId: string | null;
    roleName: string;
    role: { id: number; name: string } | null;
    groupName: string;
    isPresident: boolean;
    startedOn: string | null;
    errors: string[];
  }
  const parsed: Parsed[] = data.map(({ row, fields }) => {
    const errors: string[] = [];
    const name = (index.name !== undefined ? cell(fields, "name") : `${cell(fields, "firstName")} ${cell(fields, "lastName")}`).replace(/\s+/g, " ").trim();
    if (!name) errors.push("Missing name");
    else if (name.length > 120) errors.push("The name is longer than 120 characters");

    const rawEmail = cell(fields, "email");
    const email = EmailSchema.safeParse(rawEmail);
    if (!rawEmail) errors.push("Missing email");
    else if (!email.success) errors.push(`Bad email ${quote(rawEmail)}`);

    const rawId = cell(fields, "studentId");
    const sid = StudentIdSchema.safeParse(rawId);
    if (rawId && !sid.success) errors.push(`Bad student ID ${quote(rawId)}: use letters, digits and hyphens, at most 20`);

    const roleName = cell(fields, "role");
    const role = roleName ? roleByKey.get(roleKey(roleName)) : undefined;
    if (!roleName) errors.push("Missing role");
    else if (!role) errors.push(`Unknown role ${quote(roleName)}`);
    else if (role.is_archived) errors.push(`The role ${quote(role.name)} is archived`);

    const rawGroup = cell(fields, "group").replace(/\s+/g, " ");
    if (rawGroup.length > 120) errors.push("The group is longer than 120 characters");
    const orgId = orgs.get(normaliseName(rawGroup));
    const groupName = groupSpelling.get(normaliseName(rawGroup)) ?? (orgId ? orgNames.get(orgId)! : rawGroup);

    const rawPresident = cell(fields, "president").toLowerCase();
    if (!PRESIDENT_YES.has(rawPresident) && !PRESIDENT_NO.has(rawPresident))
      errors.push(`President should be yes or no, not ${quote(cell(fields, "president"))}`);

    const rawStart = cell(fields, "startedOn");
    const startedOn = rawStart ? parseStartDate(rawStart) : null;
    if (rawStart && !startedOn) errors.push(`Bad start date ${quote(rawStart)}: use 2026-09-01 or 01/09/2026`);
    else if (startedOn && (startedOn < yearFirst || startedOn > yearLast))
      errors.push(`The start date ${startedOn} is outside ${academicYearLabel(startYear)}`);

    return {
      row,
      name,
      email: email.success ? email.data : rawEmail.toLowerCase(),
      emailValid: email.success,
      studentId: rawId && sid.success ? sid.data.toUpperCase() : null,
      roleName: role?.name ?? roleName,
      role: role && !role.is_archived ? { id: role.id, name: role.name } : null,
      groupName,
      isPresident: PRESIDENT_YES.has(rawPresident),
      startedOn,
      errors,
    };
  });

  // Rows against each other: duplicates, and one person described two ways.
  const firstByKey = new Map<string, number>();
  const firstByEmail = new Map<string, Parsed>();
  const emailByStudentId = new Map<string, Parsed>();
  for (const p of parsed) {
    if (!p.emailValid) continue;
    if (p.role) {
      const key = `${p.email}|${p.role.id}|${normaliseName(p.groupName)}`;
      const dup = firstByKey.get(key);
      if (dup !== undefined) p.errors.push(`Duplicate of row ${dup}`);
      else firstByKey.set(key, p.row);
    }
    const same = firstByEmail.get(p.email);
    if (same) {
      if (p.name && same.name && p.name !== same.name) p.errors.push(`Row ${same.row} gives this email the name ${quote(same.name)}`);
      if (p.studentId && same.studentId && p.studentId !== same.studentId) p.errors.push(`Row ${same.row} gives this email the student ID ${same.studentId}`);
    } else {
      firstByEmail.set(p.email, p);
    }
    if (p.studentId) {
      const other = emailByStudentId.get(p.studentId);
      if (other && other.email !== p.email) p.errors.push(`Student ID ${p.studentId} is also given to ${other.email} on row ${other.row}`);
      else if (!other) emailByStudentId.set(p.studentId, p);
    }
  }

  // Rows against the database: who is known, and whose student ID it is.
  const emails = [...firstByEmail.keys()];
  const studentIds = [...emailByStudentId.keys()];
  const known = await inChunks(emails, 500, (chunk) =>
    db.selectFrom("leader_people").select(["id", "name", "email", "student_id"]).where("email", "in", chunk).execute(),
  );
  const idHolders = await inChunks(studentIds, 500, (chunk) =>
    db.selectFrom("leader_people").select(["id", "name", "email", "student_id"]).where("student_id", "in", chunk).execute(),
  );
  const personByEmail = new Map(known.map((p) => [p.email, p]));
  const holderById = new Map(idHolders.map((p) => [p.student_id!, p]));
  const appointmentByKey = new Map(yearAppointments.map((a) => [`${a.person_id}|${a.role_id}|${normaliseName(a.group_name)}`, a]));

  const rows: RosterRowPreview[] = parsed.map((p) => {
    const person = p.emailValid ? personByEmail.get(p.email) : undefined;
    if (p.studentId) {
      const holder = holderById.get(p.studentId);
      if (holder && holder.email !== p.email) p.errors.push(`Student ID ${p.studentId} belongs to ${holder.name} (${holder.email})`);
    }
    const base = {
      row: p.row,
      name: p.name,
      email: p.email,
      studentId: p.studentId,
      roleName: p.roleName,
      groupName: p.groupName,
      isPresident: p.isPresident,
      startedOn: p.startedOn,
      roleId: p.role?.id ?? null,
      personId: person?.id ?? null,
      appointmentId: null as number | null,
      newPerson: !person,
      changes: [] as RosterChange[],
      errors: p.errors,
      note: null as string | null,
    };
    if (p.errors.length) return { ...base, action: "error" as const };
    const changes: RosterChange[] = [];
    if (person && person.name !== p.name) changes.push({ field: "name", from: person.name, to: p.name });
    // An empty student ID in the file leaves the one already known.
    if (person && p.studentId && person.student_id !== p.studentId) changes.push({ field: "studentId", from: person.student_id, to: p.studentId });
    const appointment = person ? appointmentByKey.get(`${person.id}|${p.role!.id}|${normaliseName(p.groupName)}`) : undefined;
    if (!appointment) return { ...base, action: "add" as const, changes };
    base.appointmentId = appointment.id;
    if (appointment.ended_on) {
      return {
        ...base,
        action: changes.length ? ("change" as const) : ("unchanged" as const),
        changes,
        note: `This role ended on ${appointment.ended_on}; importing does not restart it.`,
      };
    }
    if ((appointment.is_president === 1) !== p.isPresident)
      changes.push({ field: "isPresident", from: appointment.is_president ? "yes" : "no", to: p.isPresident ? "yes" : "no" });
    if (p.startedOn && appointment.started_on !== p.startedOn) changes.push({ field: "startedOn", from: appointment.started_on, to: p.startedOn });
    return { ...base, action: changes.length ? ("change" as const) : ("unchanged" as const), changes };
  });

  const counts = { add: 0, change: 0, unchanged: 0, error: 0, total: rows.length };
  for (const r of rows) counts[r.action]++;
  const listed = new Set(rows.map((r) => r.appointmentId).filter((id): id is number => id !== null));
  const notInFile = yearAppointments.filter((a) => !a.ended_on && !listed.has(a.id)).length;
  return { startYear, columns, ignoredColumns, fileErrors: [], rows, counts, notInFile };
}

export interface RosterImportResult {
  added: number;
  changed: number;
  unchanged: number;
  /** Rows with errors left out (only with skipErrors). */
  skipped: number[];
  peopleAdded: number;
}

/**
 * Imports the roster. The preview is worked out again inside the transaction, so what is written is
 * what the file says now; a file with errors is refused (and nothing written) unless the officer
 * chose to import it without its bad rows.
 */
export async function commitRosterImport(
  db: Db,
  actor: SessionUser,
  startYear: number,
  csvText: string,
  opts: { skipErrors?: boolean } = {},
): Promise<RosterImportResult> {
  return writeTransaction(db, async (trx) => {
    const preview = await previewRosterImport(trx, startYear, csvText);
    if (preview.fileErrors.length) throw new RuleViolation("file", preview.fileErrors.join(" "));
    const bad = preview.rows.filter((r) => r.action === "error");
    if (bad.length && !opts.skipErrors) {
      throw new RuleViolation(
        "file",
        `${bad.length} ${bad.length === 1 ? "row has" : "rows have"} errors (${bad
          .slice(0, 10)
          .map((r) => `row ${r.row}`)
          .join(", ")}${bad.length > 10 ? "…" : ""}). Fix the file, or import it without those rows.`,
      );
    }
    const good = preview.rows.filter((r) => r.action !== "error");
    if (good.length === 0) throw new RuleViolation("file", "No row can be imported.");
    const at = nowIso();

    // New people, once each.
    const newPeople = new Map<string, RosterRowPreview>();
    for (const r of good) if (r.newPerson && !newPeople.has(r.email)) newPeople.set(r.email, r);
    const personIds = new Map<string, number>();
    for (const r of good) if (r.personId) personIds.set(r.email, r.personId);
    const inserted = await inChunks([...newPeople.values()], 200, (chunk) =>
      trx
        .insertInto("leader_people")
        .values(chunk.map((r) => ({ name: r.name, email: r.email, student_id: r.studentId, created_at: at, updated_at: at })))
        .returning(["id", "email"])
        .execute(),
    );
    for (const p of inserted) personIds.set(p.email, p.id);

    // Changed names and student IDs, once each.
    const personChanges = new Map<number, { name?: string; student_id?: string }>();
    for (const r of good) {
      if (!r.personId) continue;
      for (const c of r.changes) {
        if (c.field === "name") personChanges.set(r.personId, { ...personChanges.get(r.personId), name: c.to! });
        if (c.field === "studentId") personChanges.set(r.personId, { ...personChanges.get(r.personId), student_id: c.to! });
      }
    }
    for (const [id, set] of personChanges)
      await trx
        .updateTable("leader_people")
        .set({ ...set, updated_at: at })
        .where("id", "=", id)
        .execute();

    // Appointments: new ones in bulk, changed ones one by one.
    const orgs = await organisationsByName(trx);
    const adds = good.filter((r) => r.action === "add");
    await inChunks(adds, 200, async (chunk) => {
      await trx
        .insertInto("leader_appointments")
        .values(
          chunk.map((r) => ({
            person_id: personIds.get(r.email)!,
            start_year: startYear,
            role_id: r.roleId!,
            group_name: r.groupName,
            organisation_id: orgs.get(normaliseName(r.groupName)) ?? null,
            is_president: r.isPresident ? (1 as const) : (0 as const),
            started_on: defaultStartedOn(startYear, r.startedOn),
            ended_on: null,
            end_reason: null,
            created_at: at,
            updated_at: at,
          })),
        )
        .execute();
      return [];
    });
    for (const r of good) {
      if (r.action !== "change" || !r.appointmentId) continue;
      const set: { is_president?: 0 | 1; started_on?: string } = {};
      for (const c of r.changes) {
        if (c.field === "isPresident") set.is_president = c.to === "yes" ? 1 : 0;
        if (c.field === "startedOn") set.started_on = c.to!;
      }
      if (Object.keys(set).length)
        await trx
          .updateTable("leader_appointments")
          .set({ ...set, updated_at: at })
          .where("id", "=", r.appointmentId)
          .execute();
    }

    const result: RosterImportResult = {
      added: adds.length,
      changed: good.filter((r) => r.action === "change").length,
      unchanged: good.filter((r) => r.action === "unchanged").length,
      skipped: bad.map((r) => r.row),
      peopleAdded: inserted.length,
    };
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: "leader.roster_imported",
      entityType: "leader_year",
      entityId: startYear,
      summary: `${actor.name} imported the ${academicYearLabel(startYear)} roster: ${result.added} added, ${result.changed} changed, ${result.unchanged} unchanged${bad.length ? `, ${bad.length} rows with errors left out` : ""}`,
      detail: { ...result },
    });
    return result;
  });
}
