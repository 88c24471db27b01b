import type { Generated, Insertable, Selectable, Updateable } from "kysely";

/**
 * Conventions: times are ISO-8601 UTC text ("2025-10-14T13:00:00.000Z"), booleans are 0 | 1,
 * ids are integers the database assigns. Nullable columns are `T | null`, never optional.
 */

export type Role = "coordinator" | "trainer" | "booker" | "officer";
export const ROLES: readonly Role[] = ["coordinator", "trainer", "booker", "officer"];

export type OrganisationKind =
  | "department"
  | "sports_club"
  | "society"
  | "leader_programme"
  | "partner_venue"
  | "staff_team";

export type EmailStatus = "held" | "pending" | "sending" | "sent" | "failed";
export type EmailTokenPurpose = "password_reset" | "invitation";

export interface UsersTable {
  id: Generated<number>;
  email: string; // stored lower-case
  name: string;
  password_hash: string | null; // null until an invited person sets one
  is_active: Generated<0 | 1>;
  created_at: string;
  updated_at: string;
}

export interface UserRolesTable {
  user_id: number;
  role: Role;
  granted_at: string;
}

export interface AuthSessionsTable {
  id: string;
  user_id: number;
  secret_hash: string; // hex SHA-256 of the secret half of the token
  created_at: string;
  last_verified_at: string;
  idle_expires_at: string;
  absolute_expires_at: string;
  user_agent: string | null;
}

export interface EmailTokensTable {
  id: Generated<number>;
  user_id: number;
  purpose: EmailTokenPurpose;
  token_hash: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface SignInFailuresTable {
  email: string;
  failure_count: number;
  first_failed_at: string;
  last_failed_at: string;
  locked_until: string | null;
}

export interface OrganisationsTable {
  id: Generated<number>;
  name: string;
  kind: OrganisationKind;
  contact_name: string | null;
  contact_email: string | null;
  contact_phone: string | null;
  notes: string | null;
  is_archived: Generated<0 | 1>;
  created_at: string;
  updated_at: string;
}

export interface OrganisationMembersTable {
  organisation_id: number;
  user_id: number;
  added_at: string;
}

export interface CoursesTable {
  id: Generated<number>;
  name: string;
  description: string;
  duration_minutes: number;
  default_group_size: number;
  max_group_size: number;
  colour: string; // #rrggbb
  is_archived: Generated<0 | 1>;
  created_at: string;
  updated_at: string;
}

export interface TrainerQualificationsTable {
  user_id: number;
  course_id: number;
  qualified_at: string;
}

export interface RoomsTable {
  id: Generated<number>;
  name: string;
  building: string;
  capacity: number;
  accessibility_notes: string | null;
  is_archived: Generated<0 | 1>;
  created_at: string;
  updated_at: string;
}

export interface AuditEventsTable {
  id: Generated<number>;
  actor_user_id: number | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  summary: string;
  detail_json: string | null;
  created_at: string;
}

export interface EmailMessagesTable {
  id: Generated<number>;
  /** Messages sharing a key are delivered strictly in id order (one session's invite, update, cancel). */
  ordering_key: string | null;
  template: string;
  to_address: string;
  to_name: string | null;
  from_address: string;
  subject: string;
  message_id: string; // RFC 5322 Message-ID, stable across retries
  raw_mime: string; // the complete message exactly as it would be sent
  html: string;
  text: string;
  attachments_json: string; // [{ filename, contentType, size }]
  status: EmailStatus;
  attempts: Generated<number>;
  next_attempt_at: string | null;
  lease_expires_at: string | null;
  last_error: string | null;
  provider_id: string | null;
  created_at: string;
  sent_at: string | null;
}

export interface Database {
  users: UsersTable;
  user_roles: UserRolesTable;
  auth_sessions: AuthSessionsTable;
  email_tokens: EmailTokensTable;
  sign_in_failures: SignInFailuresTable;
  organisations: OrganisationsTable;
  organisation_members: OrganisationMembersTable;
  courses: CoursesTable;
  trainer_qualifications: TrainerQualificationsTable;
  rooms: RoomsTable;
  audit_events: AuditEventsTable;
  email_messages: EmailMessagesTable;
}

export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type AuthSession = Selectable<AuthSessionsTable>;
export type Organisation = Selectable<OrganisationsTable>;
export type NewOrganisation = Insertable<OrganisationsTable>;
export type Course = Selectable<CoursesTable>;
export type NewCourse = Insertable<CoursesTable>;
export type Room = Selectable<RoomsTable>;
export type NewRoom = Insertable<RoomsTable>;
export type AuditEvent = Selectable<AuditEventsTable>;
export type EmailMessage = Selectable<EmailMessagesTable>;
export type NewEmailMessage = Insertable<EmailMessagesTable>;
