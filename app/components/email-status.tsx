import type { EmailStatus } from "#db/schema.ts";
import { Badge } from "./layout.tsx";

export const EMAIL_STATUS_LABELS: Record<EmailStatus, string> = {
  held: "Kept locally",
  pending: "Waiting",
  sending: "Sending",
  sent: "Delivered",
  failed: "Failed",
};

const TONE: Record<EmailStatus, "slate" | "amber" | "green" | "red" | "brand"> = {
  held: "brand",
  pending: "amber",
  sending: "amber",
  sent: "green",
  failed: "red",
};

export function EmailStatusBadge({ status }: { status: EmailStatus }) {
  return <Badge tone={TONE[status]}>{EMAIL_STATUS_LABELS[status]}</Badge>;
}
