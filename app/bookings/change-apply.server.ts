import { plural, PEOPLE } from "#app/utils/plural.ts";
import type { Kysely, Selectable } from "kysely";
import type { BookingChangesTable, Database } from "#db/schema.ts";
import { recordAudit } from "#app/audit/audit.server.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { formatDateTime } from "#app/utils/dates.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { nowIso } from "#app/utils/time.ts";

export type BookingChangeRow = Selectable<BookingChangesTable>;

/** Answering a booker's change is the coordinator's: anyone else is refused, whatever the page let through. */
export function mustBeCoordinator(actor: SessionUser) {
  if (!actor.roles.includes("coordinator")) throw new RuleViolation("forbidden", "Only a coordinator can answer a change to a booking.");
}

/** What a booker asked to change, one sentence each, against the booking as it was. */
export function changeSentences(change: BookingChangeRow, before: { groupSize: number; accessibilityNeeds: string | null }): string[] {
  return [
    change.preferred_starts_at ? `A new time: ${formatDateTime(change.preferred_starts_at)}.` : null,
    change.group_size !== null ? `New numbers: ${plural(change.group_size, PEOPLE)} (was ${before.groupSize}).` : null,
    change.accessibility_needs ? `Accessibility needs: ${change.accessibility_needs}` : null,
    change.message ? `Message: ${change.message}` : null,
  ].filter((s): s is string => s !== null);
}

/**
 * The change waiting on a session's booking, read inside the transaction that answers it: it must
 * belong to that session's booking and still be open.
 */
export async function openChangeOfSession(trx: Kysely<Database>, changeId: number, session: { id: number; requestId: number | null }) {
  const change = await trx.selectFrom("booking_changes").selectAll().where("id", "=", changeId).executeTakeFirst();
  if (!change || change.request_id !== session.requestId) throw new RuleViolation("form", "That change was not asked for on this session.");
  if (change.status !== "open") throw new RuleViolation("form", `That change has already been ${change.status}.`);
  return change;
}

/**
 * Takes an accepted change into the booking: new numbers (the session's places with them) and new
 * access needs; a new time is the caller's, who moves the session. The room must still hold the group.
 */
export async function applyAcceptedChange(
  trx: Kysely<Database>,
  actor: SessionUser,
  change: BookingChangeRow,
  session: { id: number; roomCapacity: number | null; roomName: string | null },
) {
  if (change.group_size !== null && session.roomCapacity !== null && change.group_size > session.roomCapacity) {
    throw new RuleViolation(
      "form",
      `${session.roomName ?? "The room"} holds ${session.roomCapacity}: move the session to a room for ${change.group_size}, or decline the change.`,
    );
  }
  const at = nowIso();
  if (change.group_size !== null) {
    await trx.updateTable("booking_requests").set({ group_size: change.group_size, updated_at: at }).where("id", "=", change.request_id).execute();
    await trx.updateTable("sessions").set({ capacity: change.group_size, updated_at: at }).where("id", "=", session.id).execute();
  }
  if (change.accessibility_needs) {
    await trx
      .updateTable("booking_requests")
      .set({ accessibility_needs: change.accessibility_needs, updated_at: at })
      .where("id", "=", change.request_id)
      .execute();
  }
  await trx.updateTable("booking_changes").set({ status: "accepted", answered_by: actor.id, answered_at: at }).where("id", "=", change.id).execute();
  await recordAudit(trx, {
    actorUserId: actor.id,
    action: "request.change_accepted",
    entityType: "request",
    entityId: change.request_id,
    summary: `${actor.name} accepted the change asked for on this booking`,
  });
}
