import { z } from "zod";
import type { Db } from "#db/schema.ts";
import { recordAudit } from "#app/audit/audit.server.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import {
  commitImport,
  previewImport,
  type CheckedRow,
  type ImportBatch,
  type ImportChange,
  type ImportDefinition,
  type ImportPreview,
  type ImportPreviewRow,
  type ImportProblem,
  type RowPlan,
  type RowValues,
  importTally,
} from "#app/roster/import.server.ts";
import { flagIdentifierGivenTwice, nameFromCells, PERSON_REQUIRED_COLUMNS, shownName } from "#app/roster/person-rows.server.ts";
import { inChunks } from "#app/roster/chunks.server.ts";
import { toCsv } from "#app/utils/csv.ts";
import { nowIso } from "#app/utils/time.ts";
import { defaultStartedOn, organisationsByName } from "./leaders.server.ts";
import { requireLeaderYear } from "./facts.server.ts";
import { ROSTER_COLUMNS, type RosterChangeField, type RosterField } from "./roster-import.ts";
import { normaliseName } from "#app/roster/names.ts";
import { academicYearDates, academicYearLabel } from "#app/utils/dates.ts";
import { emailCell, identifierCell, nameCell, quote, roleCell, roleKey, startDateCell } from "#app/roster/import-cells.ts";

/**
 * The year's roster of student leaders from the union's spreadsheet, imported by the list import:
 * the roster's columns, what each row must be, how a row finds the leader it describes, and how the
 * rows are written. Importing adds and updates; it never ends anyone's role (an officer does that).
 */

/** What an officer downloads to fill in. Start date is optional (2026-09-01 or 01/09/2026); without it, the day of the import. */
export const ROSTER_TEMPLATE_CSV = toCsv([
  ["First name", "Last name", "Email", "Student ID", "Role", "Group", "President", "Start date"],
  ["Amira", "Hussain", "amira.hussain@students.example.ac.uk", "S2400100", "Sports club committee", "Rugby Club", "yes", ""],
  ["Ben", "Carter", "ben.carter@students.example.ac.uk", "S2400101", "Hall rep", "Hall Reps", "no", ""],
  ["Chen", "Wei", "chen.wei@students.example.ac.uk", "", "Freshers' Week captain", "Freshers' Week Captains", "", ""],
]);

/** A row of the roster file as the preview shows it. */
export interface RosterEntry {
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
}

export type RosterChange = ImportChange<RosterChangeField>;
type RosterRowPreview = ImportPreviewRow<RosterEntry, RosterChange>;
export type RosterPreview = ImportPreview<RosterEntry, RosterChange> & { startYear: number };

export interface RosterImportResult {
  added: number;
  changed: number;
  unchanged: number;
  /** Rows with errors left out (only with skipErrors). */
  skipped: number[];
  peopleAdded: number;
}

const PRESIDENT_YES = new Set(["yes", "y", "true", "1", "x", "president", "chair"]);
const PRESIDENT_NO = new Set(["", "no", "n", "false", "0"]);

type Role = { id: number; name: string; is_archived: 0 | 1 };
type Appointment = {
  id: number;
  person_id: number;
  role_id: number;
  group_name: string;
  is_president: 0 | 1;
  started_on: string;
  ended_on: string | null;
};
type Person = { id: number; name: string; email: string; student_id: string | null };

/** What the rows of one year's file are checked against. */
interface RosterContext {
  startYear: number;
  roleByKey: Map<string, Role>;
  organisationIds: Map<string, number>;
  organisationNames: Map<number, string>;
  appointments: Appointment[];
  appointmentsByKey: Map<string, Appointment>;
  /** A group already on this year's roster keeps its spelling: "rugby club" joins "Rugby Club". */
  groupSpelling: Map<string, string>;
}

function rosterRowSchema(ctx: RosterContext) {
  const { first, last } = academicYearDates(ctx.startYear);
  return z.object({
    name: nameCell(),
    email: emailCell(),
    // An empty student ID leaves the one already known.
    studentId: identifierCell("student ID"),
    role: roleCell(ctx.roleByKey, "add the role on the roles page first"),
    group: z
      .string()
      .transform((v) => v.replace(/\s+/g, " "))
      .pipe(z.string().max(120, "The group is longer than 120 characters"))
      .transform((raw) => {
        const organisationId = ctx.organisationIds.get(normaliseName(raw));
        return ctx.groupSpelling.get(normaliseName(raw)) ?? (organisationId ? ctx.organisationNames.get(organisationId)! : raw);
      }),
    isPresident: z.string().transform((raw, c) => {
      const v = raw.toLowerCase();
      if (!PRESIDENT_YES.has(v) && !PRESIDENT_NO.has(v))
        c.issues.push({ code: "custom", input: raw, message: `President should be yes or no, not ${quote(raw)}` });
      return PRESIDENT_YES.has(v);
    }),
    startedOn: startDateCell({ first, last, outside: (date) => `The start date ${date} is outside ${academicYearLabel(ctx.startYear)}` }),
  });
}

