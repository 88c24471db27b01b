import { z } from "zod";
import type { Db } from "#db/schema.ts";
import { recordAudit } from "#app/audit/audit.server.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { inChunks } from "#app/roster/chunks.server.ts";
import {
  commitImport,
  previewImport,
  type CheckedRow,
  type ImportBatch,
  type ImportChange,
  type ImportDefinition,
  type ImportPreview,
  type ImportProblem,
  type RowPlan,
  type RowValues,
  importTally,
} from "#app/roster/import.server.ts";
import { flagIdentifierGivenTwice, nameFromCells, PERSON_REQUIRED_COLUMNS, shownName } from "#app/roster/person-rows.server.ts";
import { emailCell, identifierCell, nameCell, oneSpaced, roleCell, roleKey, startDateCell } from "#app/roster/import-cells.ts";
import { toCsv } from "#app/utils/csv.ts";
import { formatDay, londonToday } from "#app/utils/dates.ts";
import { nowIso } from "#app/utils/time.ts";
import { requireVenue, type Venue } from "./access.server.ts";
import { STAFF_COLUMNS, type StaffChangeField, type StaffField } from "./staff-import.ts";

/**
 * A venue's staff list from its spreadsheet, imported by the list import: the staff columns, what
 * each row must be, how a row finds the person it describes (by email, on this venue's list), and how
 * the rows are written. Importing adds and updates; it never takes anyone off the list.
 */

export const STAFF_TEMPLATE_CSV = toCsv([
  ["First name", "Last name", "Email", "Staff number", "Role", "Employer", "Start date"],
  ["Jamie", "Doyle", "jamie.doyle@theforum.example", "F1042", "Bar staff", "", "2025-09-01"],
  ["Rhiannon", "Price", "r.price@shieldsecurity.example", "SIA-1014-2234", "Door supervisor", "Shield Security Ltd", "01/10/2025"],
]);

export interface StaffEntry {
  name: string;
  email: string;
  staffNumber: string | null;
  roleName: string;
  roleId: number | null;
  employer: string | null;
  startedOn: string | null;
  memberId: number | null;
}

export type StaffChange = ImportChange<StaffChangeField>;
export type StaffPreview = ImportPreview<StaffEntry, StaffChange>;

export interface StaffImportResult {
  added: number;
  changed: number;
  unchanged: number;
  skipped: number[];
}

type Role = { id: number; name: string; is_archived: 0 | 1 };
type Member = {
  id: number;
  name: string;
  email: string;
  staff_number: string | null;
  role_id: number;
  employer: string | null;
  started_on: string;
  ended_on: string | null;
};

interface StaffContext {
  venue: Venue;
  roleByKey: Map<string, Role>;
  roleNames: Map<number, string>;
  members: Member[];
  byEmail: Map<string, Member>;
  byNumber: Map<string, Member>;
}

function staffRowSchema(ctx: StaffContext) {
  return z.object({
    name: nameCell(),
    email: emailCell(),
    staffNumber: identifierCell("staff number"),
    role: roleCell(ctx.roleByKey, "ask the training coordinator to add the role first"),
    employer: z
      .string()
      .transform(oneSpaced)
      .pipe(z.string().max(120, "The employer is longer than 120 characters"))
      .transform((v) => v || null),
    startedOn: startDateCell(),
  });
}

type StaffShape = ReturnType<typeof staffRowSchema>["shape"];
type StaffRow = CheckedRow<StaffField, RowValues<StaffShape>>;

function planStaffRow(r: StaffRow, member: Member | undefined, ctx: StaffContext): RowPlan<StaffEntry, StaffChange, StaffField> {
  const v = r.values;
  const entry: StaffEntry = {
    name: v.name ?? shownName(r.cells),
    email: v.email ?? r.cells.email.toLowerCase(),
    staffNumber: v.staffNumber ?? null,
    roleName: v.role?.name ?? r.cells.role,
    roleId: v.role?.id ?? null,
    employer: v.employer ?? null,
    startedOn: v.startedOn ?? null,
    memberId: member?.id ?? null,
  };
  const problems: ImportProblem<StaffField>[] = [];
  const holder = v.staffNumber ? ctx.byNumber.get(v.staffNumber) : undefined;
  if (holder && holder.email !== entry.email)
    problems.push({ field: "staffNumber", message: `Staff number ${v.staffNumber} belongs to ${holder.name} (${holder.email})` });
  if (!member) return { entry, adds: true, changes: [], problems };
  const changes: StaffChange[] = [];
  const change = (field: StaffChangeField, from: string | null, to: string | null | undefined) => {
    if (to !== undefined && from !== to) changes.push({ field, from, to });
  };
  change("name", member.name, v.name);
  if (v.staffNumber) change("staffNumber", member.staff_number, v.staffNumber);
  if (v.role) change("role", ctx.roleNames.get(member.role_id) ?? null, v.role.name);
  change("employer", member.employer, v.employer);
  if (v.startedOn) change("startedOn", member.started_on, v.startedOn);
  // Someone who left stays off the list: the import does not bring them back.
  const note = member.ended_on ? `Left on ${formatDay(member.ended_on)}; importing does not put them back on the list.` : null;
  return { entry, adds: false, changes, problems, note };
}

