import type { Attendance, Db, SessionKind } from "#db/schema.ts";
import { writeTransaction } from "#app/utils/transaction.server.ts";
import FeedbackRequestEmail from "#emails/feedback-request.tsx";
import { recordAudit } from "#app/audit/audit.server.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { appUrl, enqueueSessionEmail, sessionDetailsProps } from "#app/scheduling/notifications.server.ts";
import { getSessionDetail, type SessionDetail } from "#app/scheduling/session-detail.server.ts";
import { ACTIVE_ASSIGNMENTS } from "#app/scheduling/staffing.ts";
import { supportDirectory } from "#app/support/support.server.ts";
import { formatDateTime } from "#app/utils/dates.ts";
import { isUniqueViolation } from "#db/dialect.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { addMs, DAY, now, nowIso } from "#app/utils/time.ts";
import { randomToken, sha256Hex } from "#app/utils/tokens.server.ts";
import { MAX_HEAD_COUNT, WalkInKeySchema } from "./schemas.ts";
import { plural } from "#app/utils/plural.ts";
import { byName } from "#app/utils/text-order.ts";

export const FEEDBACK_LINK_LIFETIME_MS = 30 * DAY;

export interface RegisterPerson {
  id: number;
  name: string;
  walkIn: boolean;
  attendance: Attendance;
}

/** Open for marking; closed (by closing it here, or recorded as delivered before registers were taken here); or cancelled. */
export type RegisterState = "open" | "closed" | "cancelled";

export interface Register {
  session: SessionDetail;
  kind: SessionKind;
  title: string | null;
  state: RegisterState;
  /** Only a group booking has a head count; an open session counts the people marked present. */
  headCount: number | null;
  closedAt: string | null;
  feedbackCode: string | null;
  /** People holding a place (walk-ins included), by name. */
  people: RegisterPerson[];
  /** Feedback links sent when the register closed; 0 while it is open. */
  feedbackRequests: number;
  /** From when the register may be closed and a head count recorded (the start), and whether that time has come. */
  closableFrom: Date;
  closableNow: boolean;
  /** The person asking is one of the session's trainers (a coordinator may be, or may be taking it for them). */
  onSession: boolean;
}

/**
 * What happened at a session is recorded only once it has begun: closing the register sends feedback
 * requests, and a head count taken before the start would count people who may never come.
 */
function registerClosableFrom(startsAt: string | Date): Date {
  return new Date(startsAt);
}

/** Coordinators may take any register; a trainer only the register of a session they are on. */
export async function canTakeRegister(db: Db, user: SessionUser, sessionId: number): Promise<boolean> {
  if (user.roles.includes("coordinator")) return true;
  if (!user.roles.includes("trainer")) return false;
  const row = await db
    .selectFrom("session_trainers")
    .select("session_id")
    .where("session_id", "=", sessionId)
    .where("trainer_id", "=", user.id)
    .where("status", "in", ACTIVE_ASSIGNMENTS)
    .executeTakeFirst();
  return !!row;
}

async function assertMayTake(db: Db, user: SessionUser, sessionId: number) {
  if (!(await canTakeRegister(db, user, sessionId))) throw new RuleViolation("forbidden", "You are not on this session, so you cannot take its register.");
}

/**
 * The register as the person taking it sees it. Refuses ("forbidden") anyone who may not take it,
 * before looking the session up, so a refusal says nothing about whether it exists.
 */
