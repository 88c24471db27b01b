import ICAL from "ical.js";
import type { Insertable, Kysely } from "kysely";
import { expect } from "vitest";
import type { Database, EmailMessage, RegistrationsTable, SessionStatus, SessionTrainersTable } from "#db/schema.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { parseAttachments } from "#app/email/outbox.server.ts";
import { bankHolidaysOf } from "#app/scheduling/closures.server.ts";
import { storeAccessSet, type AccessFeature } from "#app/scheduling/room-access.ts";
import type { Settings } from "#app/settings/schemas.ts";
import { scheduleRequest } from "#app/scheduling/sessions.server.ts";
import type { OpenSessionInput, RegistrationInput } from "#app/signup/schemas.ts";
import { addDays, londonToday, londonWallTimeToUtc, mondayOf } from "#app/utils/dates.ts";
import { addMs, DAY, MINUTE, now, nowIso, setClockOffsetForTests } from "#app/utils/time.ts";
import { createCourse, createOrganisation, createUser } from "./factories.ts";

/** What a coordinator types to open a session for sign-up: two weeks ahead on a Wednesday at 10:00, at an address, for anyone. */
export function openSessionInput(courseId: number, overrides: Partial<OpenSessionInput> = {}): OpenSessionInput {
  return {
    courseId,
    title: "Student leader induction",
    date: londonDate(2, 3),
    time: "10:00",
    place: "address",
    address: "Online test room",
    capacity: 3,
    deadlineDate: undefined,
    deadlineTime: undefined,
    policy: "anyone",
    domain: null,
    allowlist: null,
    asksStudentId: "no",
    question: null,
    promotionCutoffHours: 2,
    ...overrides,
  };
}

/** The scheduling settings every scheduling test starts from, written out so a change of defaults cannot move them. */
export const TEST_SETTINGS: Settings = {
  workingDays: [1, 2, 3, 4, 5],
  workingHoursStart: "09:00",
  workingHoursEnd: "18:00",
  travelBufferMinutes: 30,
  reminderLeadHours: 24,
  bookerCancellationCutoffHours: 48,
  defaultMaxSessionsPerWeek: 4,
};

export async function setTestSettings(db: Kysely<Database>, overrides: Partial<Settings> = {}) {
  const value_json = JSON.stringify({ ...TEST_SETTINGS, ...overrides });
  const at = nowIso();
  await db
    .insertInto("settings")
    .values({ key: "scheduling", value_json, updated_at: at, updated_by: null })
    .onConflict((oc) => oc.column("key").doUpdateSet({ value_json, updated_at: at }))
    .execute();
}

/** Sets the app clock to an instant (the offset keeps real time running from there). */
export function pinClock(at: string | Date) {
  setClockOffsetForTests(new Date(at).getTime() - Date.now());
}

/**
 * A day nothing can be booked on in a test or in the demo: a bank holiday, or the university's
 * Christmas closure (24 December to 1 January) that the demo keeps.
 */
export function isUsuallyClosed(date: string): boolean {
  const monthDay = date.slice(5);
  return monthDay >= "12-24" || monthDay <= "01-01" || bankHolidaysOf(Number(date.slice(0, 4))).has(date);
}

/**
 * A London date `weeksAhead` weeks after the app clock's current week, on `weekday`
 * (1 = Monday … 7 = Sunday): "2030-10-14". A closure day gives way to the same weekday a week
 * later, so a test means the same whatever week of the year it runs in.
 */
export function londonDate(weeksAhead: number, weekday: number): string {
  let date = addDays(mondayOf(londonToday()), weeksAhead * 7 + weekday - 1);
  while (isUsuallyClosed(date)) date = addDays(date, 7);
  return date;
}

/** A London wall-clock time as an instant. */
export const london = (date: string, time: string) => londonWallTimeToUtc(date, time);

let seq = 0;
const unique = () => `${Date.now()}-${++seq}`;

export async function createCoordinator(db: Kysely<Database>, name = `Coordinator ${unique()}`) {
  return createUser(db, { name, roles: ["coordinator"] });
}

/** A booker and the organisation they book for. */
export async function createBooker(db: Kysely<Database>, opts: { organisationId?: number; name?: string } = {}) {
  const organisationId = opts.organisationId ?? (await createOrganisation(db));
  const booker = await createUser(db, { name: opts.name ?? `Booker ${unique()}`, roles: ["booker"], organisationIds: [organisationId] });
  return { booker, organisationId };
}

export async function createRoom(
  db: Kysely<Database>,
  opts: { name?: string; building?: string; capacity?: number; accessibilityNotes?: string | null; accessFeatures?: AccessFeature[] } = {},
) {
  const at = nowIso();
  const row = await db
    .insertInto("rooms")
    .values({
      name: opts.name ?? `Room ${unique()}`,
      building: opts.building ?? "Student Centre",
      capacity: opts.capacity ?? 40,
      accessibility_notes: opts.accessibilityNotes ?? null,
      access_features: storeAccessSet(opts.accessFeatures ?? []),
      created_at: at,
      updated_at: at,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface Window {
  weekday: number;
  start: string;
  end: string;
}

export const WEEKDAYS_9_TO_6: Window[] = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: "09:00", end: "18:00" }));

