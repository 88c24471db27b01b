import type { Db } from "#db/schema.ts";
import { ERASED_NAME } from "./tables.ts";
import {
  COMPLETION_COLUMNS,
  completionExport,
  ERASED_EXEMPTION,
  EXEMPTION_COLUMNS,
  exemptionExport,
  type CompletionExport,
  type ExemptionExport,
} from "./training-records.ts";

/** One person's entries on venues' and staff teams' staff lists, for the export and for erasure. */

export interface StaffRecord {
  id: number;
  organisation: string;
  name: string;
  email: string;
  staffNumber: string | null;
  employer: string | null;
  role: string;
  startedOn: string;
  endedOn: string | null;
  endReason: string | null;
  createdAt: string;
  completions: CompletionExport<string>[];
  exemptions: ExemptionExport[];
}

export async function findStaffRecords(
  db: Db,
  memberIds: number[],
): Promise<{ records: StaffRecord[]; counts: { staff_members: number; staff_completions: number; staff_exemptions: number } }> {
  const ids = memberIds.length ? memberIds : [-1];
  const [members, completions, exemptions] = await Promise.all([
    db
      .selectFrom("staff_members as m")
      .innerJoin("organisations as o", "o.id", "m.organisation_id")
      .innerJoin("staff_roles as r", "r.id", "m.role_id")
      .select([
        "m.id",
        "o.name as organisation",
        "m.name",
        "m.email",
        "m.staff_number",
        "m.employer",
        "r.name as role",
        "m.started_on",
        "m.ended_on",
        "m.end_reason",
        "m.created_at",
      ])
      .where("m.id", "in", ids)
      .orderBy("m.id")
      .execute(),
    db
      .selectFrom("staff_completions as t")
      .innerJoin("courses as c", "c.id", "t.course_id")
      .select(["t.member_id", ...COMPLETION_COLUMNS])
      .where("t.member_id", "in", ids)
      .orderBy("t.completed_on")
      .execute(),
    db
      .selectFrom("staff_exemptions as t")
      .leftJoin("courses as c", "c.id", "t.course_id")
      .select(["t.member_id", ...EXEMPTION_COLUMNS])
      .where("t.member_id", "in", ids)
      .orderBy("t.id")
      .execute(),
  ]);
  const records = members.map((m): StaffRecord => ({
    id: m.id,
    organisation: m.organisation,
    name: m.name,
    email: m.email,
    staffNumber: m.staff_number,
    employer: m.employer,
    role: m.role,
    startedOn: m.started_on,
    endedOn: m.ended_on,
    endReason: m.end_reason,
    createdAt: m.created_at,
    completions: completions.filter((c) => c.member_id === m.id).map(completionExport),
    exemptions: exemptions.filter((e) => e.member_id === m.id).map(exemptionExport),
  }));
  return { records, counts: { staff_members: members.length, staff_completions: completions.length, staff_exemptions: exemptions.length } };
}

/**
 * Their staff-list entries stay (with the placeholder address and staff number they still match their
 * attendance, so a venue's trained share does not move), but anonymous; what was written about them goes.
 */
export async function eraseStaffRecords(
  trx: Db,
  memberIds: number[],
  replace: { email: string; staffNumberFor: ReadonlyMap<string, string>; at: string },
): Promise<number> {
  if (!memberIds.length) return 0;
  const members = await trx.selectFrom("staff_members").select(["id", "staff_number"]).where("id", "in", memberIds).execute();
  for (const m of members) {
    await trx
      .updateTable("staff_members")
      .set({
        name: ERASED_NAME,
        email: replace.email,
        staff_number: m.staff_number ? (replace.staffNumberFor.get(m.staff_number.toUpperCase()) ?? null) : null,
        end_reason: null,
        updated_at: replace.at,
      })
      .where("id", "=", m.id)
      .execute();
  }
  await trx.updateTable("staff_completions").set({ evidence_note: null, withdraw_reason: null }).where("member_id", "in", memberIds).execute();
  await trx.updateTable("staff_exemptions").set(ERASED_EXEMPTION).where("member_id", "in", memberIds).execute();
  return members.length;
}