type RosterShape = ReturnType<typeof rosterRowSchema>["shape"];
type RosterRow = CheckedRow<RosterField, RowValues<RosterShape>>;
type Existing = { person?: Person; studentIdHolder?: Person };

/** Rows against each other: one person described two ways. */
function compareRosterRows(rows: RosterRow[]) {
  const firstByEmail = new Map<string, RosterRow>();
  for (const r of rows) {
    const { email, name, studentId } = r.values;
    if (email === undefined) continue;
    const same = firstByEmail.get(email);
    if (same) {
      const sameName = same.values.name;
      if (name && sameName && name !== sameName) r.problems.push({ field: "name", message: `Row ${same.row} gives this email the name ${quote(sameName)}` });
      if (studentId && same.values.studentId && studentId !== same.values.studentId)
        r.problems.push({ field: "studentId", message: `Row ${same.row} gives this email the student ID ${same.values.studentId}` });
    } else {
      firstByEmail.set(email, r);
    }
  }
  flagIdentifierGivenTwice(rows, "studentId", "Student ID");
}

/** Who each row is, by email, and who already holds the student ID it gives. */
async function findLeaders(db: Db, rows: RosterRow[]): Promise<Existing[]> {
  const emails = [...new Set(rows.flatMap((r) => (r.values.email === undefined ? [] : [r.values.email])))];
  const studentIds = [...new Set(rows.flatMap((r) => (r.values.email !== undefined && r.values.studentId ? [r.values.studentId] : [])))];
  const people = (column: "email" | "student_id", values: string[]) =>
    inChunks(values, (chunk) => db.selectFrom("leader_people").select(["id", "name", "email", "student_id"]).where(column, "in", chunk).execute(), 500);
  const personByEmail = new Map((await people("email", emails)).map((p) => [p.email, p]));
  const holderById = new Map((await people("student_id", studentIds)).map((p) => [p.student_id!, p]));
  return rows.map((r) => ({
    person: r.values.email === undefined ? undefined : personByEmail.get(r.values.email),
    studentIdHolder: r.values.studentId ? holderById.get(r.values.studentId) : undefined,
  }));
}

const appointmentKey = (personId: number, roleId: number, groupName: string) => `${personId}|${roleId}|${normaliseName(groupName)}`;

/** The row as the preview shows it, and what it would change on the leader and their role. */
function planRosterRow(r: RosterRow, { person, studentIdHolder }: Existing, ctx: RosterContext): RowPlan<RosterEntry, RosterChange, RosterField> {
  const v = r.values;
  const name = v.name ?? shownName(r.cells);
  const email = v.email ?? r.cells.email.toLowerCase();
  const problems: ImportProblem<RosterField>[] = [];
  if (studentIdHolder && studentIdHolder.email !== email) {
    problems.push({ field: "studentId", message: `Student ID ${v.studentId} belongs to ${studentIdHolder.name} (${studentIdHolder.email})` });
  }
  const groupName = v.group ?? r.cells.group.replace(/\s+/g, " ");
  const changes: RosterChange[] = [];
  if (person && v.name !== undefined && person.name !== v.name) changes.push({ field: "name", from: person.name, to: v.name });
  if (person && v.studentId && person.student_id !== v.studentId) changes.push({ field: "studentId", from: person.student_id, to: v.studentId });
  const appointment = person && v.role ? ctx.appointmentsByKey.get(appointmentKey(person.id, v.role.id, groupName)) : undefined;
  const entry: RosterEntry = {
    name,
    email,
    studentId: v.studentId ?? null,
    roleName: v.role?.name ?? r.cells.role,
    groupName,
    isPresident: v.isPresident ?? PRESIDENT_YES.has(r.cells.president.toLowerCase()),
    startedOn: v.startedOn ?? null,
    roleId: v.role?.id ?? null,
    personId: person?.id ?? null,
    appointmentId: appointment?.id ?? null,
    newPerson: !person,
  };
  if (!appointment) return { entry, adds: true, changes, problems };
  // A role that ended stays ended: the person's details may change, the role's do not.
  if (appointment.ended_on)
    return { entry, adds: false, changes, problems, note: `This role ended on ${appointment.ended_on}; importing does not restart it.` };
  if ((appointment.is_president === 1) !== v.isPresident)
    changes.push({ field: "isPresident", from: appointment.is_president ? "yes" : "no", to: v.isPresident ? "yes" : "no" });
  if (v.startedOn && appointment.started_on !== v.startedOn) changes.push({ field: "startedOn", from: appointment.started_on, to: v.startedOn });
  return { entry, adds: false, changes, problems };
}

