import type { Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import { writeTransaction } from "#app/utils/transaction.server.ts";
import BookingChangeAnsweredEmail from "#emails/booking-change-answered.tsx";
import BookingChangeNewEmail from "#emails/booking-change-new.tsx";
import { recordAudit } from "#app/audit/audit.server.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { composeEmail, enqueueEmail } from "#app/email/outbox.server.ts";
import { appUrl, listCoordinators, sessionDetailsProps } from "#app/scheduling/notifications.server.ts";
import { getSessionDetail, type SessionDetail } from "#app/scheduling/session-detail.server.ts";
import { getCoordinatorContact, getSettings } from "#app/settings/settings.server.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { now, nowIso } from "#app/utils/time.ts";
import { applyAcceptedChange, changeSentences, mustBeCoordinator, openChangeOfSession, type BookingChangeRow } from "./change-apply.server.ts";
import { closureCalendar } from "#app/scheduling/closures.server.ts";
import { checkPreferredTime, getRequestForBooker, groupSizeAdvice, type BookerRequestRow } from "./requests.server.ts";
import type { BookingChangeInput } from "./schemas.ts";

/**
 * Whether a booking can still be changed by asking: it is scheduled and its session has not started.
 * A request still waiting is changed directly; a delivered, declined or cancelled one not at all.
 */
export function changeable(booking: Pick<BookerRequestRow, "status" | "session">, at: Date): boolean {
  return booking.status === "scheduled" && booking.session?.status === "scheduled" && new Date(booking.session.startsAt) > at;
}

const openChangeOf = (db: Kysely<Database>, requestId: number) =>
  db.selectFrom("booking_changes").selectAll().where("request_id", "=", requestId).where("status", "=", "open").executeTakeFirst();

/**
 * A booker asks to change a scheduled booking of their organisation. It waits in the coordinator's
 * queue (and every coordinator is emailed) until it is accepted or declined; one at a time.
 */
export async function askForChange(db: Kysely<Database>, booker: SessionUser, requestId: number, input: BookingChangeInput): Promise<number> {
  const booking = await getRequestForBooker(db, booker, requestId);
  if (!changeable(booking, now())) {
    throw new RuleViolation("form", "Only a scheduled session that has not started yet can be changed. For anything else, contact the training coordinator.");
  }
  const [course, settings, closures] = await Promise.all([
    db
      .selectFrom("booking_requests as br")
      .innerJoin("courses as c", "c.id", "br.course_id")
      .select(["c.name", "c.duration_minutes", "c.max_group_size"])
      .where("br.id", "=", requestId)
      .executeTakeFirstOrThrow(),
    getSettings(db),
    closureCalendar(db),
  ]);
  let preferred: Date | null = null;
  if (input.date && input.time) {
    const { start, problem } = checkPreferredTime(input.date, input.time, course.duration_minutes, settings, closures);
    if (problem) throw new RuleViolation(problem.on, problem.message);
    preferred = start;
  }
  if (input.groupSize !== undefined && input.groupSize > course.max_group_size) {
    throw new RuleViolation("groupSize", groupSizeAdvice(input.groupSize, course.max_group_size, course.name));
  }
  return writeTransaction(db, async (trx) => {
    if (await openChangeOf(trx, requestId)) {
      throw new RuleViolation("form", "You have already asked for a change to this booking. The training coordinator will answer it first.");
    }
    const row = await trx
      .insertInto("booking_changes")
      .values({
        request_id: requestId,
        asked_by: booker.id,
        preferred_starts_at: preferred?.toISOString() ?? null,
        group_size: input.groupSize ?? null,
        accessibility_needs: input.accessibilityNeeds,
        message: input.message,
        status: "open",
        answer_reason: null,
        answered_by: null,
        answered_at: null,
        created_at: nowIso(),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actorUserId: booker.id,
      action: "request.change_asked",
      entityType: "request",
      entityId: requestId,
      summary: `${booker.name} asked to change the booking for ${course.name}`,
    });
    const session = (await getSessionDetail(trx, booking.session!.id))!;
    const change = (await trx.selectFrom("booking_changes").selectAll().where("id", "=", row.id).executeTakeFirstOrThrow()) as BookingChangeRow;
    const changes = changeSentences(change, session.request!);
    for (const c of await listCoordinators(trx)) {
      await enqueueEmail(
        trx,
        await composeEmail({
          template: "booking-change-new",
          to: { email: c.email, name: c.name },
          subject: `Change asked for: ${course.name} for ${session.organisation?.name ?? "a group"}`,
          react: BookingChangeNewEmail({
            name: c.name,
            session: sessionDetailsProps(session),
            url: appUrl(`/coordinator/sessions/${session.id}`),
            askedBy: booker.name,
            changes,
          }),
        }),
      );
    }
    return row.id;
  });
}

export interface BookingChangeView {
  id: number;
  status: BookingChangeRow["status"];
  askedBy: string;
  createdAt: string;
  answeredAt: string | null;
  answerReason: string | null;
  /** What was asked for, one sentence each. */
  changes: string[];
  preferredStartsAt: string | null;
  groupSize: number | null;
}

async function viewsOf(
  db: Kysely<Database>,
  rows: BookingChangeRow[],
  before: { groupSize: number; accessibilityNeeds: string | null },
): Promise<BookingChangeView[]> {
  const ids = [...new Set(rows.map((r) => r.asked_by))];
  const names = ids.length ? await db.selectFrom("users").select(["id", "name"]).where("id", "in", ids).execute() : [];
  return rows.map((r) => ({
    id: r.id,
    status: r.status,
    askedBy: names.find((n) => n.id === r.asked_by)?.name ?? "",
    createdAt: r.created_at,
    answeredAt: r.answered_at,
    answerReason: r.answer_reason,
    changes: changeSentences(r, before),
    preferredStartsAt: r.preferred_starts_at,
    groupSize: r.group_size,
  }));
}

/** The changes asked for on a booking, newest first, for a booker of its organisation. */
export async function changesForBooker(db: Kysely<Database>, booker: SessionUser, requestId: number): Promise<BookingChangeView[]> {
  const booking = await getRequestForBooker(db, booker, requestId);
  const rows = await db.selectFrom("booking_changes").selectAll().where("request_id", "=", booking.id).orderBy("id", "desc").execute();
  const request = await db.selectFrom("booking_requests").select(["group_size", "accessibility_needs"]).where("id", "=", booking.id).executeTakeFirstOrThrow();
  return viewsOf(db, rows, { groupSize: request.group_size, accessibilityNeeds: request.accessibility_needs });
}

/** The change waiting on a session's booking, for the coordinator's page of that session. */
export async function openChangeForSession(db: Kysely<Database>, session: SessionDetail): Promise<BookingChangeView | null> {
  if (!session.request || session.status !== "scheduled") return null;
  const row = await openChangeOf(db, session.request.id);
  return row ? ((await viewsOf(db, [row], session.request))[0] ?? null) : null;
}

/**
 * The changes waiting for the coordinator, oldest first: only those whose session is still to come
 * (a change to a session that has since been cancelled or has started has nothing left to answer).
 */
export async function listChangeQueue(db: Kysely<Database>) {
  return db
    .selectFrom("booking_changes as bc")
    .innerJoin("booking_requests as br", "br.id", "bc.request_id")
    .innerJoin("sessions as s", "s.id", "br.session_id")
    .innerJoin("courses as c", "c.id", "s.course_id")
    .innerJoin("organisations as o", "o.id", "br.organisation_id")
    .innerJoin("users as u", "u.id", "bc.asked_by")
    .select([
      "bc.id",
      "bc.created_at",
      "bc.preferred_starts_at",
      "bc.group_size",
      "bc.accessibility_needs",
      "bc.message",
      "br.group_size as booked_size",
      "s.id as session_id",
      "s.starts_at",
      "s.ends_at",
      "c.name as course_name",
      "c.colour as course_colour",
      "o.name as organisation_name",
      "u.name as booker_name",
    ])
    .where("bc.status", "=", "open")
    .where("s.status", "=", "scheduled")
    .where("s.starts_at", ">", nowIso())
    .orderBy("bc.created_at")
    .orderBy("bc.id")
    .execute();
}

async function answerEmail(
  trx: Kysely<Database>,
  change: BookingChangeRow,
  answer: { accepted: true } | { accepted: false; reason: string },
  before: { groupSize: number; accessibilityNeeds: string | null },
) {
  const [booking, booker, contact] = await Promise.all([
    trx.selectFrom("booking_requests").select(["session_id"]).where("id", "=", change.request_id).executeTakeFirstOrThrow(),
    trx.selectFrom("users").select(["email", "name"]).where("id", "=", change.asked_by).executeTakeFirstOrThrow(),
    getCoordinatorContact(trx),
  ]);
  const session = (await getSessionDetail(trx, booking.session_id!))!;
  await enqueueEmail(
    trx,
    await composeEmail({
      template: "booking-change-answered",
      to: { email: booker.email, name: booker.name },
      subject: answer.accepted ? `Your change is made: ${session.course.name}` : `We could not make your change: ${session.course.name}`,
      react: BookingChangeAnsweredEmail({
        name: booker.name,
        session: sessionDetailsProps(session),
        url: appUrl(`/booker/requests/${change.request_id}`),
        changes: changeSentences(change, before),
        answer,
        contact,
      }),
    }),
  );
}

/** The session a change is answered on, which must still be scheduled and to come. */
async function sessionToAnswer(trx: Kysely<Database>, sessionId: number) {
  const session = await getSessionDetail(trx, sessionId);
  if (!session || session.status !== "scheduled" || new Date(session.startsAt) <= now()) {
    throw new RuleViolation("form", "This session is no longer to come, so there is nothing left to change.");
  }
  return session;
}

/**
 * The coordinator accepts a change that needs no move (new numbers, access needs, a message): the
 * booking takes it and the booker is emailed. A change of time is accepted by moving the session.
 */
export async function acceptChange(db: Kysely<Database>, actor: SessionUser, input: { sessionId: number; changeId: number }) {
  mustBeCoordinator(actor);
  await writeTransaction(db, async (trx) => {
    const session = await sessionToAnswer(trx, input.sessionId);
    const change = await openChangeOfSession(trx, input.changeId, { id: session.id, requestId: session.request?.id ?? null });
    if (change.preferred_starts_at) throw new RuleViolation("form", "They asked for another time: accept it by moving the session.");
    const room = session.room ? await trx.selectFrom("rooms").select(["capacity"]).where("id", "=", session.room.id).executeTakeFirstOrThrow() : null;
    const before = { groupSize: session.request!.groupSize, accessibilityNeeds: session.request!.accessibilityNeeds };
    await applyAcceptedChange(trx, actor, change, { id: session.id, roomCapacity: room?.capacity ?? null, roomName: session.room?.name ?? null });
    await answerEmail(trx, change, { accepted: true }, before);
  });
}

/** The coordinator declines a change with a reason; the booking stays as it is and the booker is emailed why. */
export async function declineChange(db: Kysely<Database>, actor: SessionUser, input: { sessionId: number; changeId: number; reason: string }) {
  mustBeCoordinator(actor);
  await writeTransaction(db, async (trx) => {
    const session = await sessionToAnswer(trx, input.sessionId);
    const change = await openChangeOfSession(trx, input.changeId, { id: session.id, requestId: session.request?.id ?? null });
    await trx
      .updateTable("booking_changes")
      .set({ status: "declined", answer_reason: input.reason, answered_by: actor.id, answered_at: nowIso() })
      .where("id", "=", change.id)
      .execute();
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: "request.change_declined",
      entityType: "request",
      entityId: change.request_id,
      summary: `${actor.name} declined the change asked for on this booking: ${input.reason}`,
    });
    await answerEmail(trx, change, { accepted: false, reason: input.reason }, session.request!);
  });
}
