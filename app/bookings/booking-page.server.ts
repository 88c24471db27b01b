import type { Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { getSessionDetail } from "#app/scheduling/session-detail.server.ts";
import { getCoordinatorContact, getSettings } from "#app/settings/settings.server.ts";
import { now } from "#app/utils/time.ts";
import { bookerCancellation } from "./cancellation.ts";
import { changeable, changesForBooker } from "./changes.server.ts";
import { deliveredSummary } from "./delivered.server.ts";
import { getRequestForBooker, getRequestForEditing, requestHistoryForBooker } from "./requests.server.ts";

/**
 * Everything a booker's page of one booking shows, for a booker of its organisation (anyone else is
 * told it does not exist): the request, its session, what they may do now (change it directly while
 * it waits, ask for a change or cancel while it is to come, only contact the coordinator past the
 * cut-off), and once delivered, its attendance and feedback.
 */
export async function bookerBookingPage(db: Kysely<Database>, booker: SessionUser, requestId: number) {
  const booking = await getRequestForBooker(db, booker, requestId);
  const [{ request, times }, session, history, settings, contact, delivered, changes] = await Promise.all([
    getRequestForEditing(db, booker, booking.id),
    booking.session ? getSessionDetail(db, booking.session.id) : null,
    requestHistoryForBooker(db, booker, booking.id),
    getSettings(db),
    getCoordinatorContact(db),
    deliveredSummary(db, booker, booking.id),
    changesForBooker(db, booker, booking.id),
  ]);
  const at = now();
  const openChange = changes.find((c) => c.status === "open") ?? null;
  return {
    booking,
    request,
    times,
    session,
    history,
    contact,
    delivered,
    changes,
    canEdit: booking.status === "requested",
    canAskForChange: changeable(booking, at) && !openChange,
    cancellation: bookerCancellation(booking, settings.bookerCancellationCutoffHours, at),
  };
}
