import type { Database } from "#db/schema.ts";

export type TableName = keyof Database;

/**
 * Every table, and whether it can hold something about one person. A new table is a type error
 * here until someone decides; the tests check that each "person" table shows up in an export and
 * that erasure leaves nothing of the person in any of them.
 */
export const TABLES: Record<TableName, { person: true; in: string } | { person: false; why: string }> = {
  users: { person: true, in: "account" },
  user_roles: { person: true, in: "account.roles" },
  auth_sessions: { person: true, in: "account.signInSessions" },
  email_tokens: { person: true, in: "account.emailedLinks" },
  sign_in_failures: { person: true, in: "signInFailures" },
  sign_in_client_failures: { person: false, why: "failed sign-ins counted per network address for an hour, naming no account" },
  second_factors: { person: true, in: "account.secondFactor" },
  recovery_codes: { person: true, in: "account.secondFactor.recoveryCodes" },
  sign_in_providers: { person: false, why: "the identity providers people may sign in through, with their settings" },
  user_identities: { person: true, in: "account.signInProviders" },
  sso_attempts: { person: false, why: "sign-ins on their way through a provider for ten minutes, naming no account" },
  organisations: { person: true, in: "organisationContacts" },
  organisation_members: { person: true, in: "account.organisations" },
  courses: { person: false, why: "courses" },
  institutions: { person: false, why: "the institutions of a city partnership, by name" },
  trainer_qualifications: { person: true, in: "account.trainer.qualifications" },
  rooms: { person: false, why: "rooms" },
  support_services: { person: false, why: "the support services the coordinator lists, with their public web addresses and phone numbers" },
  audit_events: { person: true, in: "audit" },
  email_messages: { person: true, in: "emails" },
  settings: { person: false, why: "the coordinator's settings, with the id of whoever last changed them" },
  job_leases: { person: false, why: "which server process runs the background jobs, until when" },
  record_versions: { person: false, why: "one counter that goes up when records change, so cached figures are recomputed" },
  booking_requests: { person: true, in: "account.bookingRequests" },
  booking_changes: { person: true, in: "account.bookingChanges" },
  booking_request_times: { person: false, why: "the times asked for in a booking request (shown with the request)" },
  sessions: { person: false, why: "sessions; who created one is an account id" },
  session_trainers: { person: true, in: "account.trainer.assignments" },
  trainer_profiles: { person: true, in: "account.trainer" },
  trainer_availability: { person: true, in: "account.trainer.availability" },
  trainer_time_off: { person: true, in: "account.trainer.timeOff" },
  reminders_sent: { person: true, in: "remindersSent" },
  signup_allowlist: { person: true, in: "signupLists" },
  registrations: { person: true, in: "registrations" },
  feedback_tokens: { person: true, in: "feedbackLinks" },
  feedback_responses: { person: false, why: "feedback answers, stored with the session only and no link to who gave them" },
  qr_feedback_limits: { person: false, why: "a one-way hash of a device, kept to limit answers by QR code" },
  leader_roles: { person: false, why: "leader roles" },
  leader_role_requirements: { person: false, why: "the courses each leader role needs" },
  leader_years: { person: false, why: "roster years and deadlines" },
  leader_people: { person: true, in: "leader" },
  leader_appointments: { person: true, in: "leader.appointments" },
  leader_completions: { person: true, in: "leader.completions" },
  leader_exemptions: { person: true, in: "leader.exemptions" },
  leader_match_dismissals: { person: true, in: "leader.dismissedMatches" },
  leader_reminders: { person: true, in: "leader.reminders" },
  leader_access_tokens: { person: true, in: "leader.accessLinks" },
  staff_roles: { person: false, why: "the staff roles the campaign names" },
  staff_role_requirements: { person: false, why: "the courses each staff role needs" },
  staff_members: { person: true, in: "staff" },
  staff_completions: { person: true, in: "staff.completions" },
  staff_exemptions: { person: true, in: "staff.exemptions" },
};

export const PERSON_TABLES = (Object.keys(TABLES) as TableName[]).filter((t) => TABLES[t].person);

/** What an erased person's name becomes everywhere. */
export const ERASED_NAME = "Erased person";
/** What an attendee's name becomes when their registration passes its retention period. */
export const ANONYMISED_NAME = "Anonymised attendee";
/** Addresses that stand in for a removed one end here; `.invalid` can never receive mail (RFC 2606). */
export const PLACEHOLDER_DOMAIN = "erased.invalid";
export const ERASED_BODY = "This message was removed because the recipient's personal data was erased.";
export const REMOVED_BODY = "This message's content was removed at the end of its retention period.";
export const MENTION_REMOVED_MIME = "The raw message was removed because it mentioned a person whose data was erased; the text and HTML above are redacted.";

/** A LIKE pattern that matches `text` anywhere, with LIKE's own wildcards escaped (use with `escape '\'`). */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