async function applyStaff(trx: Db, actor: SessionUser, batch: ImportBatch<number, StaffContext, StaffEntry, StaffChange>): Promise<StaffImportResult> {
  const { rows, context: ctx, skipped, counts } = batch;
  const at = nowIso();
  const today = londonToday();
  await inChunks(
    rows.filter((r) => r.action === "add"),
    (chunk) =>
      trx
        .insertInto("staff_members")
        .values(
          chunk.map((r) => ({
            organisation_id: ctx.venue.id,
            name: r.name,
            email: r.email,
            staff_number: r.staffNumber,
            employer: r.employer,
            role_id: r.roleId!,
            started_on: r.startedOn ?? today,
            ended_on: null,
            end_reason: null,
            created_at: at,
            updated_at: at,
          })),
        )
        .execute(),
  );
  for (const r of rows) {
    if (r.action !== "change" || !r.memberId) continue;
    const set: { name?: string; staff_number?: string; role_id?: number; employer?: string | null; started_on?: string } = {};
    for (const c of r.changes) {
      if (c.field === "name") set.name = c.to!;
      if (c.field === "staffNumber") set.staff_number = c.to!;
      if (c.field === "role") set.role_id = r.roleId!;
      if (c.field === "employer") set.employer = c.to;
      if (c.field === "startedOn") set.started_on = c.to!;
    }
    await trx
      .updateTable("staff_members")
      .set({ ...set, updated_at: at })
      .where("id", "=", r.memberId)
      .execute();
  }
  const result: StaffImportResult = { ...counts, skipped };
  await recordAudit(trx, {
    actorUserId: actor.id,
    action: "staff_list.imported",
    entityType: "organisation",
    entityId: ctx.venue.id,
    summary: `${actor.name} imported the staff list of ${ctx.venue.name}: ${importTally(batch)}`,
    detail: { ...result },
  });
  return result;
}

/** The staff list as a list the import reads. Its scope is the venue, checked against the person importing. */
const staffImport = (
  actor: SessionUser,
): ImportDefinition<StaffField, number, StaffContext, StaffShape, Member, StaffEntry, StaffChange, StaffImportResult> => ({
  columns: STAFF_COLUMNS,
  requiredColumns: PERSON_REQUIRED_COLUMNS,
  async load(db, organisationId) {
    const venue = await requireVenue(db, actor, organisationId);
    const [roles, members] = await Promise.all([
      db.selectFrom("staff_roles").select(["id", "name", "is_archived"]).execute(),
      db
        .selectFrom("staff_members")
        .select(["id", "name", "email", "staff_number", "role_id", "employer", "started_on", "ended_on"])
        .where("organisation_id", "=", venue.id)
        .execute(),
    ]);
    return {
      venue,
      roleByKey: new Map(roles.map((r) => [roleKey(r.name), r])),
      roleNames: new Map(roles.map((r) => [r.id, r.name])),
      members,
      byEmail: new Map(members.map((m) => [m.email, m])),
      byNumber: new Map(members.flatMap((m) => (m.staff_number ? [[m.staff_number, m] as const] : []))),
    };
  },
  rowSchema: staffRowSchema,
  fields: (cells) => ({
    name: nameFromCells(cells),
    email: cells.email,
    staffNumber: cells.staffNumber,
    role: cells.role,
    employer: cells.employer,
    startedOn: cells.startedOn,
  }),
  recordKey: (v) => v.email ?? null,
  // One staff number given to two people.
  compareRows: (rows) => flagIdentifierGivenTwice(rows, "staffNumber", "Staff number"),
  findExisting: async (_db, rows, ctx) => rows.map((r) => (r.values.email === undefined ? undefined : ctx.byEmail.get(r.values.email))),
  plan: planStaffRow,
  notInFile(rows, ctx) {
    const listed = new Set(rows.map((r) => r.memberId).filter((id): id is number => id !== null));
    return ctx.members.filter((m) => !m.ended_on && !listed.has(m.id)).length;
  },
  apply: applyStaff,
});

/** What importing this file into the venue's staff list would do, row by row. Writes nothing. */
export async function previewStaffImport(db: Db, actor: SessionUser, organisationId: number, csvText: string): Promise<StaffPreview> {
  return (await previewImport(db, staffImport(actor), organisationId, csvText)).preview;
}

/** Imports the staff list: all of it or nothing, and a file with errors only without its bad rows when the person chose that. */
export function commitStaffImport(
  db: Db,
  actor: SessionUser,
  organisationId: number,
  csvText: string,
  opts: { skipErrors?: boolean } = {},
): Promise<StaffImportResult> {
  return commitImport(db, actor, staffImport(actor), organisationId, csvText, opts);
}
