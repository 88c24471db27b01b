import type { Db } from "#db/schema.ts";
import { isWriteTransaction } from "#app/utils/transaction.server.ts";

/**
 * A session's calendar SEQUENCE (`sessions.ical_sequence`): one stored counter per event that only
 * ever rises. Every change that sends an invitation, an update or a cancellation raises it once,
 * whoever the change is about (a place taken or given up, a trainer on or off, a move), so every
 * copy a person is sent carries a higher number than the one before it: a calendar can always tell
 * which came last, even when a person cancels and signs up again.
 *
 * "Once per change" means once per write transaction: everyone told about one move gets the same
 * number. Outside a write transaction every call is a change of its own.
 */

const raisedIn = new WeakMap<Db, Set<number>>();

function raisedThisChange(trx: Db): Set<number> | null {
  if (!isWriteTransaction(trx)) return null;
  let raised = raisedIn.get(trx);
  if (!raised) raisedIn.set(trx, (raised = new Set()));
  return raised;
}

/** The SEQUENCE for the messages of this change: raised by one the first time a change asks. */
export async function raiseSequence(trx: Db, sessionId: number): Promise<number> {
  const raised = raisedThisChange(trx);
  if (raised?.has(sessionId)) {
    const row = await trx.selectFrom("sessions").select("ical_sequence").where("id", "=", sessionId).executeTakeFirstOrThrow();
    return row.ical_sequence;
  }
  const row = await trx
    .updateTable("sessions")
    .set((eb) => ({ ical_sequence: eb("ical_sequence", "+", 1) }))
    .where("id", "=", sessionId)
    .returning("ical_sequence")
    .executeTakeFirstOrThrow();
  raised?.add(sessionId);
  return row.ical_sequence;
}

/** A session written in this change is at its first SEQUENCE (0): its first invitations need no raise. */
export function markNewEvent(trx: Db, sessionId: number): void {
  raisedThisChange(trx)?.add(sessionId);
}