/** Writes the rows: new people and appointments in bulk, changed ones one by one, and one audit entry for the import. */
async function applyRoster(trx: Db, actor: SessionUser, batch: ImportBatch<number, RosterContext, RosterEntry, RosterChange>): Promise<RosterImportResult> {
  const { rows, scope: startYear, skipped, counts } = batch;
  const at = nowIso();

  // New people, once each.
  const newPeople = new Map<string, RosterRowPreview>();
  for (const r of rows) if (r.newPerson && !newPeople.has(r.email)) newPeople.set(r.email, r);
  const personIds = new Map<string, number>();
  for (const r of rows) if (r.personId) personIds.set(r.email, r.personId);
  const inserted = await inChunks([...newPeople.values()], (chunk) =>
    trx
      .insertInto("leader_people")
      .values(chunk.map((r) => ({ name: r.name, email: r.email, student_id: r.studentId, created_at: at, updated_at: at })))
      .returning(["id", "email"])
      .execute(),
  );
  for (const p of inserted) personIds.set(p.email, p.id);

  // Changed names and student IDs, once each.
  const personChanges = new Map<number, { name?: string; student_id?: string }>();
  for (const r of rows) {
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
  const adds = rows.filter((r) => r.action === "add");
  await inChunks(adds, (chunk) =>
    trx
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
      .execute(),
  );
  for (const r of rows) {
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

  const result: RosterImportResult = { ...counts, skipped, peopleAdded: inserted.length };
  await recordAudit(trx, {
    actorUserId: actor.id,
    action: "leader.roster_imported",
    entityType: "leader_year",
    entityId: startYear,
    summary: `${actor.name} imported the ${academicYearLabel(startYear)} roster: ${importTally(batch)}`,
    detail: { ...result },
  });
  return result;
}

/** The roster as a list the import reads: one academic year's leaders, by role and group. */
const rosterImport: ImportDefinition<RosterField, number, RosterContext, RosterShape, Existing, RosterEntry, RosterChange, RosterImportResult> = {
  columns: ROSTER_COLUMNS,
  requiredColumns: PERSON_REQUIRED_COLUMNS,
  async load(db, startYear) {
    await requireLeaderYear(db, startYear);
    const roles = await db.selectFrom("leader_roles").select(["id", "name", "is_archived"]).execute();
    const organisationNames = new Map((await db.selectFrom("organisations").select(["id", "name"]).execute()).map((o) => [o.id, o.name]));
    const appointments = await db
      .selectFrom("leader_appointments")
      .select(["id", "person_id", "role_id", "group_name", "is_president", "started_on", "ended_on"])
      .where("start_year", "=", startYear)
      .execute();
    const groupSpelling = new Map<string, string>();
    for (const a of appointments) if (a.group_name) groupSpelling.set(normaliseName(a.group_name), a.group_name);
    return {
      startYear,
      roleByKey: new Map(roles.map((r) => [roleKey(r.name), r])),
      organisationIds: await organisationsByName(db),
      organisationNames,
      appointments,
      appointmentsByKey: new Map(appointments.map((a) => [appointmentKey(a.person_id, a.role_id, a.group_name), a])),
      groupSpelling,
    };
  },
  rowSchema: rosterRowSchema,
  fields: (cells) => ({
    name: nameFromCells(cells),
    email: cells.email,
    studentId: cells.studentId,
    role: cells.role,
    group: cells.group,
    isPresident: cells.president,
    startedOn: cells.startedOn,
  }),
  recordKey: (v) => (v.email !== undefined && v.role ? `${v.email}|${v.role.id}|${normaliseName(v.group ?? "")}` : null),
  compareRows: compareRosterRows,
  findExisting: (db, rows) => findLeaders(db, rows),
  plan(row, existing, ctx) {
    return planRosterRow(row, existing ?? {}, ctx);
  },
  notInFile(rows, ctx) {
    const listed = new Set(rows.map((r) => r.appointmentId).filter((id): id is number => id !== null));
    return ctx.appointments.filter((a) => !a.ended_on && !listed.has(a.id)).length;
  },
  apply: applyRoster,
};

/** What importing this file into the year's roster would do, row by row. Writes nothing. */
export async function previewRosterImport(db: Db, startYear: number, csvText: string): Promise<RosterPreview> {
  const { preview } = await previewImport(db, rosterImport, startYear, csvText);
  return { startYear, ...preview };
}

/**
 * Imports the roster: all of it or nothing, and a file with errors only without its bad rows when
 * the officer chose that.
 */
export async function commitRosterImport(
  db: Db,
  actor: SessionUser,
  startYear: number,
  csvText: string,
  opts: { skipErrors?: boolean } = {},
): Promise<RosterImportResult> {
  return commitImport(db, actor, rosterImport, startYear, csvText, opts);
}
