import crypto from "node:crypto";
import { createElement } from "react";
import { sql, type Kysely, type TableMetadata } from "kysely";
import type { Database } from "#db/schema.ts";
import { recordAudit } from "#app/audit/audit.server.ts";
import { createAuthSession } from "#app/auth/session.server.ts";
import { sendEmail } from "#app/email/outbox.server.ts";
import { academicYearStartOf } from "#app/utils/dates.ts";
import { addMs, DAY, HOUR, now, nowIso } from "#app/utils/time.ts";
import { attend, createLeader, createLeaderRole, createLeaderYear, insertCompletion, insertExemption } from "./compliance-fixtures.ts";
import { createCourse, createOrganisation, createUser } from "./factories.ts";
import { insertSession } from "./scheduling-fixtures.ts";
import { addTestProvider } from "./sso-fixtures.ts";
import { createStaffMember, createStaffRole, createVenue } from "./staff-fixtures.ts";

const letters = () => Array.from(crypto.randomBytes(6), (b) => String.fromCharCode(97 + (b % 26))).join("");
const hex = () => crypto.randomBytes(16).toString("hex");

export interface EverywherePerson {
  name: string;
  email: string;
  /** The same person's second address, on a registration found by their student ID. */
  otherEmail: string;
  studentId: string;
  userId: number;
  leaderId: number;
  /** Their entry on a venue's staff list, under the same address, with a staff number of its own. */
  staffMemberId: number;
  staffNumber: string;
  courseId: number;
  sessionIds: number[];
  /** Another attendee who happens to share the name: their registration is not the person's. */
  namesakeRegistrationId: number;
  startYear: number;
}

/**
 * One person with a row in every table that can hold something about a person: an account (a
 * trainer and booker), registrations (one made with another address and the same student ID), a
 * feedback link, a leader record with everything an officer can add, mail to them and mail
 * mentioning them, audit entries, and the lists keyed by their address.
 */
