import type { Generated, Insertable, Kysely, Selectable, Updateable } from "kysely";
import type { StaffCompletionsTable, StaffExemptionsTable, StaffMembersTable, StaffRoleRequirementsTable, StaffRolesTable } from "./staff-schema.ts";
import type {
  LeaderRolesTable,
  LeaderRoleRequirementsTable,
  LeaderYearsTable,
  LeaderPeopleTable,
  LeaderAppointmentsTable,
  LeaderCompletionsTable,
  LeaderExemptionsTable,
  LeaderMatchDismissalsTable,
  LeaderRemindersTable,
  LeaderAccessTokensTable,
} from "./leader-schema.ts";

export type { StaffRequirementValidity } from "./staff-schema.ts";
export type {
  RequirementValidity,
  LeaderCompletionSource,
  LeaderRolesTable,
  LeaderRoleRequirementsTable,
  LeaderYearsTable,
  LeaderPeopleTable,
  LeaderAppointmentsTable,
  LeaderCompletionsTable,
  LeaderExemptionsTable,
  LeaderMatchDismissalsTable,
  LeaderRemindersTable,
  LeaderAccessTokensTable,
} from "./leader-schema.ts";

/**
 * Conventions: times are ISO-8601 UTC text ("2025-10-14T13:00:00.000Z"), booleans are 0 | 1,
 * ids are integers the database assigns. Nullable columns are `T | null`, never optional.
 */

export type Role = "coordinator" | "trainer" | "booker" | "officer";
export const ROLES: readonly Role[] = ["coordinator", "trainer", "booker", "officer"];

export type OrganisationKind = "department" | "sports_club" | "society" | "leader_programme" | "partner_venue" | "staff_team";

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
  second_factor_at: string | null; // when this session last proved the second factor
  sso_provider_id: number | null; // the identity provider that signed this session in, if one did
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
  locked_until: string | null; // no attempt on this address is taken before this time
}

export interface SignInClientFailuresTable {
  id: Generated<number>;
  client: string; // the network address the attempt came from
  failed_at: string;
}

/** An OpenID Connect identity provider people may sign in through. */
export interface SignInProvidersTable {
  id: Generated<number>;
  slug: string; // in the callback address: /auth/sso/<slug>/callback
  name: string; // on the button: "Sign in with <name>"
  issuer_url: string;
  client_id: string;
  client_secret_sealed: string | null; // sealed, bound to the slug; null for a public client (PKCE only)
  email_domains: string; // lower-case domains separated by spaces
  sso_required: 0 | 1; // people at these domains may not sign in with a password
  bookers_may_join: 0 | 1; // someone at these domains without an invitation gets a booker account
  trusts_provider_second_factor: 0 | 1; // a sign-in the provider says used a second factor is not asked for ours
  is_enabled: 0 | 1;
  created_at: string;
  updated_at: string;
}

/** A provider's subject tied to an account: the same person even when their email changes there. */
export interface UserIdentitiesTable {
  id: Generated<number>;
  user_id: number;
  provider_id: number;
  subject: string;
  email: string;
  linked_at: string;
  last_signed_in_at: string;
}

/** A sign-in on its way through a provider, found by the hash of its state; spent on first use. */
export interface SsoAttemptsTable {
  state_hash: string;
  provider_id: number;
  nonce: string;
  code_verifier: string;
  redirect_to: string;
  created_at: string;
  expires_at: string;
}

export interface SecondFactorsTable {
  user_id: number;
  secret: string | null; // the authenticator's secret, encrypted; null until one is confirmed
  confirmed_at: string | null;
  pending_secret: string | null; // encrypted; a secret being set up, until its first code confirms it
  pending_created_at: string | null;
  last_used_step: number | null; // the 30-second step of the last code accepted
  failure_count: Generated<number>;
  last_failed_at: string | null;
  locked_until: string | null; // no code is taken before this time
  created_at: string;
}

export interface RecoveryCodesTable {
  id: Generated<number>;
  user_id: number;
  code_hash: string; // hex SHA-256 of the code
  created_at: string;
  used_at: string | null;
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
  /** The institution of a city partnership it belongs to, if any. */
  institution_id: number | null;
}

/** One institution of a city partnership (a university, a college, a students' union). */
export interface InstitutionsTable {
  id: Generated<number>;
  name: string;
  created_at: string;
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
  /** How many trainers deliver one session (Handling Disclosures: two). */
  trainers_needed: Generated<number>;
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
  /** Codes from ACCESS_FEATURES joined by commas; "" for none. */
  access_features: Generated<string>;
  is_archived: Generated<0 | 1>;
  created_at: string;
  updated_at: string;
}

