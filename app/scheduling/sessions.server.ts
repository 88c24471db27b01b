import type { Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import { writeTransaction } from "#app/utils/transaction.server.ts";
import BookingRequestDeclinedEmail from "#emails/booking-request-declined.tsx";
import SessionCancelledEmail from "#emails/session-cancelled.tsx";
import SessionRescheduledEmail from "#emails/session-rescheduled.tsx";
import SessionScheduledEmail from "#emails/session-scheduled.tsx";
import { recordAudit } from "#app/audit/audit.server.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { newSessionUid } from "#app/calendar/ical.server.ts";
import { composeEmail, enqueueEmail } from "#app/email/outbox.server.ts";
import { formatDateTime, formatRange } from "#app/utils/dates.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { addMs, MINUTE, nowIso } from "#app/utils/time.ts";
import { roomRefusal, evaluateTrainers, type Place } from "./availability.server.ts";
import { closureCalendar, sessionTimeProblem } from "./closures.server.ts";
import { appUrl, enqueueSessionEmail, sessionDetailsProps } from "./notifications.server.ts";
import { markNewEvent, raiseSequence } from "./sequence.server.ts";
import { activeTrainers, getSessionDetail, sessionWhere, type SessionDetail } from "./session-detail.server.ts";
import { getCoordinatorContact, getSettings } from "#app/settings/settings.server.ts";
import { applyAcceptedChange, changeSentences, mustBeCoordinator, openChangeOfSession } from "#app/bookings/change-apply.server.ts";
import { newManageLink, registrantsOf } from "#app/signup/manage-links.server.ts";
import type { Location } from "./schemas.ts";

/** An address given where a session is to be held must say something. */
function checkAddress(location: Location) {
  if ("address" in location && !location.address.trim()) throw new RuleViolation("address", "Give the address");
}

async function placeOf(trx: Kysely<Database>, location: Location): Promise<Place> {
  if ("address" in location) return { kind: "address", address: location.address };
  const room = await trx.selectFrom("rooms").select(["id", "building"]).where("id", "=", location.roomId).executeTakeFirst();
  if (!room) throw new RuleViolation("roomId", "Choose a room from the list");
  return { kind: "room", roomId: room.id, building: room.building };
}

async function mustGetSession(trx: Kysely<Database>, id: number): Promise<SessionDetail> {
  const s = await getSessionDetail(trx, id);
  if (!s) throw new RuleViolation("form", "That session no longer exists");
  return s;
}

/**
 * Turns a booking request into a session: at the chosen time, on a day the university is open, in a
 * room that is free and big enough (or at the organisation's own address). A group that asked for a campus room gets one.
 * Checked and written in one write transaction, so two coordinators scheduling into one room at
 * once cannot both succeed.
 */
export async function scheduleRequest(
  db: Kysely<Database>,
  actor: SessionUser,
  input: { requestId: number; startsAt: Date; location: Location },
): Promise<number> {
  const closures = await closureCalendar(db);
  return writeTransaction(db, async (trx) => {
    const request = await trx
      .selectFrom("booking_requests as br")
      .innerJoin("courses as c", "c.id", "br.course_id")
      .select([
        "br.id",
        "br.status",
        "br.course_id",
        "br.organisation_id",
        "br.group_size",
        "br.location_kind",
        "c.duration_minutes",
        "c.trainers_needed",
        "c.max_group_size",
        "c.name as course_name",
      ])
      .where("br.id", "=", input.requestId)
      .executeTakeFirst();
    if (!request) throw new RuleViolation("form", "That request no longer exists");
    if (request.status !== "requested") throw new RuleViolation("form", `This request is already ${request.status}; it cannot be scheduled again.`);
    if (request.location_kind === "campus" && !("roomId" in input.location)) throw new RuleViolation("roomId", "Choose a room");
    checkAddress(input.location);
    const slot = { start: input.startsAt, end: addMs(input.startsAt, request.duration_minutes * MINUTE) };
    const timeProblem = sessionTimeProblem(closures, slot.start, slot.end);
    if (timeProblem) throw new RuleViolation("startsAt", timeProblem);
    // The course may have been made smaller since the request was made.
    if (request.group_size > request.max_group_size)
      throw new RuleViolation(
        "form",
        `${request.course_name} takes at most ${request.max_group_size} people and this group is ${request.group_size}. Decline it and ask for smaller groups.`,
      );
    if ("roomId" in input.location) {
      const refusal = await roomRefusal(trx, input.location.roomId, slot, request.group_size);
      if (refusal) throw new RuleViolation("roomId", refusal);
    }
    const at = nowIso();
    const session = await trx
      .insertInto("sessions")
      .values({
        course_id: request.course_id,
        booking_request_id: request.id,
        organisation_id: request.organisation_id,
        starts_at: slot.start.toISOString(),
        ends_at: slot.end.toISOString(),
        duration_minutes: request.duration_minutes,
        room_id: "roomId" in input.location ? input.location.roomId : null,
        address: "address" in input.location ? input.location.address : null,
        capacity: request.group_size,
        trainers_needed: request.trainers_needed,
        status: "scheduled",
        cancel_reason: null,
        ical_uid: newSessionUid(),
        created_by: actor.id,
        created_at: at,
        updated_at: at,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    markNewEvent(trx, session.id);
    await trx.updateTable("booking_requests").set({ status: "scheduled", session_id: session.id, updated_at: at }).where("id", "=", request.id).execute();
    const detail = await mustGetSession(trx, session.id);
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: "session.scheduled",
      entityType: "session",
      entityId: session.id,
      summary: `${actor.name} scheduled ${detail.course.name} for ${detail.organisation?.name ?? "an open group"}: ${formatRange(detail.startsAt, detail.endsAt)}, ${sessionWhere(detail)}`,
      detail: { requestId: request.id },
    });
    if (detail.booker) {
      const url = appUrl(`/booker/requests/${request.id}`);
      await enqueueSessionEmail(trx, detail, detail.booker, {
        template: "session-scheduled",
        subject: `Confirmed: ${detail.course.name}, ${formatRange(detail.startsAt, detail.endsAt)}`,
        react: SessionScheduledEmail({ name: detail.booker.name, session: sessionDetailsProps(detail), url, contact: await getCoordinatorContact(trx) }),
        calendar: "REQUEST",
        answerAt: url,
      });
    }
    return session.id;
  });
}

export async function declineRequest(db: Kysely<Database>, actor: SessionUser, requestId: number, reason: string) {
  await writeTransaction(db, async (trx) => {
    const request = await trx
      .selectFrom("booking_requests as br")
      .innerJoin("courses as c", "c.id", "br.course_id")
      .innerJoin("organisations as o", "o.id", "br.organisation_id")
      .innerJoin("users as u", "u.id", "br.requested_by")
      .select([
        "br.id",
        "br.status",
        "br.group_size",
        "c.name as course_name",
        "o.name as organisation_name",
        "u.name as booker_name",
        "u.email as booker_email",
      ])
      .where("br.id", "=", requestId)
      .executeTakeFirst();
    if (!request) throw new RuleViolation("form", "That request no longer exists");
    if (request.status !== "requested") throw new RuleViolation("form", `This request is already ${request.status}.`);
    await trx.updateTable("booking_requests").set({ status: "declined", status_reason: reason, updated_at: nowIso() }).where("id", "=", requestId).execute();
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: "request.declined",
      entityType: "request",
      entityId: requestId,
      summary: `${actor.name} declined the request for ${request.course_name} from ${request.organisation_name}: ${reason}`,
    });
    const times = await trx.selectFrom("booking_request_times").select("starts_at").where("request_id", "=", requestId).orderBy("position").execute();
    const email = await composeEmail({
      template: "booking-request-declined",
      to: { email: request.booker_email, name: request.booker_name },
      subject: `We could not schedule ${request.course_name}`,
      react: BookingRequestDeclinedEmail({
        name: request.booker_name,
        reason,
        url: appUrl("/booker/requests/new"),
        contact: await getCoordinatorContact(trx),
        session: {
          course: request.course_name,
          when: times.map((t) => formatDateTime(t.starts_at)).join("; "),
          where: "Not scheduled",
          organisation: request.organisation_name,
          groupSize: request.group_size,
        },
      }),
    });
    await enqueueEmail(trx, email);
  });
}