export async function getRegister(db: Db, user: SessionUser, sessionId: number): Promise<Register> {
  await assertMayTake(db, user, sessionId);
  const session = await getSessionDetail(db, sessionId);
  const rows = session
    ? await db
        .selectFrom("sessions as s")
        .leftJoin("registrations as r", (join) => join.onRef("r.session_id", "=", "s.id").on("r.status", "=", "registered"))
        .select(["s.kind", "s.title", "s.head_count", "s.register_closed_at", "s.feedback_code", "r.id", "r.name", "r.walk_in", "r.attendance"])
        .where("s.id", "=", sessionId)
        .execute()
    : [];
  const first = rows[0];
  if (!session || !first) throw new RuleViolation("not_found", "We could not find that session.");
  const people = rows
    .flatMap((r) => (r.id === null ? [] : [{ id: r.id, name: r.name ?? "", walkIn: r.walk_in === 1, attendance: r.attendance ?? "unknown" }]))
    .sort((a, b) => byName(a, b) || a.id - b.id);
  let feedbackRequests = 0;
  if (first.register_closed_at) {
    const sent = await db
      .selectFrom("feedback_tokens as t")
      .innerJoin("registrations as r", "r.id", "t.registration_id")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("r.session_id", "=", sessionId)
      .executeTakeFirstOrThrow();
    feedbackRequests = Number(sent.n);
  }
  const closableFrom = registerClosableFrom(session.startsAt);
  return {
    session,
    kind: first.kind,
    title: first.title,
    state: session.status === "cancelled" ? "cancelled" : first.register_closed_at || session.status === "delivered" ? "closed" : "open",
    headCount: first.kind === "booked" ? first.head_count : null,
    closedAt: first.register_closed_at,
    feedbackCode: first.feedback_code,
    people,
    feedbackRequests,
    closableFrom,
    closableNow: closableFrom <= now(),
    onSession: session.trainers.some((t) => t.id === user.id && t.status !== "declined"),
  };
}

/** The session as the register needs it, refusing once the register can no longer change. */
async function openSession(trx: Db, sessionId: number) {
  const s = await trx
    .selectFrom("sessions")
    .select(["id", "kind", "status", "starts_at", "register_closed_at", "feedback_code", "title"])
    .where("id", "=", sessionId)
    .executeTakeFirst();
  if (!s) throw new RuleViolation("not_found", "We could not find that session.");
  if (s.register_closed_at) {
    throw new RuleViolation("closed", `The register was closed at ${formatDateTime(s.register_closed_at)}, so it can no longer be changed.`);
  }
  if (s.status === "cancelled") throw new RuleViolation("cancelled", "This session was cancelled, so it has no register.");
  // Sessions recorded as delivered before registers were taken here are as final as a closed register.
  if (s.status === "delivered") throw new RuleViolation("closed", "This session is recorded as delivered, so its register can no longer be changed.");
  return s;
}

/** A walk-in's registration is found again by the key the phone made for it. */
const walkInKeyHash = (clientKey: string) => sha256Hex(`walkin:${clientKey}`);

/**
 * Who a mark is for: someone on the register by their registration id, or a walk-in by the key the
 * phone made for them (the phone may not have heard their id yet).
 */
export type RegisterPersonRef = { registrationId: number } | { clientKey: string };

/** Marks one person present, or back to "not yet". Setting the value it already has is fine. */
export async function markAttendance(db: Db, user: SessionUser, input: RegisterPersonRef & { sessionId: number; present: boolean }) {
  await assertMayTake(db, user, input.sessionId);
  return writeTransaction(db, async (trx) => {
    await openSession(trx, input.sessionId);
    const attendance: Attendance = input.present ? "present" : "unknown";
    const result = await trx
      .updateTable("registrations")
      .set({ attendance, attendance_marked_at: nowIso() })
      .where("session_id", "=", input.sessionId)
      .where("status", "=", "registered")
      .where((eb) => ("registrationId" in input ? eb("id", "=", input.registrationId) : eb("manage_token_hash", "=", walkInKeyHash(input.clientKey))))
      .returning("id")
      .executeTakeFirst();
    if (!result) throw new RuleViolation("not_found", "That person is not on this session's register.");
    return { registrationId: result.id, attendance };
  });
}

export interface WalkInResult {
  registrationId: number;
  /** "added" a new person, or "matched" someone already registered with that email. */
  outcome: "added" | "matched";
}

/**
 * Adds someone who came without registering, present. A phone retrying the same request (same
 * clientKey) gets the same row back, never a second one; an email that already holds a place or a
 * waiting-list entry marks that person present instead.
 */
