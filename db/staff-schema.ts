import type { Generated } from "kysely";

/** The staff lists of partner venues and staff teams (migration 0010), beside the leader tables in schema.ts. */

export type StaffRequirementValidity = "once" | "months";

/** A staff role the campaign names (door supervisor, bar staff): the same training at every venue. */
export interface StaffRolesTable {
  id: Generated<number>;
  name: string;
  description: string | null;
  is_archived: Generated<0 | 1>;
  created_at: string;
  updated_at: string;
}

/** A course everyone in a staff role must have done, and for how long a completion counts. */
export interface StaffRoleRequirementsTable {
  role_id: number;
  course_id: number;
  /** "once": for good; "months": for validity_months after it was done, then a refresher is due. */
  validity: StaffRequirementValidity;
  validity_months: number | null;
}

/** Someone on a partner venue's or staff team's staff list. */
export interface StaffMembersTable {
  id: Generated<number>;
  organisation_id: number;
  name: string;
  email: string; // stored lower-case
  staff_number: string | null; // stored upper-case; matched against the registers as a student ID is
  employer: string | null; // a contractor's own employer (the security firm); null for the venue's own staff
  role_id: number;
  started_on: string; // "YYYY-MM-DD"
  ended_on: string | null; // the day they left; from then on they are not on the list
  end_reason: string | null;
  created_at: string;
  updated_at: string;
}

/** Training a staff member did elsewhere, recorded by hand. Attendance that matches is read from the registers. */
export interface StaffCompletionsTable {
  id: Generated<number>;
  member_id: number;
  course_id: number;
  completed_on: string; // "YYYY-MM-DD"
  provider: string;
  evidence_note: string | null;
  recorded_by: number | null;
  created_at: string;
  withdrawn_at: string | null;
  withdrawn_by: number | null;
  withdraw_reason: string | null;
}

/** A staff member excused from one course, or from every course; holds until withdrawn. */
export interface StaffExemptionsTable {
  id: Generated<number>;
  member_id: number;
  course_id: number | null; // null: every course
  reason: string;
  granted_by: string;
  recorded_by: number | null;
  created_at: string;
  withdrawn_at: string | null;
  withdrawn_by: number | null;
  withdraw_reason: string | null;
}