/**
 * Moves a session, to a day the university is open. The room is checked again, and so is every
 * trainer already on it: nobody is double-booked by a move. The event keeps its UID; SEQUENCE rises; everyone gets the update.
 */
export async function rescheduleSession(
  db: Kysely<Database>,
  actor: SessionUser,
  input: { sessionId: number; startsAt: Date; location: Location; reason: string; changeId?: number },
) {
  checkAddress(input.location);
  const [settings, closures] = await Promise.all([getSettings(db), closureCalendar(db)]);
  await writeTransaction(db, async (trx) => {
    const before = await mustGetSession(trx, input.sessionId);
    if (before.status !== "scheduled") throw new RuleViolation("form", `This session is ${before.status}; it cannot be moved.`);
    const slot = { start: input.startsAt, end: addMs(input.startsAt, before.durationMinutes * MINUTE) };
    const timeProblem = sessionTimeProblem(closures, slot.start, slot.end);
    if (timeProblem) throw new RuleViolation("startsAt", timeProblem);
    // Moving a session is how a booker's change of time is accepted: the numbers they asked for come too.
    if (input.changeId) mustBeCoordinator(actor);
    const change = input.changeId ? await openChangeOfSession(trx, input.changeId, { id: before.id, requestId: before.request?.id ?? null }) : null;
    const groupSize = change?.group_size ?? before.request?.groupSize ?? before.capacity;
    if ("roomId" in input.location) {
      const refusal = await roomRefusal(trx, input.location.roomId, slot, groupSize, before.id);
      if (refusal) throw new RuleViolation("roomId", refusal);
    }
    const place = await placeOf(trx, input.location);
    const trainerIds = new Set(activeTrainers(before).map((t) => t.id));
    if (trainerIds.size) {
      const candidates = await evaluateTrainers(trx, { sessionId: before.id, courseId: before.course.id, slot, place }, settings);
      const clashes = candidates
        .filter((c) => trainerIds.has(c.id))
        .flatMap((c) => c.exclusions.filter((e) => e.code === "double_booked" || e.code === "travel").map((e) => `${c.name}: ${e.message}`));
      if (clashes.length) throw new RuleViolation("startsAt", `A trainer on this session cannot make the new time. ${clashes.join(". ")}.`);
    }
    await trx
      .updateTable("sessions")
      .set({
        starts_at: slot.start.toISOString(),
        ends_at: slot.end.toISOString(),
        room_id: "roomId" in input.location ? input.location.roomId : null,
        address: "address" in input.location ? input.location.address : null,
        updated_at: nowIso(),
      })
      .where("id", "=", before.id)
      .execute();
    await raiseSequence(trx, before.id);
    // A reminder of the old time says nothing about the new one: everyone is reminded again.
    await trx.deleteFrom("reminders_sent").where("session_id", "=", before.id).execute();
    if (change) await applyAcceptedChange(trx, actor, change, { id: before.id, roomCapacity: null, roomName: null });
    const after = await mustGetSession(trx, before.id);
    const previousWhen = formatRange(before.startsAt, before.endsAt);
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: "session.rescheduled",
      entityType: "session",
      entityId: before.id,
      summary: `${actor.name} moved ${after.course.name} from ${previousWhen}, ${sessionWhere(before)} to ${formatRange(after.startsAt, after.endsAt)}, ${sessionWhere(after)}: ${input.reason}`,
    });
    const subject = `Moved: ${after.course.name} is now ${formatRange(after.startsAt, after.endsAt)}`;
    const moved = { session: sessionDetailsProps(after), previousWhen, previousWhere: sessionWhere(before), reason: input.reason };
    const contact = after.booker ? await getCoordinatorContact(trx) : null;
    const asked = change && before.request ? changeSentences(change, before.request) : undefined;
    const staff = [
      ...(after.booker ? [{ ...after.booker, url: appUrl(`/booker/requests/${after.request?.id}`), forBooker: true }] : []),
      ...activeTrainers(after).map((t) => ({ ...t, url: appUrl(`/trainer/sessions/${after.id}`) })),
    ];
    for (const r of staff) {
      await enqueueSessionEmail(trx, after, r, {
        template: "session-rescheduled",
        subject,
        react: SessionRescheduledEmail({ name: r.name, url: r.url, ...moved, ...("forBooker" in r ? { changeAccepted: asked, contact } : {}) }),
        calendar: "REQUEST",
        answerAt: r.url,
      });
    }
    // People waiting are told too, with where they stand, but get no invitation: they have no place in the calendar yet.
    for (const r of await registrantsOf(trx, [after.id], { includeWaiting: true })) {
      const url = await newManageLink(trx, r.id);
      await enqueueSessionEmail(trx, after, r, {
        template: r.status === "waiting" ? "waiting-list-session-moved" : "session-rescheduled",
        subject,
        react: SessionRescheduledEmail({ name: r.name, url, ...moved, place: { waitingPosition: r.waitingPosition } }),
        calendar: r.status === "waiting" ? undefined : "REQUEST",
        answerAt: url,
        orderingKey: `registration-${r.id}`,
      });
    }
  });
}

