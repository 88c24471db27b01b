import type { Db, RegistrationStatus } from "#db/schema.ts";
import { appUrl } from "#app/scheduling/notifications.server.ts";
import { randomToken, sha256Hex } from "#app/utils/tokens.server.ts";

/**
 * The emailed link that lets a person see, cancel or leave their place without an account. Only the
 * token's hash is kept, so a link cannot be sent again: each message that needs one carries a new
 * one, and the link in any earlier message stops working.
 */
export const manageUrl = (token: string) => appUrl(`/registrations/${token}`);

/** A new link to manage this place; the one sent before stops working. */
export async function newManageLink(trx: Db, registrationId: number): Promise<string> {
  const token = randomToken(32);
  await trx
    .updateTable("registrations")
    .set({ manage_token_hash: sha256Hex(token) })
    .where("id", "=", registrationId)
    .execute();
  return manageUrl(token);
}

export interface Registrant {
  id: number;
  sessionId: number;
  name: string;
  email: string;
  status: "registered" | "waiting";
  /** Their place in the waiting list's order (1 is next), or null for someone with a place. */
  waitingPosition: number | null;
}

/**
 * Everyone with an email address who holds a place (and, when asked, who is waiting) on any of these
 * sessions, in one query: each session's places in order of signing up, then its waiting list in the
 * order it is promoted from.
 */
export async function registrantsOf(db: Db, sessionIds: number[], opts: { includeWaiting?: boolean } = {}): Promise<Registrant[]> {
  if (sessionIds.length === 0) return [];
  const statuses: RegistrationStatus[] = opts.includeWaiting ? ["registered", "waiting"] : ["registered"];
  const rows = await db
    .selectFrom("registrations")
    .select(["id", "session_id", "name", "email", "status"])
    .where("session_id", "in", sessionIds)
    .where("status", "in", statuses)
    .orderBy("session_id")
    .orderBy("id")
    .execute();
  const waitingSoFar = new Map<number, number>();
  const people: Registrant[] = [];
  for (const r of rows) {
    // Everyone waiting counts towards the order, with an address or not.
    const position = r.status === "waiting" ? (waitingSoFar.get(r.session_id) ?? 0) + 1 : null;
    if (position !== null) waitingSoFar.set(r.session_id, position);
    if (!r.email) continue;
    people.push({ id: r.id, sessionId: r.session_id, name: r.name, email: r.email, status: r.status as Registrant["status"], waitingPosition: position });
  }
  return people;
}