/** A service the support directory lists: urgent ones first, then by position. */
export interface SupportServicesTable {
  id: Generated<number>;
  name: string;
  /** What it is for, in a sentence or two. */
  purpose: string;
  url: string | null; // http(s) only
  phone: string | null; // as the coordinator typed it
  hours: string | null;
  is_urgent: Generated<0 | 1>;
  position: number;
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

export type Audience = "students" | "staff" | "venue_staff" | "mixed";
export type LocationKind = "campus" | "own_premises";
export type RequestStatus = "requested" | "scheduled" | "declined" | "cancelled";
export type SessionStatus = "scheduled" | "cancelled" | "delivered";
export type AssignmentStatus = "assigned" | "accepted" | "declined";

/** One counter per feature of the records (sessions, attendance, leaders, …), raised by database triggers whenever one of its tables is written (migration 0017). */
export interface RecordVersionsTable {
  name: string;
  version: number;
}

/** Who runs the background jobs until when (migration 0018): one row per kind of job, taken and renewed by its holder. */
export interface JobLeasesTable {
  name: string;
  holder: string; // the process: host, process id and a random part
  expires_at: string;
}

export interface SettingsTable {
  key: string;
  value_json: string;
  updated_at: string;
  updated_by: number | null;
}

export interface BookingRequestsTable {
  id: Generated<number>;
  organisation_id: number;
  requested_by: number;
  course_id: number;
  group_size: number;
  audience: Audience;
  location_kind: LocationKind;
  address: string | null;
  accessibility_needs: string | null;
  /** Codes from ACCESS_FEATURES joined by commas; "" for none. */
  access_needs: Generated<string>;
  notes: string | null;
  status: RequestStatus;
  status_reason: string | null;
  session_id: number | null;
  created_at: string;
  updated_at: string;
}

export type BookingChangeStatus = "open" | "accepted" | "declined";

/** A booker asks to change a scheduled booking: any of a new time, new numbers, new access needs, with a message. */
export interface BookingChangesTable {
  id: Generated<number>;
  request_id: number;
  asked_by: number;
  preferred_starts_at: string | null;
  group_size: number | null;
  accessibility_needs: string | null;
  message: string | null;
  status: BookingChangeStatus;
  /** Why the coordinator declined it. */
  answer_reason: string | null;
  answered_by: number | null;
  answered_at: string | null;
  created_at: string;
}

export interface BookingRequestTimesTable {
  request_id: number;
  position: number;
  starts_at: string;
}

export interface SessionsTable {
  id: Generated<number>;
  course_id: number;
  booking_request_id: number | null;
  organisation_id: number | null;
  starts_at: string;
  ends_at: string;
  /** ends_at − starts_at, kept so reports can add up hours with a portable SUM. */
  duration_minutes: number;
  room_id: number | null;
  address: string | null;
  capacity: number;
  trainers_needed: Generated<number>;
  status: SessionStatus;
  cancel_reason: string | null;
  /** Stored once; every invite, update and cancel for this session reuses it. */
  ical_uid: string;
  /** Rises on every change that matters to a calendar: time, place, trainers, cancellation. */
  ical_sequence: Generated<number>;
  created_by: number | null;
  created_at: string;
  updated_at: string;
  /** "booked" by one organisation, or "open" for individuals to sign up to. */
  kind: Generated<SessionKind>;
  title: string | null;
  signup_deadline: string | null;
  signup_policy: Generated<SignupPolicy>;
  signup_domain: string | null;
  asks_student_id: Generated<0 | 1>;
  /** An optional extra question for people signing up (never dietary needs). */
  question: string | null;
  /** No automatic promotion from the waiting list this close to the start. */
  promotion_cutoff_hours: Generated<number>;
  register_closed_at: string | null;
  head_count: number | null;
  /** The public code behind the room's QR code for anonymous feedback. */
  feedback_code: string | null;
}

export type SessionKind = "booked" | "open";
export type SignupPolicy = "anyone" | "list" | "domain";
export type RegistrationStatus = "registered" | "waiting" | "cancelled";
export type Attendance = "unknown" | "present" | "absent";
export type Recommend = "yes" | "no" | "not_sure";

export interface SignupAllowlistTable {
  session_id: number;
  email: string;
}

export interface RegistrationsTable {
  id: Generated<number>;
  session_id: number;
  name: string;
  email: string | null;
  student_id: string | null;
  accessibility_needs: string | null;
  answer: string | null;
  status: RegistrationStatus;
  attendance: Generated<Attendance>;
  walk_in: Generated<0 | 1>;
  manage_token_hash: string | null;
  created_at: string;
  promoted_at: string | null;
  cancelled_at: string | null;
  attendance_marked_at: string | null;
}

export interface FeedbackTokensTable {
  id: Generated<number>;
  registration_id: number;
  token_hash: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface FeedbackResponsesTable {
  id: Generated<number>;
  session_id: number;
  source: "link" | "qr";
  rating: number;
  recommend: Recommend;
  confidence_before: number | null;
  confidence_after: number | null;
  do_differently: string | null;
  comments: string | null;
  created_at: string;
}

export interface QrFeedbackLimitsTable {
  session_id: number;
  device_hash: string;
  created_at: string;
}

export interface SessionTrainersTable {
  session_id: number;
  trainer_id: number;
  status: AssignmentStatus;
  assigned_by: number | null;
  assigned_at: string;
  responded_at: string | null;
  decline_reason: string | null;
  override_reason: string | null;
}

export interface TrainerProfilesTable {
  user_id: number;
  /** Null: the trainer follows the default in the scheduling settings. */
  max_sessions_per_week: number | null;
  feed_token_hash: string | null;
  feed_token_created_at: string | null;
}

export interface TrainerAvailabilityTable {
  id: Generated<number>;
  trainer_id: number;
  weekday: number; // 1 = Monday … 7 = Sunday
  start_time: string; // "09:00", Europe/London wall time
  end_time: string;
}

export interface TrainerTimeOffTable {
  id: Generated<number>;
  trainer_id: number;
  starts_at: string;
  ends_at: string;
  reason: string | null;
  created_at: string;
}

export interface RemindersSentTable {
  session_id: number;
  recipient_email: string;
  sent_at: string;
}

export interface Database {
  users: UsersTable;
  user_roles: UserRolesTable;
  auth_sessions: AuthSessionsTable;
  email_tokens: EmailTokensTable;
  sign_in_failures: SignInFailuresTable;
  sign_in_client_failures: SignInClientFailuresTable;
  second_factors: SecondFactorsTable;
  recovery_codes: RecoveryCodesTable;
  sign_in_providers: SignInProvidersTable;
  user_identities: UserIdentitiesTable;
  sso_attempts: SsoAttemptsTable;
  organisations: OrganisationsTable;
  organisation_members: OrganisationMembersTable;
  courses: CoursesTable;
  trainer_qualifications: TrainerQualificationsTable;
  rooms: RoomsTable;
  support_services: SupportServicesTable;
  audit_events: AuditEventsTable;
  email_messages: EmailMessagesTable;
  settings: SettingsTable;
  record_versions: RecordVersionsTable;
  job_leases: JobLeasesTable;
  booking_requests: BookingRequestsTable;
  booking_request_times: BookingRequestTimesTable;
  booking_changes: BookingChangesTable;
  sessions: SessionsTable;
  session_trainers: SessionTrainersTable;
  trainer_profiles: TrainerProfilesTable;
  institutions: InstitutionsTable;
  trainer_availability: TrainerAvailabilityTable;
  trainer_time_off: TrainerTimeOffTable;
  reminders_sent: RemindersSentTable;
  signup_allowlist: SignupAllowlistTable;
  registrations: RegistrationsTable;
  feedback_tokens: FeedbackTokensTable;
  feedback_responses: FeedbackResponsesTable;
  qr_feedback_limits: QrFeedbackLimitsTable;
  leader_roles: LeaderRolesTable;
  leader_role_requirements: LeaderRoleRequirementsTable;
  leader_years: LeaderYearsTable;
  leader_people: LeaderPeopleTable;
  leader_appointments: LeaderAppointmentsTable;
  leader_completions: LeaderCompletionsTable;
  leader_exemptions: LeaderExemptionsTable;
  leader_match_dismissals: LeaderMatchDismissalsTable;
  leader_reminders: LeaderRemindersTable;
  leader_access_tokens: LeaderAccessTokensTable;
  staff_roles: StaffRolesTable;
  staff_role_requirements: StaffRoleRequirementsTable;
  staff_members: StaffMembersTable;
  staff_completions: StaffCompletionsTable;
  staff_exemptions: StaffExemptionsTable;
}

/** The database as every query function takes it; a transaction is one too. */
export type Db = Kysely<Database>;

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
export type SupportService = Selectable<SupportServicesTable>;
export type NewSupportService = Insertable<SupportServicesTable>;
export type AuditEvent = Selectable<AuditEventsTable>;
export type EmailMessage = Selectable<EmailMessagesTable>;
export type NewEmailMessage = Insertable<EmailMessagesTable>;
export type BookingRequest = Selectable<BookingRequestsTable>;
export type Session = Selectable<SessionsTable>;
export type SessionTrainer = Selectable<SessionTrainersTable>;
export type Registration = Selectable<RegistrationsTable>;
export type LeaderRole = Selectable<LeaderRolesTable>;
export type LeaderRoleRequirement = Selectable<LeaderRoleRequirementsTable>;
export type LeaderYear = Selectable<LeaderYearsTable>;
export type LeaderPerson = Selectable<LeaderPeopleTable>;
export type LeaderAppointment = Selectable<LeaderAppointmentsTable>;
export type LeaderCompletion = Selectable<LeaderCompletionsTable>;
export type LeaderExemption = Selectable<LeaderExemptionsTable>;
export type StaffMember = Selectable<StaffMembersTable>;