export async function personEverywhere(db: Kysely<Database>): Promise<EverywherePerson> {
  const tag = letters();
  const name = `Zephyrine Quill${tag}`;
  const email = `zephyrine.${tag}@students.example.ac.uk`;
  const otherEmail = `zq.${tag}@personal.example.com`;
  const studentId = `Q${crypto.randomInt(1_000_000, 9_999_999)}`;
  const at = nowIso();
  const courseId = await createCourse(db);
  const organisationId = await createOrganisation(db);

  const user = await createUser(db, { name, email, roles: ["trainer", "booker"], organisationIds: [organisationId] });
  await createAuthSession(db, user.id, "Firefox on a phone");
  await db
    .insertInto("email_tokens")
    .values({ user_id: user.id, purpose: "password_reset", token_hash: hex(), created_at: at, expires_at: addMs(now(), HOUR).toISOString(), used_at: null })
    .execute();
  await db.insertInto("sign_in_failures").values({ email, failure_count: 2, first_failed_at: at, last_failed_at: at, locked_until: null }).execute();
  await db.insertInto("second_factors").values({ user_id: user.id, secret: "v1.sealed", confirmed_at: at, created_at: at }).execute();
  await db.insertInto("recovery_codes").values({ user_id: user.id, code_hash: hex(), created_at: at, used_at: null }).execute();
  const provider = await addTestProvider(db, { issuer: "https://login.example.ac.uk", slug: `campus-${hex().slice(0, 8)}` });
  await db
    .insertInto("user_identities")
    .values({ user_id: user.id, provider_id: provider.id, subject: hex(), email: user.email, linked_at: at, last_signed_in_at: at })
    .execute();
  await db.updateTable("organisations").set({ contact_name: name, contact_email: email }).where("id", "=", organisationId).execute();
  await db.insertInto("trainer_qualifications").values({ user_id: user.id, course_id: courseId, qualified_at: at }).execute();
  await db.insertInto("trainer_profiles").values({ user_id: user.id, max_sessions_per_week: 3, feed_token_hash: hex(), feed_token_created_at: at }).execute();
  await db.insertInto("trainer_availability").values({ trainer_id: user.id, weekday: 2, start_time: "09:00", end_time: "17:00" }).execute();
  await db
    .insertInto("trainer_time_off")
    .values({ trainer_id: user.id, starts_at: at, ends_at: addMs(now(), DAY).toISOString(), reason: `Hospital appointment (${name})`, created_at: at })
    .execute();
  const bookingRequest = await db
    .insertInto("booking_requests")
    .values({
      organisation_id: organisationId,
      requested_by: user.id,
      course_id: courseId,
      group_size: 12,
      audience: "students",
      location_kind: "campus",
      address: null,
      accessibility_needs: "One wheelchair user",
      notes: `Please contact ${name} on ${email}`,
      status: "requested",
      status_reason: null,
      session_id: null,
      created_at: at,
      updated_at: at,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db
    .insertInto("booking_changes")
    .values({
      request_id: bookingRequest.id,
      asked_by: user.id,
      preferred_starts_at: null,
      group_size: 14,
      accessibility_needs: null,
      message: `Two more people are coming; ring ${name} on ${email}`,
      status: "open",
      answer_reason: null,
      answered_by: null,
      answered_at: null,
      created_at: at,
    })
    .execute();

  // Three delivered sessions in the past; they trained at the first.
  const sessionIds = [
    await insertSession(db, { courseId, startsAt: addMs(now(), -40 * DAY), status: "delivered", trainerIds: [user.id] }),
    await insertSession(db, { courseId, startsAt: addMs(now(), -20 * DAY), status: "delivered" }),
    await insertSession(db, { courseId, startsAt: addMs(now(), -10 * DAY), status: "delivered" }),
  ];
  await db.updateTable("sessions").set({ kind: "open", title: "Leader induction" }).where("id", "in", sessionIds).execute();
  const [s1, s2, s3] = sessionIds as [number, number, number];
  const r1 = await attend(db, s2, { name, email, studentId });
  await db
    .updateTable("registrations")
    .set({ accessibility_needs: `${name} uses a wheelchair`, answer: "Hall rep", manage_token_hash: hex() })
    .where("id", "=", r1)
    .execute();
  // The same address, typed with capitals on an older sign-up.
  await attend(db, s3, { name, email: email.replace("zephyrine", "Zephyrine"), studentId: null });
  // Another address, the same student ID: the registers count this as the same person.
  await attend(db, s1, { name: `Zeph Quill${tag}`, email: otherEmail, studentId });
  const namesakeRegistrationId = await attend(db, s3, { name, email: `someone.else.${tag}@students.example.ac.uk` });
  for (const sessionId of sessionIds) {
    for (let i = 0; i < 3; i++) await attend(db, sessionId, { name: `Other attendee ${i}`, email: `other-${i}-${sessionId}-${tag}@students.example.ac.uk` });
  }
  await db
    .insertInto("feedback_tokens")
    .values({
      registration_id: r1,
      token_hash: hex(),
      created_at: at,
      expires_at: addMs(now(), 20 * DAY).toISOString(),
      used_at: `${at.slice(0, 10)}T00:00:00.000Z`,
    })
    .execute();
  await db
    .insertInto("feedback_responses")
    .values({
      session_id: s2,
      source: "link",
      rating: 5,
      recommend: "yes",
      confidence_before: 2,
      confidence_after: 4,
      do_differently: "Speak up",
      comments: "Great",
      created_at: at,
    })
    .execute();
  await db.insertInto("reminders_sent").values({ session_id: s2, recipient_email: email, sent_at: at }).execute();
  await db.insertInto("signup_allowlist").values({ session_id: s2, email }).execute();

  // A student leader this year, with everything an officer can record.
  const startYear = academicYearStartOf(now());
  await createLeaderYear(db, startYear);
  const roleId = await createLeaderRole(db, [{ courseId }]);
  const leader = await createLeader(db, { roleId, startYear, name, email, studentId, groupName: "Hockey Club" });
  await db
    .updateTable("leader_appointments")
    .set({ end_reason: `${name} moved halls` })
    .where("id", "=", leader.appointmentId)
    .execute();
  await insertCompletion(db, {
    person_id: leader.personId,
    course_id: courseId,
    completed_on: at.slice(0, 10),
    provider: "St John Ambulance",
    evidence_note: `Certificate for ${name}`,
    created_at: at,
  });
  await insertExemption(db, { person_id: leader.personId, start_year: startYear, reason: "Medical", granted_by: "Dean of Students", created_at: at });
  await db
    .insertInto("leader_match_dismissals")
    .values({ person_id: leader.personId, registration_id: namesakeRegistrationId, dismissed_by: null, dismissed_at: at })
    .execute();
  await db
    .insertInto("leader_access_tokens")
    .values({ person_id: leader.personId, token_hash: hex(), created_at: at, expires_at: addMs(now(), DAY).toISOString(), last_used_at: null })
    .execute();

  // On a venue's staff list too, as a contractor, with training recorded by hand and an exemption.
  const staffNumber = `SN${crypto.randomInt(1_000_000, 9_999_999)}`;
  const member = await createStaffMember(db, {
    organisationId: await createVenue(db),
    roleId: await createStaffRole(db, [{ courseId }]),
    name,
    email,
    staffNumber,
    employer: "Shield Security Ltd",
  });
  await db
    .updateTable("staff_members")
    .set({ end_reason: `${name} went travelling` })
    .where("id", "=", member.id)
    .execute();
  await db
    .insertInto("staff_completions")
    .values({
      member_id: member.id,
      course_id: courseId,
      completed_on: at.slice(0, 10),
      provider: "SIA",
      evidence_note: `Certificate for ${name}`,
      recorded_by: null,
      created_at: at,
    })
    .execute();
  await db
    .insertInto("staff_exemptions")
    .values({ member_id: member.id, course_id: null, reason: `${name} trains the team`, granted_by: "Venue manager", recorded_by: null, created_at: at })
    .execute();

  // Mail to them, and mail to someone else that names them.
  const reminderId = await sendEmail(db, {
    template: "leader-reminder",
    to: { email, name },
    subject: `${name}, your leader training`,
    react: createElement("p", null, `Hello ${name}, your student ID ${studentId} is on the roster.`),
    attachments: [{ filename: "invite.ics", contentType: "text/calendar", content: `ATTENDEE;CN=${name}:mailto:${email}` }],
  });
  await db
    .insertInto("leader_reminders")
    .values({ person_id: leader.personId, start_year: startYear, sent_at: at, sent_by: null, email_message_id: reminderId })
    .execute();
  await sendEmail(db, { template: "test", to: { email: otherEmail }, subject: "Your place", react: createElement("p", null, "See you there") });
  await sendEmail(db, {
    template: "leader-reminder-group",
    to: { email: `president-${tag}@students.example.ac.uk`, name: "Club President" },
    subject: "Leaders in your group who still need training",
    react: createElement("p", null, `${name} (${email}) has not yet done Active Bystander.`),
  });

  await recordAudit(db, {
    actorUserId: null,
    action: "user.invited",
    entityType: "user",
    entityId: user.id,
    summary: `Someone invited ${name}`,
    detail: { email },
  });
  await recordAudit(db, { actorUserId: null, action: "leader.added", entityType: "leader", entityId: leader.personId, summary: `Added ${name} as a leader` });
  await recordAudit(db, { actorUserId: null, action: "staff.added", entityType: "staff_member", entityId: member.id, summary: "Added a door supervisor" });
  await recordAudit(db, {
    actorUserId: user.id,
    action: "registration.cancelled",
    entityType: "session",
    entityId: s2,
    summary: `${name} cancelled their place`,
  });

  return {
    name,
    email,
    otherEmail,
    studentId,
    userId: user.id,
    leaderId: leader.personId,
    staffMemberId: member.id,
    staffNumber,
    courseId,
    sessionIds,
    namesakeRegistrationId,
    startYear,
  };
}

/** Every row of every table whose text holds `needle` (any letter case): table, column and a snippet. */
const tablesOf = new WeakMap<object, Promise<TableMetadata[]>>();

export async function findTextAnywhere(db: Kysely<Database>, needle: string): Promise<string[]> {
  const found: string[] = [];
  // The schema does not change within a test file: read it once.
  let tables = tablesOf.get(db);
  if (!tables) tablesOf.set(db, (tables = db.introspection.getTables()));
  for (const table of await tables) {
    for (const column of table.columns.filter((c) => /char|text|clob/i.test(c.dataType))) {
      const rows = await db
        .selectFrom(sql.table(table.name).as("t"))
        .select(sql<string>`${sql.ref(column.name)}`.as("v"))
        .where(sql<boolean>`lower(${sql.ref(column.name)}) like ${`%${needle.toLowerCase()}%`}`)
        .execute();
      for (const r of rows) {
        const at = r.v.toLowerCase().indexOf(needle.toLowerCase());
        found.push(`${table.name}.${column.name}: …${r.v.slice(Math.max(0, at - 30), at + needle.length + 30)}…`);
      }
    }
  }
  return found;
}