export async function addWalkIn(
  db: Db,
  user: SessionUser,
  input: { sessionId: number; name: string; email: string | null; clientKey: string },
): Promise<WalkInResult> {
  await assertMayTake(db, user, input.sessionId);
  const name = input.name.trim();
  const email = input.email?.trim().toLowerCase() || null;
  if (!name) throw new RuleViolation("name", "Enter a name");
  if (!WalkInKeySchema.safeParse(input.clientKey).success) throw new RuleViolation("form", "This walk-in could not be added. Reload the page and try again.");
  const keyHash = walkInKeyHash(input.clientKey);
  const attempt = () =>
    writeTransaction(db, async (trx): Promise<WalkInResult> => {
      await openSession(trx, input.sessionId);
      const again = await trx.selectFrom("registrations").select(["id", "session_id"]).where("manage_token_hash", "=", keyHash).executeTakeFirst();
      if (again) {
        if (again.session_id !== input.sessionId) throw new RuleViolation("form", "This walk-in could not be added. Reload the page and try again.");
        return { registrationId: again.id, outcome: "added" };
      }
      const at = nowIso();
      if (email) {
        const existing = await trx
          .selectFrom("registrations")
          .select(["id", "name", "status"])
          .where("session_id", "=", input.sessionId)
          .where("email", "=", email)
          .where("status", "!=", "cancelled")
          .executeTakeFirst();
        if (existing) {
          // Someone on the waiting list who turns up and is let in has, in the end, a place.
          await trx
            .updateTable("registrations")
            .set({
              attendance: "present",
              attendance_marked_at: at,
              ...(existing.status === "waiting" ? { status: "registered" as const, promoted_at: at } : {}),
            })
            .where("id", "=", existing.id)
            .execute();
          await recordAudit(trx, {
            actorUserId: user.id,
            action: "register.walk_in_matched",
            entityType: "session",
            entityId: input.sessionId,
            summary: `${user.name} marked ${existing.name} present at the door${existing.status === "waiting" ? " (from the waiting list)" : ""}`,
          });
          return { registrationId: existing.id, outcome: "matched" };
        }
      }
      const row = await trx
        .insertInto("registrations")
        .values({
          session_id: input.sessionId,
          name,
          email,
          student_id: null,
          accessibility_needs: null,
          answer: null,
          status: "registered",
          attendance: "present",
          walk_in: 1,
          manage_token_hash: keyHash,
          created_at: at,
          promoted_at: null,
          cancelled_at: null,
          attendance_marked_at: at,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await recordAudit(trx, {
        actorUserId: user.id,
        action: "register.walk_in_added",
        entityType: "session",
        entityId: input.sessionId,
        summary: `${user.name} added ${name} as a walk-in`,
      });
      return { registrationId: row.id, outcome: "added" };
    });
  try {
    return await attempt();
  } catch (err) {
    // Another request with the same key or email got in first: its row is the answer.
    if (isUniqueViolation(err)) return attempt();
    throw err;
  }
}

/** Takes back a walk-in added by mistake (the register's Undo). Nothing to remove is fine. */
export async function removeWalkIn(db: Db, user: SessionUser, input: { sessionId: number; clientKey: string }) {
  await assertMayTake(db, user, input.sessionId);
  return writeTransaction(db, async (trx) => {
    await openSession(trx, input.sessionId);
    const row = await trx
      .selectFrom("registrations")
      .select(["id", "name"])
      .where("manage_token_hash", "=", walkInKeyHash(input.clientKey))
      .where("session_id", "=", input.sessionId)
      .where("walk_in", "=", 1)
      .executeTakeFirst();
    if (!row) return { removed: false };
    await trx.deleteFrom("registrations").where("id", "=", row.id).execute();
    await recordAudit(trx, {
      actorUserId: user.id,
      action: "register.walk_in_removed",
      entityType: "session",
      entityId: input.sessionId,
      summary: `${user.name} took ${row.name} off the register (added by mistake)`,
    });
    return { removed: true };
  });
}

/** How many came to a session booked by a group, when names are not taken. */
export async function setHeadCount(db: Db, user: SessionUser, input: { sessionId: number; count: number }) {
  await assertMayTake(db, user, input.sessionId);
  if (!Number.isInteger(input.count) || input.count < 0 || input.count > MAX_HEAD_COUNT) {
    throw new RuleViolation("count", `Enter a whole number from 0 to ${MAX_HEAD_COUNT.toLocaleString("en-GB")}`);
  }
  return writeTransaction(db, async (trx) => {
    const s = await openSession(trx, input.sessionId);
    if (s.kind !== "booked") throw new RuleViolation("count", "Open sessions count the people marked present; they have no separate head count.");
    const countableFrom = registerClosableFrom(s.starts_at);
    if (now() < countableFrom) {
      throw new RuleViolation("count", `The session has not started yet. You can record the head count from ${formatDateTime(countableFrom)}.`);
    }
    await trx.updateTable("sessions").set({ head_count: input.count, updated_at: nowIso() }).where("id", "=", input.sessionId).execute();
    await recordAudit(trx, {
      actorUserId: user.id,
      action: "register.head_count",
      entityType: "session",
      entityId: input.sessionId,
      summary: `${user.name} recorded a head count of ${input.count}`,
    });
    return { headCount: input.count };
  });
}

export interface CloseResult {
  present: number;
  absent: number;
  feedbackRequests: number;
}

/**
 * Closes the register: the session is delivered, people who held a place and were not marked are
 * no-shows, and everyone present with an email gets a single-use feedback link.
 */
export async function closeRegister(db: Db, user: SessionUser, sessionId: number): Promise<CloseResult> {
  await assertMayTake(db, user, sessionId);
  return writeTransaction(db, async (trx) => {
    const s = await openSession(trx, sessionId);
    const closableFrom = registerClosableFrom(s.starts_at);
    if (now() < closableFrom) {
      throw new RuleViolation(
        "not_started",
        `This session has not started yet. You can close the register from ${formatDateTime(closableFrom)}, when it starts.`,
      );
    }
    const closedAt = now();
    const at = closedAt.toISOString();
    await trx
      .updateTable("sessions")
      .set({ status: "delivered", register_closed_at: at, feedback_code: s.feedback_code ?? randomToken(12), updated_at: at })
      .where("id", "=", sessionId)
      .execute();
    await trx
      .updateTable("registrations")
      .set({ attendance: "absent", attendance_marked_at: at })
      .where("session_id", "=", sessionId)
      .where("status", "=", "registered")
      .where("attendance", "=", "unknown")
      .execute();
    const people = await trx
      .selectFrom("registrations")
      .select(["id", "name", "email", "attendance"])
      .where("session_id", "=", sessionId)
      .where("status", "=", "registered")
      .orderBy("id")
      .execute();
    const present = people.filter((p) => p.attendance === "present");
    const detail = (await getSessionDetail(trx, sessionId))!;
    const expiresAt = addMs(closedAt, FEEDBACK_LINK_LIFETIME_MS).toISOString();
    const sessionName = s.title ?? detail.course.name;
    const support = await supportDirectory(trx);
    let feedbackRequests = 0;
    for (const p of present) {
      if (!p.email) continue;
      const token = randomToken(32);
      await trx
        .insertInto("feedback_tokens")
        .values({ registration_id: p.id, token_hash: sha256Hex(token), created_at: at, expires_at: expiresAt, used_at: null })
        .execute();
      await enqueueSessionEmail(
        trx,
        detail,
        { email: p.email, name: p.name },
        {
          template: "feedback-request",
          subject: `How was ${sessionName}? Two minutes of feedback`,
          react: FeedbackRequestEmail({ name: p.name, session: sessionDetailsProps(detail), url: appUrl(`/feedback/${token}`), support }),
          orderingKey: `registration-${p.id}`,
        },
      );
      feedbackRequests++;
    }
    const result = { present: present.length, absent: people.length - present.length, feedbackRequests };
    await recordAudit(trx, {
      actorUserId: user.id,
      action: "session.register_closed",
      entityType: "session",
      entityId: sessionId,
      summary: `${user.name} closed the register: ${result.present} present, ${result.absent} absent; ${plural(feedbackRequests, "feedback request")} sent`,
      detail: { ...result },
    });
    return result;
  });
}
