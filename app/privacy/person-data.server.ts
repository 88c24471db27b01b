import { sql, type Expression, type ExpressionBuilder, type SqlBool } from "kysely";
import type { Database, Db } from "#db/schema.ts";
import { ACCESS_FEATURE_LABELS, readAccessSet } from "#app/scheduling/room-access.ts";
import { nowIso } from "#app/utils/time.ts";
import { ANONYMISED_NAME, containsPattern, ERASED_NAME, PERSON_TABLES, type TableName } from "./tables.ts";
import { likeNeedles, mentions as mentionsIn, needleBatches, storedForms } from "./stored-forms.ts";
import { identifyPerson, lowerEq, normaliseEmail } from "./identity.server.ts";
import { findStaffRecords, type StaffRecord } from "./staff-data.server.ts";
import { COMPLETION_COLUMNS, completionExport, EXEMPTION_COLUMNS, exemptionExport, type CompletionExport, type ExemptionExport } from "./training-records.ts";

export interface PersonData {
  email: string;
  generatedAt: string;
  /** Nothing at all is held about this address. */
  nothingHeld: boolean;
  account: {
    id: number;
    name: string;
    email: string;
    active: boolean;
    hasPassword: boolean;
    createdAt: string;
    roles: string[];
    organisations: string[];
    signInSessions: { count: number; lastUsedAt: string | null };
    /** An authenticator app and recovery codes; the secret and the codes themselves are never given out. */
    secondFactor: { setUpAt: string; recoveryCodes: { unused: number; used: number } } | null;
    /** The identity providers this account signs in through, with the address each last gave. */
    signInProviders: { provider: string; email: string; linkedAt: string; lastSignedInAt: string }[];
    emailedLinks: { purpose: string; createdAt: string; expiresAt: string; usedAt: string | null }[];
    bookingRequests: {
      id: number;
      organisation: string;
      course: string;
      status: string;
      groupSize: number;
      accessNeeds: string[];
      accessibilityNeeds: string | null;
      notes: string | null;
      createdAt: string;
    }[];
    /** Changes they asked for to scheduled bookings, with what they wrote. */
    bookingChanges: {
      requestId: number;
      status: string;
      groupSize: number | null;
      accessibilityNeeds: string | null;
      message: string | null;
      createdAt: string;
    }[];
    trainer: {
      qualifications: string[];
      maxSessionsPerWeek: number | null;
      calendarFeed: boolean;
      availability: { weekday: number; start: string; end: string }[];
      timeOff: { startsAt: string; endsAt: string; reason: string | null }[];
      assignments: { sessionId: number; course: string; startsAt: string; status: string; declineReason: string | null; overrideReason: string | null }[];
    };
    /** Changes this person made, recorded in the audit log under their account. */
    actionsRecorded: number;
  } | null;
  registrations: {
    id: number;
    sessionId: number;
    session: string;
    course: string;
    startsAt: string;
    status: string;
    attendance: string;
    walkIn: boolean;
    name: string;
    email: string | null;
    studentId: string | null;
    accessibilityNeeds: string | null;
    answer: string | null;
    registeredAt: string;
    cancelledAt: string | null;
    /** "email", or "student ID" when it was made with another address and one of their student IDs. */
    foundBy: "email" | "student ID";
  }[];
  feedbackLinks: { registrationId: number; sessionId: number; course: string; startsAt: string; sentAt: string; expiresAt: string; usedOn: string | null }[];
  leader: {
    id: number;
    name: string;
    email: string;
    studentId: string | null;
    createdAt: string;
    appointments: { year: number; role: string; group: string; president: boolean; startedOn: string; endedOn: string | null; endReason: string | null }[];
    completions: (CompletionExport & { source: string })[];
    exemptions: ({ year: number } & ExemptionExport)[];
    reminders: { year: number; sentAt: string }[];
    accessLinks: { createdAt: string; expiresAt: string; lastUsedAt: string | null }[];
    dismissedMatches: number;
  } | null;
  /** Their entries on venues' and staff teams' staff lists. */
  staff: StaffRecord[];
  emails: { id: number; subject: string; template: string; status: string; createdAt: string; sentAt: string | null }[];
  audit: { id: number; createdAt: string; action: string; summary: string; actor: string | null; why: string }[];
  signInFailures: { count: number; lastFailedAt: string; lockedUntil: string | null } | null;
  organisationContacts: { organisation: string; contactName: string | null }[];
  signupLists: { sessionId: number; course: string; startsAt: string }[];
  remindersSent: { sessionId: number; sentAt: string }[];
  /** Rows found in each table that can hold personal data. */
  tables: Record<string, number>;
}

