import type { Db, Registration, RegistrationStatus } from "#db/schema.ts";
import { writeTransaction } from "#app/utils/transaction.server.ts";
import RegistrationAlreadyEmail from "#emails/registration-already.tsx";
import RegistrationCancelledEmail from "#emails/registration-cancelled.tsx";
import RegistrationConfirmedEmail from "#emails/registration-confirmed.tsx";
import RegistrationPromotedEmail from "#emails/registration-promoted.tsx";
import SignupNotInvitedEmail from "#emails/signup-not-invited.tsx";
import WaitingListPlaceEmail from "#emails/waiting-list-place.tsx";
import WaitingListNotPromotedEmail from "#emails/waiting-list-not-promoted.tsx";
import { recordAudit } from "#app/audit/audit.server.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { appUrl, enqueueSessionEmail, listCoordinators, sessionDetailsProps } from "#app/scheduling/notifications.server.ts";
import { getSessionDetail, type SessionDetail } from "#app/scheduling/session-detail.server.ts";
import { isUniqueViolation } from "#db/dialect.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { addMs, DAY, HOUR, now, nowIso } from "#app/utils/time.ts";
import { randomToken, sha256Hex } from "#app/utils/tokens.server.ts";
import { manageUrl, newManageLink } from "./manage-links.server.ts";
import { CancelPlaceSchema, type RegistrationInput } from "./schemas.ts";

/**
 * What a sign-up did. The person is told by email in every case, and the public page answers the
 * same in every case, so it cannot be used to learn who holds a place or who is on an invited list.
 * `emailed` is false only when the same person was told too often within the hour.
 */
export type RegistrationOutcome =
  | { outcome: "registered" | "waiting"; registrationId: number; manageToken: string; position: number | null }
  | { outcome: "already"; status: RegistrationStatus; emailed: boolean }
  | { outcome: "not_invited"; emailed: boolean };

/** How many "already signed up" or "not on the list" emails one person can be sent in an hour, however often the form is posted. */
export const SIGNUP_NOTICES_PER_HOUR = 3;

/**
 * Why a person may not sign up to this session now, or null when they may: the session's own state,
 * or an address outside the session's domain (which the person typed, and the session's page
 * states). Whether an address is on an invited list is never an answer here: see `register`.
 */
export async function signupRefusal(db: Db, sessionId: number, email: string | null): Promise<string | null> {
  const s = await db
    .selectFrom("sessions")
    .select(["kind", "status", "starts_at", "signup_deadline", "signup_policy", "signup_domain"])
    .where("id", "=", sessionId)
    .executeTakeFirst();
  if (!s || s.kind !== "open") return "This session is not open for sign-up.";
  if (s.status === "cancelled") return "This session has been cancelled.";
  if (s.status !== "scheduled") return "This session has already taken place.";
  const at = nowIso();
  if (s.starts_at <= at) return "This session has already started.";
  if (s.signup_deadline && s.signup_deadline <= at) return "Sign-up for this session has closed.";
  if (email && s.signup_policy === "domain" && s.signup_domain && !email.endsWith(`@${s.signup_domain}`)) {
    return `This session is for ${s.signup_domain} email addresses. Use your ${s.signup_domain} address.`;
  }
  return null;
}

async function onInvitedList(db: Db, sessionId: number, email: string): Promise<boolean> {
  const s = await db.selectFrom("sessions").select("signup_policy").where("id", "=", sessionId).executeTakeFirstOrThrow();
  if (s.signup_policy !== "list") return true;
  return !!(await db.selectFrom("signup_allowlist").select("email").where("session_id", "=", sessionId).where("email", "=", email).executeTakeFirst());
}

/** Whether this many notices of this kind have gone out within the hour, to this address (or about this registration). */
async function toldTooOften(db: Db, template: string, where: { toAddress: string } | { orderingKey: string }): Promise<boolean> {
  let q = db
    .selectFrom("email_messages")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("template", "=", template)
    .where("created_at", ">", addMs(now(), -HOUR).toISOString());
  q = "toAddress" in where ? q.where("to_address", "=", where.toAddress) : q.where("ordering_key", "=", where.orderingKey);
  return Number((await q.executeTakeFirstOrThrow()).n) >= SIGNUP_NOTICES_PER_HOUR;
}

/**
 * Someone signs up with an address that already holds a place or a waiting-list entry: the answer
 * goes to that address, with a fresh link to manage the place (the old link stops working). The
 * greeting uses the name they registered with, never what was typed this time.
 */
