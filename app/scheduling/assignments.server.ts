import type { Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import { writeTransaction } from "#app/utils/transaction.server.ts";
import TrainerAssignedEmail from "#emails/trainer-assigned.tsx";
import TrainerDeclinedEmail from "#emails/trainer-declined.tsx";
import TrainerRemovedEmail from "#emails/trainer-removed.tsx";
import { recordAudit } from "#app/audit/audit.server.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { getSettings } from "#app/settings/settings.server.ts";
import { formatRange } from "#app/utils/dates.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { nowIso } from "#app/utils/time.ts";
import { evaluateTrainers, type Place, type TrainerCandidate } from "./availability.server.ts";
import { appUrl, enqueueSessionEmail, listCoordinators, sessionDetailsProps } from "./notifications.server.ts";
import { raiseSequence } from "./sequence.server.ts";
import { getSessionDetail, type SessionDetail } from "./session-detail.server.ts";

/** What a trainer for this session must be free for: its course, its time and its place. */
function needOf(s: SessionDetail) {
  const place: Place = s.room ? { kind: "room", roomId: s.room.id, building: s.room.building } : { kind: "address", address: s.address ?? "" };
  return { sessionId: s.id, courseId: s.course.id, slot: { start: new Date(s.startsAt), end: new Date(s.endsAt) }, place };
}

/** The trainers changed, so every calendar copy of the event must be newer: SEQUENCE rises. */
async function bumpSequence(trx: Kysely<Database>, sessionId: number, at: string): Promise<SessionDetail> {
  await trx.updateTable("sessions").set({ updated_at: at }).where("id", "=", sessionId).execute();
  await raiseSequence(trx, sessionId);
  return (await getSessionDetail(trx, sessionId))!;
}

/** The ranked trainers for a session, each with the reasons they are excluded, if any. */
export async function rankTrainersForSession(db: Kysely<Database>, sessionId: number): Promise<TrainerCandidate[]> {
  const s = await getSessionDetail(db, sessionId);
  if (!s) return [];
  return evaluateTrainers(db, needOf(s), await getSettings(db));
}

/**
 * Assigns a trainer. Checked inside the write transaction: a double booking or a missing
 * qualification is always refused; unavailability (outside their hours, time off, travel time,
 * the weekly limit) is refused unless the coordinator gives a reason to override.
 */
export async function assignTrainer(db: Kysely<Database>, actor: SessionUser, input: { sessionId: number; trainerId: number; overrideReason?: string | null }) {
  const settings = await getSettings(db);
  await writeTransaction(db, async (trx) => {
    const s = await getSessionDetail(trx, input.sessionId);
    if (!s) throw new RuleViolation("form", "That session no longer exists");
    if (s.status !== "scheduled") throw new RuleViolation("form", `This session is ${s.status}; trainers cannot be assigned.`);
    const existing = s.trainers.find((t) => t.id === input.trainerId);
    if (existing && existing.status !== "declined") throw new RuleViolation("trainerId", `${existing.name} is already on this session.`);
    const candidates = await evaluateTrainers(trx, needOf(s), settings);
    const candidate = candidates.find((c) => c.id === input.trainerId);
    if (!candidate) throw new RuleViolation("trainerId", "Choose a trainer from the list");
    const hard = candidate.exclusions.filter((e) => e.hard);
    if (hard.length)
      throw new RuleViolation("trainerId", `${candidate.name} cannot deliver this session: ${hard.map((e) => e.message.toLowerCase()).join("; ")}.`);
    const soft = candidate.exclusions;
    const override = input.overrideReason?.trim() || null;
    if (soft.length && !override) {
      throw new RuleViolation(
        "overrideReason",
        `${candidate.name} is not available: ${soft.map((e) => e.message.toLowerCase()).join("; ")}. To assign them anyway, give a reason.`,
      );
    }
    const at = nowIso();
    // A trainer who declined before is asked afresh: their earlier answer is cleared.
    const assignment = {
      status: "assigned",
      assigned_by: actor.id,
      assigned_at: at,
      responded_at: null,
      decline_reason: null,
      override_reason: soft.length ? override : null,
    } as const;
    await trx
      .insertInto("session_trainers")
      .values({ session_id: s.id, trainer_id: candidate.id, ...assignment })
      .onConflict((oc) => oc.columns(["session_id", "trainer_id"]).doUpdateSet(assignment))
      .execute();
    const after = await bumpSequence(trx, s.id, at);
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: "session.trainer_assigned",
      entityType: "session",
      entityId: s.id,
      summary: `${actor.name} assigned ${candidate.name} to ${after.course.name}, ${formatRange(after.startsAt, after.endsAt)}${soft.length ? ` (override: ${override})` : ""}`,
    });
    await enqueueSessionEmail(
      trx,
      after,
      { email: candidate.email, name: candidate.name },
      {
        template: "trainer-assigned",
        subject: `Please deliver: ${after.course.name}, ${formatRange(after.startsAt, after.endsAt)}`,
        react: TrainerAssignedEmail({ name: candidate.name, session: sessionDetailsProps(after), url: appUrl(`/trainer/sessions/${after.id}`), note: null }),
        calendar: "REQUEST",
        answerAt: appUrl(`/trainer/sessions/${after.id}`),
      },
    );
  });
}