const sessionLabel = (title: string | null, course: string) => title ?? course;

/** Everything held about one email address, read in a fixed number of queries. */
export async function findPersonData(db: Db, rawEmail: string): Promise<PersonData> {
  const who = await identifyPerson(db, rawEmail);
  const { email, userId, leaderId } = who;
  const regIds = who.registrationIds.length ? who.registrationIds : [-1];
  const uid = userId ?? -1;
  const lid = leaderId ?? -1;

  const emailForms = storedForms(email);
  const nameForms = who.names.filter(mentionableName).flatMap((n) => storedForms(n));
  const mentions = (eb: ExpressionBuilder<Database & { a: Database["audit_events"] }, "a">): Expression<SqlBool> => {
    // Grouped a few dozen to a bracket: SQLite limits how deep one condition may nest.
    const parts: Expression<SqlBool>[] = needleBatches(likeNeedles([...emailForms, ...nameForms]), 30).map((needles) =>
      eb.or(
        needles.flatMap((n) => [
          sql<SqlBool>`lower(${sql.ref("a.summary")}) like ${containsPattern(n)} escape '\\'`,
          sql<SqlBool>`lower(coalesce(${sql.ref("a.detail_json")}, '')) like ${containsPattern(n)} escape '\\'`,
        ]),
      ),
    );
    if (userId) parts.push(eb.and([eb("a.entity_type", "=", "user"), eb("a.entity_id", "=", String(userId))]));
    if (leaderId) parts.push(eb.and([eb("a.entity_type", "=", "leader"), eb("a.entity_id", "=", String(leaderId))]));
    if (who.staffMemberIds.length) parts.push(eb.and([eb("a.entity_type", "=", "staff_member"), eb("a.entity_id", "in", who.staffMemberIds.map(String))]));
    return eb.or(parts);
  };

  const [
    user,
    roles,
    organisations,
    authSessions,
    emailTokens,
    bookingRequests,
    bookingChanges,
    qualifications,
    profile,
    availability,
    timeOff,
    assignments,
    actions,
    registrations,
    feedbackLinks,
    leader,
    appointments,
    completions,
    exemptions,
    reminders,
    accessLinks,
    dismissals,
    emails,
    auditRows,
    signInFailures,
    organisationContacts,
    signupLists,
    remindersSent,
  ] = await Promise.all([
    db.selectFrom("users").select(["id", "name", "email", "is_active", "password_hash", "created_at"]).where("id", "=", uid).executeTakeFirst(),
    db.selectFrom("user_roles").select("role").where("user_id", "=", uid).orderBy("role").execute(),
    db
      .selectFrom("organisation_members as m")
      .innerJoin("organisations as o", "o.id", "m.organisation_id")
      .select("o.name")
      .where("m.user_id", "=", uid)
      .orderBy("o.name")
      .execute(),
    db
      .selectFrom("auth_sessions")
      .select((eb) => [eb.fn.countAll<number>().as("n"), eb.fn.max("last_verified_at").as("last")])
      .where("user_id", "=", uid)
      .executeTakeFirstOrThrow(),
    db.selectFrom("email_tokens").select(["purpose", "created_at", "expires_at", "used_at"]).where("user_id", "=", uid).orderBy("id").execute(),
    db
      .selectFrom("booking_requests as br")
      .innerJoin("organisations as o", "o.id", "br.organisation_id")
      .innerJoin("courses as c", "c.id", "br.course_id")
      .select([
        "br.id",
        "o.name as organisation",
        "c.name as course",
        "br.status",
        "br.group_size",
        "br.access_needs",
        "br.accessibility_needs",
        "br.notes",
        "br.created_at",
      ])
      .where("br.requested_by", "=", uid)
      .orderBy("br.id")
      .execute(),
    db
      .selectFrom("booking_changes")
      .select(["request_id", "status", "group_size", "accessibility_needs", "message", "created_at"])
      .where("asked_by", "=", uid)
      .orderBy("id")
      .execute(),
    db
      .selectFrom("trainer_qualifications as q")
      .innerJoin("courses as c", "c.id", "q.course_id")
      .select("c.name")
      .where("q.user_id", "=", uid)
      .orderBy("c.name")
      .execute(),
    db.selectFrom("trainer_profiles").select(["max_sessions_per_week", "feed_token_hash"]).where("user_id", "=", uid).executeTakeFirst(),
    db
      .selectFrom("trainer_availability")
      .select(["weekday", "start_time", "end_time"])
      .where("trainer_id", "=", uid)
      .orderBy("weekday")
      .orderBy("start_time")
      .execute(),
    db.selectFrom("trainer_time_off").select(["starts_at", "ends_at", "reason"]).where("trainer_id", "=", uid).orderBy("starts_at").execute(),
    db
      .selectFrom("session_trainers as st")
      .innerJoin("sessions as s", "s.id", "st.session_id")
      .innerJoin("courses as c", "c.id", "s.course_id")
      .select(["s.id", "c.name as course", "s.starts_at", "st.status", "st.decline_reason", "st.override_reason"])
      .where("st.trainer_id", "=", uid)
      .orderBy("s.starts_at")
      .execute(),
    db
      .selectFrom("audit_events")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("actor_user_id", "=", uid)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom("registrations as r")
      .innerJoin("sessions as s", "s.id", "r.session_id")
      .innerJoin("courses as c", "c.id", "s.course_id")
      .select([
        "r.id",
        "r.session_id",
        "s.title",
        "c.name as course",
        "s.starts_at",
        "r.status",
        "r.attendance",
        "r.walk_in",
        "r.name",
        "r.email",
        "r.student_id",
        "r.accessibility_needs",
        "r.answer",
        "r.created_at",
        "r.cancelled_at",
      ])
      .where("r.id", "in", regIds)
      .orderBy("s.starts_at", "desc")
      .orderBy("r.id")
      .execute(),
    db
      .selectFrom("feedback_tokens as t")
      .innerJoin("registrations as r", "r.id", "t.registration_id")
      .innerJoin("sessions as s", "s.id", "r.session_id")
      .innerJoin("courses as c", "c.id", "s.course_id")
      .select(["t.registration_id", "r.session_id", "c.name as course", "s.starts_at", "t.created_at", "t.expires_at", "t.used_at"])
      .where("t.registration_id", "in", regIds)
      .orderBy("t.id")
      .execute(),
    db.selectFrom("leader_people").select(["id", "name", "email", "student_id", "created_at"]).where("id", "=", lid).executeTakeFirst(),
    db
      .selectFrom("leader_appointments as a")
      .innerJoin("leader_roles as lr", "lr.id", "a.role_id")
      .select(["a.start_year", "lr.name as role", "a.group_name", "a.is_president", "a.started_on", "a.ended_on", "a.end_reason"])
      .where("a.person_id", "=", lid)
      .orderBy("a.start_year")
      .orderBy("a.id")
      .execute(),
    db
      .selectFrom("leader_completions as t")
      .innerJoin("courses as c", "c.id", "t.course_id")
      .select(["t.source", ...COMPLETION_COLUMNS])
      .where("t.person_id", "=", lid)
      .orderBy("t.completed_on")
      .execute(),
    db
      .selectFrom("leader_exemptions as t")
      .leftJoin("courses as c", "c.id", "t.course_id")
      .select(["t.start_year", ...EXEMPTION_COLUMNS])
      .where("t.person_id", "=", lid)
      .orderBy("t.id")
      .execute(),
    db.selectFrom("leader_reminders").select(["start_year", "sent_at"]).where("person_id", "=", lid).orderBy("sent_at").execute(),
    db.selectFrom("leader_access_tokens").select(["created_at", "expires_at", "last_used_at"]).where("person_id", "=", lid).orderBy("created_at").execute(),
    db
      .selectFrom("leader_match_dismissals")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("person_id", "=", lid)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom("email_messages")
      .select(["id", "subject", "template", "status", "created_at", "sent_at"])
      .where(lowerEq("to_address", email))
      .orderBy("id", "desc")
      .execute(),
    db
      .selectFrom("audit_events as a")
      .leftJoin("users as u", "u.id", "a.actor_user_id")
      .select(["a.id", "a.created_at", "a.action", "a.summary", "a.entity_type", "a.entity_id", "a.detail_json", "u.name as actor"])
      .where(mentions)
      .orderBy("a.id", "desc")
      .execute(),
    db.selectFrom("sign_in_failures").select(["failure_count", "last_failed_at", "locked_until"]).where(lowerEq("email", email)).executeTakeFirst(),
    db.selectFrom("organisations").select(["name", "contact_name"]).where(lowerEq("contact_email", email)).orderBy("name").execute(),
    db
      .selectFrom("signup_allowlist as l")
      .innerJoin("sessions as s", "s.id", "l.session_id")
      .innerJoin("courses as c", "c.id", "s.course_id")
      .select(["l.session_id", "c.name as course", "s.starts_at"])
      .where(lowerEq("l.email", email))
      .orderBy("s.starts_at")
      .execute(),
    db.selectFrom("reminders_sent").select(["session_id", "sent_at"]).where(lowerEq("recipient_email", email)).orderBy("sent_at").execute(),
  ]);

  const [secondFactor, recoveryCodes, identities, staff] = await Promise.all([
    db.selectFrom("second_factors").select(["confirmed_at", "pending_created_at"]).where("user_id", "=", uid).executeTakeFirst(),
    db.selectFrom("recovery_codes").select("used_at").where("user_id", "=", uid).execute(),
    db
      .selectFrom("user_identities as i")
      .innerJoin("sign_in_providers as p", "p.id", "i.provider_id")
      .select(["p.name as provider", "i.email", "i.linked_at", "i.last_signed_in_at"])
      .where("i.user_id", "=", uid)
      .orderBy("i.linked_at")
      .execute(),
    findStaffRecords(db, who.staffMemberIds),
  ]);

  const byEmail = new Set(registrations.filter((r) => r.email && normaliseEmail(r.email) === email).map((r) => r.id));
  const whyAudit = (a: (typeof auditRows)[number]): string | null => {
    if (userId && a.entity_type === "user" && a.entity_id === String(userId)) return "about their account";
    if (leaderId && a.entity_type === "leader" && a.entity_id === String(leaderId)) return "about their leader record";
    if (a.entity_type === "staff_member" && who.staffMemberIds.map(String).includes(a.entity_id ?? "")) return "about their staff-list entry";
    if (mentionsIn(a.summary, emailForms) || mentionsIn(a.detail_json, emailForms)) return "mentions their email address";
    if (mentionsIn(a.summary, nameForms) || mentionsIn(a.detail_json, nameForms)) return "mentions their name (it may be someone else with the same name)";
    // Found by LIKE inside another word: not about them.
    return null;
  };
  const audit = auditRows.flatMap((a) => {
    const why = whyAudit(a);
    return why ? [{ ...a, why }] : [];
  });

  const data: PersonData = {
    email,
    generatedAt: nowIso(),
    nothingHeld: false,
    account: user
      ? {
          id: user.id,
          name: user.name,
          email: user.email,
          active: user.is_active === 1,
          hasPassword: user.password_hash !== null,
          createdAt: user.created_at,
          roles: roles.map((r) => r.role),
          organisations: organisations.map((o) => o.name),
          signInSessions: { count: Number(authSessions.n), lastUsedAt: (authSessions.last as string | null) ?? null },
          secondFactor: secondFactor?.confirmed_at
            ? {
                setUpAt: secondFactor.confirmed_at,
                recoveryCodes: { unused: recoveryCodes.filter((c) => !c.used_at).length, used: recoveryCodes.filter((c) => c.used_at).length },
              }
            : null,
          signInProviders: identities.map((i) => ({ provider: i.provider, email: i.email, linkedAt: i.linked_at, lastSignedInAt: i.last_signed_in_at })),
          emailedLinks: emailTokens.map((t) => ({ purpose: t.purpose, createdAt: t.created_at, expiresAt: t.expires_at, usedAt: t.used_at })),
          bookingRequests: bookingRequests.map((b) => ({
            id: b.id,
            organisation: b.organisation,
            course: b.course,
            status: b.status,
            groupSize: b.group_size,
            accessNeeds: readAccessSet(b.access_needs).map((f) => ACCESS_FEATURE_LABELS[f]),
            accessibilityNeeds: b.accessibility_needs,
            notes: b.notes,
            createdAt: b.created_at,
          })),
          bookingChanges: bookingChanges.map((c) => ({
            requestId: c.request_id,
            status: c.status,
            groupSize: c.group_size,
            accessibilityNeeds: c.accessibility_needs,
            message: c.message,
            createdAt: c.created_at,
          })),
          trainer: {
            qualifications: qualifications.map((q) => q.name),
            maxSessionsPerWeek: profile?.max_sessions_per_week ?? null,
            calendarFeed: !!profile?.feed_token_hash,
            availability: availability.map((a) => ({ weekday: a.weekday, start: a.start_time, end: a.end_time })),
            timeOff: timeOff.map((t) => ({ startsAt: t.starts_at, endsAt: t.ends_at, reason: t.reason })),
            assignments: assignments.map((a) => ({
              sessionId: a.id,
              course: a.course,
              startsAt: a.starts_at,
              status: a.status,
              declineReason: a.decline_reason,
              overrideReason: a.override_reason,
            })),
          },
          actionsRecorded: Number(actions.n),
        }
      : null,
    registrations: registrations.map((r) => ({
      id: r.id,
      sessionId: r.session_id,
      session: sessionLabel(r.title, r.course),
      course: r.course,
      startsAt: r.starts_at,
      status: r.status,
      attendance: r.attendance,
      walkIn: r.walk_in === 1,
      name: r.name,
      email: r.email,
      studentId: r.student_id,
      accessibilityNeeds: r.accessibility_needs,
      answer: r.answer,
      registeredAt: r.created_at,
      cancelledAt: r.cancelled_at,
      foundBy: byEmail.has(r.id) ? "email" : "student ID",
    })),
    feedbackLinks: feedbackLinks.map((f) => ({
      registrationId: f.registration_id,
      sessionId: f.session_id,
      course: f.course,
      startsAt: f.starts_at,
      sentAt: f.created_at,
      expiresAt: f.expires_at,
      usedOn: f.used_at,
    })),
    leader: leader
      ? {
          id: leader.id,
          name: leader.name,
          email: leader.email,
          studentId: leader.student_id,
          createdAt: leader.created_at,
          appointments: appointments.map((a) => ({
            year: a.start_year,
            role: a.role,
            group: a.group_name,
            president: a.is_president === 1,
            startedOn: a.started_on,
            endedOn: a.ended_on,
            endReason: a.end_reason,
          })),
          completions: completions.map((c) => ({ ...completionExport(c), source: c.source })),
          exemptions: exemptions.map((e) => ({ year: e.start_year, ...exemptionExport(e) })),
          reminders: reminders.map((r) => ({ year: r.start_year, sentAt: r.sent_at })),
          accessLinks: accessLinks.map((a) => ({ createdAt: a.created_at, expiresAt: a.expires_at, lastUsedAt: a.last_used_at })),
          dismissedMatches: Number(dismissals.n),
        }
      : null,
    staff: staff.records,
    emails: emails.map((m) => ({ id: m.id, subject: m.subject, template: m.template, status: m.status, createdAt: m.created_at, sentAt: m.sent_at })),
    audit: audit.map((a) => ({ id: a.id, createdAt: a.created_at, action: a.action, summary: a.summary, actor: a.actor, why: a.why })),
    signInFailures: signInFailures
      ? { count: signInFailures.failure_count, lastFailedAt: signInFailures.last_failed_at, lockedUntil: signInFailures.locked_until }
      : null,
    organisationContacts: organisationContacts.map((o) => ({ organisation: o.name, contactName: o.contact_name })),
    signupLists: signupLists.map((l) => ({ sessionId: l.session_id, course: l.course, startsAt: l.starts_at })),
    remindersSent: remindersSent.map((r) => ({ sessionId: r.session_id, sentAt: r.sent_at })),
    tables: {},
  };

  const counts: Record<TableName, number> = {
    users: user ? 1 : 0,
    user_roles: roles.length,
    auth_sessions: Number(authSessions.n),
    email_tokens: emailTokens.length,
    sign_in_failures: signInFailures ? 1 : 0,
    sign_in_client_failures: 0,
    second_factors: secondFactor ? 1 : 0,
    recovery_codes: recoveryCodes.length,
    user_identities: identities.length,
    organisations: organisationContacts.length,
    organisation_members: organisations.length,
    trainer_qualifications: qualifications.length,
    audit_events: audit.length,
    email_messages: emails.length,
    booking_requests: bookingRequests.length,
    booking_changes: bookingChanges.length,
    session_trainers: assignments.length,
    trainer_profiles: profile ? 1 : 0,
    trainer_availability: availability.length,
    trainer_time_off: timeOff.length,
    reminders_sent: remindersSent.length,
    signup_allowlist: signupLists.length,
    registrations: registrations.length,
    feedback_tokens: feedbackLinks.length,
    leader_people: leader ? 1 : 0,
    leader_appointments: appointments.length,
    leader_completions: completions.length,
    leader_exemptions: exemptions.length,
    leader_match_dismissals: Number(dismissals.n),
    leader_reminders: reminders.length,
    leader_access_tokens: accessLinks.length,
    ...staff.counts,
    // Tables that hold nothing about a person.
    courses: 0,
    institutions: 0,
    sign_in_providers: 0,
    sso_attempts: 0,
    rooms: 0,
    support_services: 0,
    settings: 0,
    record_versions: 0,
    job_leases: 0,
    booking_request_times: 0,
    sessions: 0,
    feedback_responses: 0,
    qr_feedback_limits: 0,
    leader_roles: 0,
    leader_role_requirements: 0,
    leader_years: 0,
    staff_roles: 0,
    staff_role_requirements: 0,
  };
  data.tables = Object.fromEntries(PERSON_TABLES.map((t) => [t, counts[t]]));
  data.nothingHeld = PERSON_TABLES.every((t) => counts[t] === 0);
  return data;
}

/**
 * Names worth looking for in free text. Matching is by whole word (see stored-forms.ts), so a short
 * name ("Amir", "Li") is found where it stands alone and not inside other words ("Al" in "Already").
 */
export function mentionableName(name: string): boolean {
  return name.trim().length >= 2 && name !== ERASED_NAME && name !== ANONYMISED_NAME;
}

/** The note on what feedback can and cannot be tied to a person, shown on the page and in the download. */
export const FEEDBACK_NOTE =
  "Feedback answers are stored with the session only, never with the person. What is held is that a link was emailed to this person, and the day it was used (if it was). The answer and the link both record the day only, not the time, so an answer cannot be matched to a person by when it arrived. Answers given by the room's QR code are not linked to anyone.";