async function tellAlreadySignedUp(trx: Db, sessionId: number, existing: { id: number; name: string; email: string; status: "registered" | "waiting" }) {
  const orderingKey = `registration-${existing.id}`;
  if (await toldTooOften(trx, "registration-already", { orderingKey })) return false;
  const url = await newManageLink(trx, existing.id);
  const detail = (await getSessionDetail(trx, sessionId))!;
  await enqueueSessionEmail(
    trx,
    detail,
    { email: existing.email, name: existing.name },
    {
      template: "registration-already",
      subject: `You are already ${existing.status === "waiting" ? "on the waiting list" : "signed up"}: ${detail.course.name}, ${sessionDetailsProps(detail).when}`,
      react: RegistrationAlreadyEmail({ name: existing.name, session: sessionDetailsProps(detail), url, status: existing.status }),
      orderingKey,
    },
  );
  return true;
}

/** An address not on a session's invited list is told so by email; the greeting does not repeat the name typed, which anyone could have typed. */
async function tellNotInvited(trx: Db, sessionId: number, email: string) {
  if (await toldTooOften(trx, "signup-not-invited", { toAddress: email })) return false;
  const detail = (await getSessionDetail(trx, sessionId))!;
  await enqueueSessionEmail(
    trx,
    detail,
    { email, name: "" },
    {
      template: "signup-not-invited",
      subject: `We could not sign you up: ${detail.course.name}, ${sessionDetailsProps(detail).when}`,
      react: SignupNotInvitedEmail({ name: "there", session: sessionDetailsProps(detail), url: appUrl(`/sessions/open`) }),
    },
  );
  return true;
}

