import type { RequestStatus, SessionStatus } from "#db/schema.ts";
import { Badge } from "#app/components/layout.tsx";

export type BookerStatus = RequestStatus | "delivered";

/**
 * What a booker reads as the state of their booking. Once a request has become a session, the
 * session is what happened: it may have been delivered, or cancelled by the coordinator.
 */
export function bookerStatus(row: { status: RequestStatus; session: { status: SessionStatus } | null }): BookerStatus {
  if (row.session?.status === "delivered") return "delivered";
  if (row.session?.status === "cancelled") return "cancelled";
  return row.status;
}

export const BOOKER_STATUS_LABELS: Record<BookerStatus, string> = {
  requested: "Requested",
  scheduled: "Scheduled",
  delivered: "Delivered",
  declined: "Declined",
  cancelled: "Cancelled",
};

const TONES = { requested: "amber", scheduled: "brand", delivered: "green", declined: "red", cancelled: "slate" } as const;

export function RequestStatusBadge({ status }: { status: BookerStatus }) {
  return <Badge tone={TONES[status]}>{BOOKER_STATUS_LABELS[status]}</Badge>;
}
