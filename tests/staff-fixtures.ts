import type { Kysely } from "kysely";
import type { Database, StaffRequirementValidity } from "#db/schema.ts";
import { nowIso } from "#app/utils/time.ts";
import { unique } from "./compliance-fixtures.ts";
import { createOrganisation } from "./factories.ts";

/** Venues' staff lists written straight into the database, for tests of the rules around them. */

export async function createStaffRole(
  db: Kysely<Database>,
  requirements: { courseId: number; validity?: StaffRequirementValidity; months?: number }[],
  name = `Staff role ${unique()}`,
) {
  const at = nowIso();
  const { id } = await db
    .insertInto("staff_roles")
    .values({ name, description: null, created_at: at, updated_at: at })
    .returning("id")
    .executeTakeFirstOrThrow();
  if (requirements.length) {
    await db
      .insertInto("staff_role_requirements")
      .values(
        requirements.map((r) => ({
          role_id: id,
          course_id: r.courseId,
          validity: r.validity ?? "months",
          validity_months: (r.validity ?? "months") === "months" ? (r.months ?? 12) : null,
        })),
      )
      .execute();
  }
  return id;
}

export const createVenue = (db: Kysely<Database>, name?: string) => createOrganisation(db, { kind: "partner_venue", name });

export interface TestStaffMember {
  id: number;
  name: string;
  email: string;
  staffNumber: string | null;
}

export async function createStaffMember(
  db: Kysely<Database>,
  opts: {
    organisationId: number;
    roleId: number;
    name?: string;
    email?: string;
    staffNumber?: string | null;
    employer?: string | null;
    startedOn?: string;
    endedOn?: string | null;
  },
): Promise<TestStaffMember> {
  const at = nowIso();
  const id = unique();
  const name = opts.name ?? `Staff ${id}`;
  const email = (opts.email ?? `staff-${id}@venue.example.com`).toLowerCase();
  const staffNumber = opts.staffNumber ? opts.staffNumber.toUpperCase() : null;
  const row = await db
    .insertInto("staff_members")
    .values({
      organisation_id: opts.organisationId,
      name,
      email,
      staff_number: staffNumber,
      employer: opts.employer ?? null,
      role_id: opts.roleId,
      started_on: opts.startedOn ?? "2024-01-01",
      ended_on: opts.endedOn ?? null,
      end_reason: null,
      created_at: at,
      updated_at: at,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return { id: row.id, name, email, staffNumber };
}