/** A trainer, qualified for `qualifiedFor`, available Monday to Friday 09:00–18:00 unless told otherwise. */
export async function createTrainer(
  db: Kysely<Database>,
  opts: { name?: string; qualifiedFor?: number[]; availability?: Window[]; maxSessionsPerWeek?: number } = {},
): Promise<SessionUser> {
  const trainer = await createUser(db, { name: opts.name ?? `Trainer ${unique()}`, roles: ["trainer"] });
  const at = nowIso();
  for (const course_id of opts.qualifiedFor ?? []) {
    await db.insertInto("trainer_qualifications").values({ user_id: trainer.id, course_id, qualified_at: at }).execute();
  }
  const windows = opts.availability ?? WEEKDAYS_9_TO_6;
  if (windows.length) {
    await db
      .insertInto("trainer_availability")
      .values(windows.map((w) => ({ trainer_id: trainer.id, weekday: w.weekday, start_time: w.start, end_time: w.end })))
      .execute();
  }
  if (opts.maxSessionsPerWeek !== undefined) {
    await db
      .insertInto("trainer_profiles")
      .values({ user_id: trainer.id, max_sessions_per_week: opts.maxSessionsPerWeek, feed_token_hash: null, feed_token_created_at: null })
      .execute();
  }
  return trainer;
}

export async function addTimeOffRow(db: Kysely<Database>, trainerId: number, startsAt: Date, endsAt: Date, reason: string | null = null) {
  await db
    .insertInto("trainer_time_off")
    .values({ trainer_id: trainerId, starts_at: startsAt.toISOString(), ends_at: endsAt.toISOString(), reason, created_at: nowIso() })
    .execute();
}