/** Takes a trainer off a session; their copy of the event is cancelled. */
export async function removeTrainer(db: Kysely<Database>, actor: SessionUser, input: { sessionId: number; trainerId: number }) {
  await writeTransaction(db, async (trx) => {
    const s = await getSessionDetail(trx, input.sessionId);
    const t = s?.trainers.find((x) => x.id === input.trainerId && x.status !== "declined");
    if (!s || !t) throw new RuleViolation("form", "That trainer is not on this session");
    const at = nowIso();
    await trx.deleteFrom("session_trainers").where("session_id", "=", s.id).where("trainer_id", "=", t.id).execute();
    const after = await bumpSequence(trx, s.id, at);
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: "session.trainer_removed",
      entityType: "session",
      entityId: s.id,
      summary: `${actor.name} took ${t.name} off ${after.course.name}, ${formatRange(after.startsAt, after.endsAt)}`,
    });
    await enqueueSessionEmail(trx, after, t, {
      template: "trainer-removed",
      subject: `You are no longer delivering ${after.course.name}, ${formatRange(after.startsAt, after.endsAt)}`,
      react: TrainerRemovedEmail({
        name: t.name,
        session: sessionDetailsProps(after),
        url: appUrl("/trainer"),
        cause: "taken_off",
        reason: null,
      }),
      calendar: "CANCEL",
    });
  });
}

/**
 * The trainer's answer. A decline puts the session back in the coordinator's queue, tells every
 * coordinator, and cancels the trainer's own copy of the event: the session itself goes ahead.
 */
export async function respondToAssignment(
  db: Kysely<Database>,
  trainer: SessionUser,
  input: { sessionId: number; response: "accept" | "decline"; reason?: string | null },
) {
  await writeTransaction(db, async (trx) => {
    const s = await getSessionDetail(trx, input.sessionId);
    const mine = s?.trainers.find((t) => t.id === trainer.id);
    if (!s || !mine) throw new RuleViolation("form", "You are not assigned to this session");
    if (s.status !== "scheduled") throw new RuleViolation("form", `This session is ${s.status}.`);
    if (mine.status === "declined") throw new RuleViolation("form", "You have already declined this session");
    const at = nowIso();
    if (input.response === "accept") {
      if (mine.status === "accepted") return;
      await trx
        .updateTable("session_trainers")
        .set({ status: "accepted", responded_at: at })
        .where("session_id", "=", s.id)
        .where("trainer_id", "=", trainer.id)
        .execute();
      await recordAudit(trx, {
        actorUserId: trainer.id,
        action: "session.trainer_accepted",
        entityType: "session",
        entityId: s.id,
        summary: `${trainer.name} accepted ${s.course.name}, ${formatRange(s.startsAt, s.endsAt)}`,
      });
      return;
    }
    const reason = input.reason?.trim();
    if (!reason) throw new RuleViolation("reason", "Say why you cannot deliver it, so the coordinator can plan");
    await trx
      .updateTable("session_trainers")
      .set({ status: "declined", responded_at: at, decline_reason: reason })
      .where("session_id", "=", s.id)
      .where("trainer_id", "=", trainer.id)
      .execute();
    const after = await bumpSequence(trx, s.id, at);
    await recordAudit(trx, {
      actorUserId: trainer.id,
      action: "session.trainer_declined",
      entityType: "session",
      entityId: s.id,
      summary: `${trainer.name} declined ${after.course.name}, ${formatRange(after.startsAt, after.endsAt)}: ${reason}`,
    });
    await enqueueSessionEmail(
      trx,
      after,
      { email: trainer.email, name: trainer.name },
      {
        template: "trainer-removed",
        subject: `Declined: ${after.course.name}, ${formatRange(after.startsAt, after.endsAt)} (it goes ahead without you)`,
        react: TrainerRemovedEmail({ name: trainer.name, session: sessionDetailsProps(after), url: appUrl("/trainer"), cause: "declined", reason }),
        calendar: "CANCEL",
      },
    );
    for (const c of await listCoordinators(trx)) {
      await enqueueSessionEmail(trx, after, c, {
        template: "trainer-declined",
        subject: `${trainer.name} declined ${after.course.name}, ${formatRange(after.startsAt, after.endsAt)}`,
        react: TrainerDeclinedEmail({
          name: c.name,
          session: sessionDetailsProps(after),
          url: appUrl(`/coordinator/sessions/${after.id}`),
          trainerName: trainer.name,
          reason,
        }),
      });
    }
  });
}