async function waitingPosition(trx: Db, sessionId: number, registrationId: number): Promise<number> {
  const row = await trx
    .selectFrom("registrations")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("session_id", "=", sessionId)
    .where("status", "=", "waiting")
    .where("id", "<=", registrationId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Signs a person up: a place while seats are left, otherwise the waiting list in order of joining.
 * Seats are counted and taken in one write transaction, so concurrent sign-ups can never take one
 * seat more than the capacity; the same email can hold only one place (and a unique index agrees).
 */
export async function register(db: Db, sessionId: number, input: RegistrationInput): Promise<RegistrationOutcome> {
  try {
    return await writeTransaction(db, async (trx) => {
      // Checked once, under the write lock, so the answer still holds when the row is written.
      const refusal = await signupRefusal(trx, sessionId, input.email);
      if (refusal) throw new RuleViolation("form", refusal);
      const session = await trx
        .selectFrom("sessions")
        .select(["capacity", "asks_student_id", "question"])
        .where("id", "=", sessionId)
        .executeTakeFirstOrThrow();
      // What the person typed is checked before anything on file, so a refusal says nothing about who is on file.
      if (session.asks_student_id === 1 && !input.studentId) throw new RuleViolation("studentId", "Enter your student ID");
      // Only what the session asks for is kept: a student ID or an answer it did not ask for is dropped.
      const studentId = session.asks_student_id === 1 ? input.studentId : null;
      const answer = session.question ? input.answer : null;
      if (!(await onInvitedList(trx, sessionId, input.email))) {
        return { outcome: "not_invited" as const, emailed: await tellNotInvited(trx, sessionId, input.email) };
      }
      const existing = await trx
        .selectFrom("registrations")
        .select(["id", "name", "email", "status"])
        .where("session_id", "=", sessionId)
        .where("email", "=", input.email)
        .where("status", "in", ["registered", "waiting"])
        .executeTakeFirst();
      if (existing) {
        const status = existing.status as "registered" | "waiting";
        return { outcome: "already" as const, status, emailed: await tellAlreadySignedUp(trx, sessionId, { ...existing, email: input.email, status }) };
      }
      const taken = await trx
        .selectFrom("registrations")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("session_id", "=", sessionId)
        .where("status", "=", "registered")
        .executeTakeFirstOrThrow();
      const status: RegistrationStatus = Number(taken.n) < session.capacity ? "registered" : "waiting";
      const manageToken = randomToken(32);
      const row = await trx
        .insertInto("registrations")
        .values({
          session_id: sessionId,
          name: input.name,
          email: input.email,
          student_id: studentId,
          accessibility_needs: input.accessibilityNeeds,
          answer,
          status,
          manage_token_hash: sha256Hex(manageToken),
          created_at: nowIso(),
          promoted_at: null,
          cancelled_at: null,
          attendance_marked_at: null,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      const detail = (await getSessionDetail(trx, sessionId))!;
      const position = status === "waiting" ? await waitingPosition(trx, sessionId, row.id) : null;
      const to = { email: input.email, name: input.name };
      if (status === "registered") {
        await enqueueSessionEmail(trx, detail, to, {
          template: "registration-confirmed",
          subject: `You have a place: ${detail.course.name}, ${sessionDetailsProps(detail).when}`,
          react: RegistrationConfirmedEmail({ name: input.name, session: sessionDetailsProps(detail), url: manageUrl(manageToken) }),
          calendar: "REQUEST",
          answerAt: manageUrl(manageToken),
          orderingKey: `registration-${row.id}`,
        });
      } else {
        await enqueueSessionEmail(trx, detail, to, {
          template: "waiting-list-place",
          subject: `Waiting list: ${detail.course.name}, ${sessionDetailsProps(detail).when}`,
          react: WaitingListPlaceEmail({ name: input.name, session: sessionDetailsProps(detail), url: manageUrl(manageToken), position: position ?? 1 }),
          orderingKey: `registration-${row.id}`,
        });
      }
      return { outcome: status, registrationId: row.id, manageToken, position };
    });
  } catch (err) {
    // The unique index is the last word when two requests for one email race.
    if (isUniqueViolation(err)) return { outcome: "already", status: "registered", emailed: false };
    throw err;
  }
}

export interface ManagedRegistration {
  registration: Registration;
  session: SessionDetail;
  position: number | null;
  expired: boolean;
}

/** The page an emailed link opens: looks the registration up and changes nothing. */
export async function lookupManageToken(db: Db, token: string): Promise<ManagedRegistration | null> {
  if (!token || token.length > 200) return null;
  const registration = await db.selectFrom("registrations").selectAll().where("manage_token_hash", "=", sha256Hex(token)).executeTakeFirst();
  if (!registration) return null;
  const session = await getSessionDetail(db, registration.session_id);
  if (!session) return null;
  // The link stops working a day after the session ends.
  const expired = addMs(new Date(session.endsAt), DAY) <= now();
  const position = registration.status === "waiting" ? await waitingPosition(db, registration.session_id, registration.id) : null;
  return { registration, session, position, expired };
}

/** A person cancels from their emailed link (a POST from the page it opens). */
export async function cancelWithToken(db: Db, token: string): Promise<Cancellation> {
  const found = await lookupManageToken(db, token);
  if (!found || found.expired) throw new RuleViolation("form", "This link no longer works.");
  const reason = found.registration.status === "waiting" ? "You took yourself off the waiting list." : "You cancelled your place.";
  return cancelRegistration(db, null, { sessionId: found.registration.session_id, registrationId: found.registration.id, reason });
}

/**
 * What a cancellation did: whose place or waiting-list entry it was and, when a place was freed with
 * people waiting, what became of the first of them: moved up into the place, or left waiting because
 * the session starts within its promotion cut-off (the coordinators are emailed instead).
 */
export interface Cancellation {
  cancelled: { name: string; status: "registered" | "waiting" };
  firstWaiting: { name: string; promoted: boolean; cutoffHours: number } | null;
}

/** Coordinators change anyone's place; anyone else only through their own emailed link (no actor). */
function assertMayManagePlaces(actor: SessionUser | null) {
  if (actor && !actor.roles.includes("coordinator")) throw new RuleViolation("forbidden", "Only the training coordinator can change other people's places.");
}

/** The registration, only if it is on the session named: a place is never changed through another session's page. */
function registrationOnSession(trx: Db, input: { sessionId: number; registrationId: number }) {
  return trx.selectFrom("registrations").selectAll().where("id", "=", input.registrationId).where("session_id", "=", input.sessionId).executeTakeFirst();
}

/**
 * Cancels a place or a waiting-list entry, with a reason for the email to the person. A freed place
 * goes to the first person waiting, in the same transaction, unless the session has started or is
 * inside its promotion cut-off, in which case the coordinators are told instead.
 */
export async function cancelRegistration(
  db: Db,
  actor: SessionUser | null,
  input: { sessionId: number; registrationId: number; reason: string },
): Promise<Cancellation> {
  assertMayManagePlaces(actor);
  const checked = CancelPlaceSchema.shape.reason.safeParse(input.reason);
  if (!checked.success) throw new RuleViolation("reason", checked.error.issues[0]!.message);
  const reason = checked.data;
  return writeTransaction(db, async (trx) => {
    const reg = await registrationOnSession(trx, input);
    if (!reg) throw new RuleViolation("form", "That person is not on this session's list.");
    if (reg.status === "cancelled") throw new RuleViolation("form", "This place has already been cancelled.");
    const at = nowIso();
    await trx.updateTable("registrations").set({ status: "cancelled", cancelled_at: at }).where("id", "=", reg.id).execute();
    const detail = (await getSessionDetail(trx, reg.session_id))!;
    await recordAudit(trx, {
      actorUserId: actor?.id ?? null,
      action: reg.status === "waiting" ? "registration.left_waiting_list" : "registration.cancelled",
      entityType: "session",
      entityId: reg.session_id,
      summary: `${actor ? actor.name : reg.name} cancelled ${actor ? `${reg.name}'s ` : "their "}${reg.status === "waiting" ? "waiting-list entry" : "place"}`,
    });
    if (reg.email) {
      await enqueueSessionEmail(
        trx,
        detail,
        { email: reg.email, name: reg.name },
        {
          template: "registration-cancelled",
          subject: `${reg.status === "waiting" ? "Off the waiting list:" : "Cancelled: your place on"} ${detail.course.name}, ${sessionDetailsProps(detail).when}`,
          react: RegistrationCancelledEmail({
            name: reg.name,
            session: sessionDetailsProps(detail),
            url: appUrl("/sessions/open"),
            reason,
            wasWaiting: reg.status === "waiting",
          }),
          calendar: reg.status === "registered" ? "CANCEL" : undefined,
          orderingKey: `registration-${reg.id}`,
        },
      );
    }
    const firstWaiting = reg.status === "registered" ? await fillFreedPlace(trx, detail) : null;
    return { cancelled: { name: reg.name, status: reg.status }, firstWaiting };
  });
}

async function fillFreedPlace(trx: Db, detail: SessionDetail): Promise<Cancellation["firstWaiting"]> {
  const next = await trx
    .selectFrom("registrations")
    .selectAll()
    .where("session_id", "=", detail.id)
    .where("status", "=", "waiting")
    .orderBy("id")
    .limit(1)
    .executeTakeFirst();
  if (!next) return null;
  const session = await trx.selectFrom("sessions").select(["promotion_cutoff_hours", "starts_at"]).where("id", "=", detail.id).executeTakeFirstOrThrow();
  const cutoff = addMs(new Date(session.starts_at), -session.promotion_cutoff_hours * HOUR);
  if (now() >= cutoff) {
    for (const c of await listCoordinators(trx)) {
      await enqueueSessionEmail(trx, detail, c, {
        template: "waiting-list-not-promoted",
        subject: `A place came free too late to promote: ${detail.course.name}, ${sessionDetailsProps(detail).when}`,
        react: WaitingListNotPromotedEmail({
          name: c.name,
          session: sessionDetailsProps(detail),
          url: appUrl(`/coordinator/sessions/${detail.id}`),
          firstWaiting: next.name,
          cutoffHours: session.promotion_cutoff_hours,
        }),
      });
    }
    return { name: next.name, promoted: false, cutoffHours: session.promotion_cutoff_hours };
  }
  await promote(trx, detail, next, null);
  return { name: next.name, promoted: true, cutoffHours: session.promotion_cutoff_hours };
}

async function promote(trx: Db, detail: SessionDetail, reg: Registration, actor: SessionUser | null) {
  await trx.updateTable("registrations").set({ status: "registered", promoted_at: nowIso() }).where("id", "=", reg.id).execute();
  const url = await newManageLink(trx, reg.id);
  await recordAudit(trx, {
    actorUserId: actor?.id ?? null,
    action: "registration.promoted",
    entityType: "session",
    entityId: detail.id,
    summary: `${reg.name} moved from the waiting list to a place${actor ? ` (by ${actor.name})` : ""}`,
  });
  if (reg.email) {
    await enqueueSessionEmail(
      trx,
      detail,
      { email: reg.email, name: reg.name },
      {
        template: "registration-promoted",
        subject: `A place is yours: ${detail.course.name}, ${sessionDetailsProps(detail).when}`,
        react: RegistrationPromotedEmail({ name: reg.name, session: sessionDetailsProps(detail), url }),
        calendar: "REQUEST",
        answerAt: url,
        orderingKey: `registration-${reg.id}`,
      },
    );
  }
}

/** The coordinator moves someone up by hand (for example inside the cut-off), when a place is free. Gives the person's name. */
export async function promoteByHand(db: Db, actor: SessionUser, input: { sessionId: number; registrationId: number }): Promise<{ name: string }> {
  assertMayManagePlaces(actor);
  return writeTransaction(db, async (trx) => {
    const reg = await registrationOnSession(trx, input);
    if (!reg || reg.status !== "waiting") throw new RuleViolation("form", "That person is not on the waiting list.");
    const s = await trx.selectFrom("sessions").select(["capacity", "starts_at", "status"]).where("id", "=", reg.session_id).executeTakeFirstOrThrow();
    if (s.status !== "scheduled" || s.starts_at <= nowIso()) throw new RuleViolation("form", "This session has started or is no longer scheduled.");
    const taken = await trx
      .selectFrom("registrations")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("session_id", "=", reg.session_id)
      .where("status", "=", "registered")
      .executeTakeFirstOrThrow();
    if (Number(taken.n) >= s.capacity) throw new RuleViolation("form", "Every place is taken. Cancel a place first, then promote someone into it.");
    await promote(trx, (await getSessionDetail(trx, reg.session_id))!, reg, actor);
    return { name: reg.name };
  });
}

/** Places taken and waiting, per session, in one query. */
export async function seatCounts(db: Db, sessionIds: number[]) {
  if (sessionIds.length === 0) return new Map<number, { registered: number; waiting: number }>();
  const rows = await db
    .selectFrom("registrations")
    .select((eb) => ["session_id", "status", eb.fn.countAll<number>().as("n")])
    .where("session_id", "in", sessionIds)
    .where("status", "!=", "cancelled")
    .groupBy(["session_id", "status"])
    .execute();
  const map = new Map<number, { registered: number; waiting: number }>();
  for (const id of sessionIds) map.set(id, { registered: 0, waiting: 0 });
  for (const r of rows) map.get(r.session_id)![r.status === "registered" ? "registered" : "waiting"] = Number(r.n);
  return map;
}

export interface AttendeeRow {
  id: number;
  name: string;
  email: string | null;
  studentId: string | null;
  accessibilityNeeds: string | null;
  answer: string | null;
  status: RegistrationStatus;
  attendance: Registration["attendance"];
  walkIn: boolean;
  createdAt: string;
  promotedAt: string | null;
  cancelledAt: string | null;
}

/**
 * Everyone who signed up to a session, for the coordinator: places in order of registering, the
 * waiting list in the order it is promoted from, and cancelled entries last cancelled first.
 */
export async function attendeeList(db: Db, sessionId: number) {
  const session = await db
    .selectFrom("sessions")
    .select(["kind", "title", "question", "asks_student_id", "signup_deadline", "signup_policy", "signup_domain", "promotion_cutoff_hours", "head_count"])
    .where("id", "=", sessionId)
    .executeTakeFirst();
  if (!session) return null;
  const rows = await db.selectFrom("registrations").selectAll().where("session_id", "=", sessionId).orderBy("id").execute();
  const toRow = (r: Registration): AttendeeRow => ({
    id: r.id,
    name: r.name,
    email: r.email,
    studentId: r.student_id,
    accessibilityNeeds: r.accessibility_needs,
    answer: r.answer,
    status: r.status,
    attendance: r.attendance,
    walkIn: r.walk_in === 1,
    createdAt: r.created_at,
    promotedAt: r.promoted_at,
    cancelledAt: r.cancelled_at,
  });
  const all = rows.map(toRow);
  return {
    kind: session.kind,
    title: session.title,
    question: session.question,
    asksStudentId: session.asks_student_id === 1,
    signupDeadline: session.signup_deadline,
    signupPolicy: session.signup_policy,
    signupDomain: session.signup_domain,
    promotionCutoffHours: session.promotion_cutoff_hours,
    headCount: session.head_count,
    registered: all.filter((r) => r.status === "registered"),
    waiting: all.filter((r) => r.status === "waiting"),
    cancelled: all.filter((r) => r.status === "cancelled").sort((a, b) => (b.cancelledAt ?? "").localeCompare(a.cancelledAt ?? "")),
  };
}