/** A booking request waiting to be scheduled, written directly (no working-hours checks, no email). */
export async function createRequest(
  db: Kysely<Database>,
  opts: {
    booker: SessionUser;
    organisationId: number;
    courseId: number;
    groupSize?: number;
    times?: Date[];
    address?: string | null;
    accessNeeds?: AccessFeature[];
  },
) {
  const at = nowIso();
  const row = await db
    .insertInto("booking_requests")
    .values({
      organisation_id: opts.organisationId,
      requested_by: opts.booker.id,
      course_id: opts.courseId,
      group_size: opts.groupSize ?? 20,
      audience: "students",
      location_kind: opts.address ? "own_premises" : "campus",
      address: opts.address ?? null,
      accessibility_needs: null,
      access_needs: storeAccessSet(opts.accessNeeds ?? []),
      notes: null,
      status: "requested",
      status_reason: null,
      session_id: null,
      created_at: at,
      updated_at: at,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const times = opts.times ?? [addMs(now(), 7 * DAY)];
  await db
    .insertInto("booking_request_times")
    .values(times.map((t, i) => ({ request_id: row.id, position: i + 1, starts_at: t.toISOString() })))
    .execute();
  return row.id;
}

/**
 * Another session already in the diary (written directly, no email), with its trainers on it.
 * For the sessions a rule is checked against, not the one under test.
 */
export async function insertSession(
  db: Kysely<Database>,
  opts: {
    courseId: number;
    startsAt: Date;
    durationMinutes?: number;
    roomId?: number | null;
    address?: string | null;
    trainerIds?: number[];
    status?: SessionStatus;
    createdAt?: Date;
    /** A booked session's organisation. */
    organisationId?: number | null;
    /** The head count taken instead of names. */
    headCount?: number | null;
  },
) {
  const duration = opts.durationMinutes ?? 90;
  const at = (opts.createdAt ?? now()).toISOString();
  const row = await db
    .insertInto("sessions")
    .values({
      course_id: opts.courseId,
      booking_request_id: null,
      organisation_id: opts.organisationId ?? null,
      starts_at: opts.startsAt.toISOString(),
      ends_at: addMs(opts.startsAt, duration * MINUTE).toISOString(),
      duration_minutes: duration,
      room_id: opts.roomId ?? null,
      address: opts.roomId ? null : (opts.address ?? "Elsewhere, 1 High Street"),
      capacity: 30,
      status: opts.status ?? "scheduled",
      cancel_reason: null,
      ical_uid: `session-${crypto.randomUUID()}@neverok.example`,
      created_by: null,
      created_at: at,
      updated_at: at,
      head_count: opts.headCount ?? null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  for (const trainerId of opts.trainerIds ?? []) await insertAssignment(db, row.id, trainerId, { assigned_at: at, responded_at: at });
  return row.id;
}

/** A trainer on a session, written directly (no checks, no email): accepted unless told otherwise. */
export async function insertAssignment(db: Kysely<Database>, sessionId: number, trainerId: number, values: Partial<Insertable<SessionTrainersTable>> = {}) {
  await db
    .insertInto("session_trainers")
    .values({
      session_id: sessionId,
      trainer_id: trainerId,
      status: "accepted",
      assigned_by: null,
      assigned_at: nowIso(),
      responded_at: null,
      decline_reason: null,
      override_reason: null,
      ...values,
    })
    .execute();
}

/** A person on a session's list, written directly (no capacity check, no email): registered, attendance not taken, unless told otherwise. */
export async function insertRegistration(
  db: Kysely<Database>,
  sessionId: number,
  values: Pick<Insertable<RegistrationsTable>, "name" | "email"> & Partial<Insertable<RegistrationsTable>>,
) {
  const row = await db
    .insertInto("registrations")
    .values({
      session_id: sessionId,
      student_id: null,
      accessibility_needs: null,
      answer: null,
      status: "registered",
      manage_token_hash: null,
      created_at: nowIso(),
      promoted_at: null,
      cancelled_at: null,
      attendance_marked_at: null,
      ...values,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Everything a scheduling test needs: a coordinator, a booker in an organisation and a course. */
export async function schedulingWorld(db: Kysely<Database>, opts: { durationMinutes?: number; trainersNeeded?: number; maxGroupSize?: number } = {}) {
  await setTestSettings(db);
  const coordinator = await createCoordinator(db);
  const { booker, organisationId } = await createBooker(db);
  const courseId = await createCourse(db, {
    durationMinutes: opts.durationMinutes ?? 90,
    trainersNeeded: opts.trainersNeeded,
    maxGroupSize: opts.maxGroupSize ?? 60,
  });
  return { coordinator, booker, organisationId, courseId };
}

/**
 * A booking request the coordinator has scheduled into a room of its own, `weeksAhead` weeks on, on
 * `weekday` at `time` (London): the booker has been sent its invitation.
 */
export async function scheduledBooking(
  db: Kysely<Database>,
  w: Awaited<ReturnType<typeof schedulingWorld>>,
  at: { weeksAhead?: number; weekday?: number; time?: string } = {},
) {
  const requestId = await createRequest(db, { booker: w.booker, organisationId: w.organisationId, courseId: w.courseId });
  const sessionId = await scheduleRequest(db, w.coordinator, {
    requestId,
    startsAt: london(londonDate(at.weeksAhead ?? 2, at.weekday ?? 2), at.time ?? "14:00"),
    location: { roomId: await createRoom(db) },
  });
  return { requestId, sessionId };
}

/** What a person types to sign up: a name and an address of their own, found by `label`. */
export function signUpAs(label: string): RegistrationInput {
  const id = unique();
  return { name: `${label} ${id}`, email: `${label.toLowerCase()}-${id}@example.ac.uk`, studentId: null, accessibilityNeeds: null, answer: null };
}

/** The outbox messages to one address, oldest first, optionally of one template. */
export async function outboxTo(db: Kysely<Database>, email: string, template?: string): Promise<EmailMessage[]> {
  let q = db.selectFrom("email_messages").selectAll().where("to_address", "=", email.toLowerCase());
  if (template) q = q.where("template", "=", template);
  return q.orderBy("id").execute();
}

/** The .ics attached to a stored message. */
export function icsAttachment(message: Pick<EmailMessage, "attachments_json">): string {
  const ics = parseAttachments(message.attachments_json).find((a) => a.contentType.startsWith("text/calendar"));
  if (!ics) throw new Error("The message has no calendar attachment");
  return Buffer.from(ics.contentBase64, "base64").toString("utf8");
}

/** Unfolded "NAME;PARAMS:value" lines of an iCalendar text, for checks on the exact text. */
export function icsLines(ics: string): string[] {
  return ics
    .replace(/\r?\n[ \t]/g, "")
    .split(/\r?\n/)
    .filter(Boolean);
}

/** What a calendar program reads from a stored invitation's .ics: method, event, SEQUENCE and the text. */
export function calendarCopy(message: Pick<EmailMessage, "attachments_json">) {
  const cal = new ICAL.Component(ICAL.parse(icsAttachment(message)));
  const event = cal.getFirstSubcomponent("vevent")!;
  return {
    method: String(cal.getFirstPropertyValue("method")),
    uid: String(event.getFirstPropertyValue("uid")),
    sequence: Number(event.getFirstPropertyValue("sequence")),
    status: String(event.getFirstPropertyValue("status")),
    description: String(event.getFirstPropertyValue("description")),
  };
}

/**
 * Every calendar copy in the outbox, checked the way a calendar program would: for each recipient
 * and event, each copy carries a higher SEQUENCE than the one before it, in the order written.
 */
export async function expectEveryCopyNewerThanTheLast(db: Kysely<Database>) {
  const messages = await db.selectFrom("email_messages").select(["id", "to_address", "attachments_json"]).orderBy("id").execute();
  const last = new Map<string, { id: number; sequence: number }>();
  let copies = 0;
  for (const m of messages) {
    if (!parseAttachments(m.attachments_json).some((a) => a.contentType.startsWith("text/calendar"))) continue;
    const copy = calendarCopy(m);
    const key = `${m.to_address} ${copy.uid}`;
    const before = last.get(key);
    if (before) expect(copy.sequence, `message ${m.id} to ${m.to_address} after message ${before.id}`).toBeGreaterThan(before.sequence);
    last.set(key, { id: m.id, sequence: copy.sequence });
    copies++;
  }
  return copies;
}
