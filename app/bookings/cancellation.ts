import { plural } from "#app/utils/plural.ts";
import type { RequestStatus, SessionStatus } from "#db/schema.ts";
import { addMs, HOUR } from "#app/utils/time.ts";

/**
 * What a booker may do about cancelling a booking now: withdraw a request that is still waiting, cancel
 * a scheduled session up to the cut-off before it starts, or (past the cut-off) only ask the
 * coordinator. Null when there is nothing left to cancel. The page shows this before the form, and
 * the cancellation itself is refused by the same rule.
 */
export type BookerCancellation =
  { kind: "request" } | { kind: "session"; until: Date; cutoffHours: number } | { kind: "too-late"; closedAt: Date; cutoffHours: number } | null;

export function bookerCancellation(
  booking: { status: RequestStatus; session: { status: SessionStatus; startsAt: string } | null },
  cutoffHours: number,
  at: Date,
): BookerCancellation {
  if (booking.status === "requested") return { kind: "request" };
  if (booking.status !== "scheduled" || booking.session?.status !== "scheduled") return null;
  const until = addMs(new Date(booking.session.startsAt), -cutoffHours * HOUR);
  return at > until ? { kind: "too-late", closedAt: until, cutoffHours } : { kind: "session", until, cutoffHours };
}

/** Why a booking can no longer be cancelled here, in the words the page and the refusal share. */
export function tooLateText(cutoffHours: number): string {
  return `Sessions can be cancelled here up to ${plural(cutoffHours, "hour")} before they start.`;
}
