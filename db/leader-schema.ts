import type { Generated } from "kysely";

/** The student-leader roster and its training records (migration 0004), beside the rest of the schema in schema.ts. */

export type RequirementValidity = "academic_year" | "months";
export type LeaderCompletionSource = "external" | "confirmed_match";

export interface LeaderRolesTable {
  id: Generated<number>;
  name: string;
  description: string | null;
  is_archived: Generated<0 | 1>;
  created_at: string;
  updated_at: string;
}

/** A course every holder of the role must have done, and for how long a completion counts. */
export interface LeaderRoleRequirementsTable {
  role_id: number;
  course_id: number;
  /** "academic_year": done within the year (1 Aug–31 Jul); "months": within validity_months before today. */
  validity: RequirementValidity;
  validity_months: number | null;
}

/** A roster year, 2026 for 2026–27, with the date its leaders must be trained by. */
export interface LeaderYearsTable {
  start_year: number;
  deadline: string; // "YYYY-MM-DD", a London date
  created_at: string;
  updated_at: string;
}

export interface LeaderPeopleTable {
  id: Generated<number>;
  name: string;
  email: string; // stored lower-case
  student_id: string | null; // stored upper-case
  created_at: string;
  updated_at: string;
}

/** One person in one role for one group in one roster year. */
export interface LeaderAppointmentsTable {
  id: Generated<number>;
  person_id: number;
  start_year: number;
  role_id: number;
  group_name: string; // "" when the role has no group
  organisation_id: number | null;
  /** The group's president or chair, copied on reminders to the group. */
  is_president: Generated<0 | 1>;
  started_on: string; // "YYYY-MM-DD"
  ended_on: string | null;
  end_reason: string | null;
  created_at: string;
  updated_at: string;
}

/**
 * Training recorded by an officer: done elsewhere, or a near-miss attendance they confirmed.
 * Attendance that matches by email or student ID is never stored here: it is read from the registers.
 */
export interface LeaderCompletionsTable {
  id: Generated<number>;
  person_id: number;
  course_id: number;
  completed_on: string; // "YYYY-MM-DD"
  source: LeaderCompletionSource;
  provider: string | null;
  evidence_note: string | null;
  registration_id: number | null;
  recorded_by: number | null;
  created_at: string;
  withdrawn_at: string | null;
  withdrawn_by: number | null;
  withdraw_reason: string | null;
}

export interface LeaderExemptionsTable {
  id: Generated<number>;
  person_id: number;
  course_id: number | null; // null: every course
  start_year: number;
  reason: string;
  granted_by: string;
  recorded_by: number | null;
  created_at: string;
  withdrawn_at: string | null;
  withdrawn_by: number | null;
  withdraw_reason: string | null;
}

export interface LeaderMatchDismissalsTable {
  person_id: number;
  registration_id: number;
  dismissed_by: number | null;
  dismissed_at: string;
}

export interface LeaderRemindersTable {
  id: Generated<number>;
  person_id: number;
  start_year: number;
  sent_at: string;
  sent_by: number | null; // null: sent by the system
  email_message_id: number | null;
}

/** The emailed link a leader opens to see their own training; usable until it expires. */
export interface LeaderAccessTokensTable {
  id: Generated<number>;
  person_id: number;
  token_hash: string;
  created_at: string;
  expires_at: string;
  last_used_at: string | null;
}