/** Cancels a session: SEQUENCE rises and everyone on it gets METHOD:CANCEL for the same UID. */
export async function cancelSession(db: Kysely<Database>, actor: SessionUser, sessionId: number, reason: string) {
  await writeTransaction(db, async (trx) => {
    const before = await mustGetSession(trx, sessionId);
    if (before.status !== "scheduled") throw new RuleViolation("form", `This session is already ${before.status}.`);
    const at = nowIso();
    await trx.updateTable("sessions").set({ status: "cancelled", cancel_reason: reason, updated_at: at }).where("id", "=", sessionId).execute();
    await raiseSequence(trx, sessionId);
    if (before.request) {
      await trx
        .updateTable("booking_requests")
        .set({ status: "cancelled", status_reason: reason, updated_at: at })
        .where("id", "=", before.request.id)
        .execute();
    }
    const after = await mustGetSession(trx, sessionId);
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: "session.cancelled",
      entityType: "session",
      entityId: sessionId,
      summary: `${actor.name} cancelled ${after.course.name}, ${formatRange(after.startsAt, after.endsAt)}: ${reason}`,
    });
    const attendees = (await registrantsOf(trx, [after.id], { includeWaiting: true })).map((r) => ({
      ...r,
      orderingKey: `registration-${r.id}`,
      onWaitingList: r.status === "waiting",
    }));
    const contact = after.booker ? await getCoordinatorContact(trx) : null;
    const recipients = [...(after.booker ? [{ ...after.booker, forBooker: true }] : []), ...activeTrainers(after), ...attendees];
    for (const r of recipients) {
      const waiting = "onWaitingList" in r && r.onWaitingList;
      await enqueueSessionEmail(trx, after, r, {
        orderingKey: "orderingKey" in r ? String(r.orderingKey) : undefined,
        template: "session-cancelled",
        subject: `Cancelled: ${after.course.name}, ${formatRange(after.startsAt, after.endsAt)}`,
        react: SessionCancelledEmail({
          name: r.name,
          session: sessionDetailsProps(after),
          url: appUrl("/"),
          reason,
          calendarAttached: !waiting,
          contact: "forBooker" in r ? contact : null,
        }),
        calendar: waiting ? undefined : "CANCEL",
      });
    }
  });
}
