import { Badge } from "#app/components/layout.tsx";
import type { RequirementState } from "#app/roster/requirements.ts";
import { STATUS_LABELS, type LeaderStatus } from "./rules.ts";

type Tone = "green" | "amber" | "red" | "slate" | "brand";

export const STATUS_TONE: Record<LeaderStatus, Tone> = {
  compliant: "green",
  due: "brand",
  due_soon: "amber",
  overdue: "red",
  ended: "slate",
};

export function LeaderStatusBadge({ status }: { status: LeaderStatus }) {
  return <Badge tone={STATUS_TONE[status]}>{STATUS_LABELS[status]}</Badge>;
}

/** One requirement's state; something missing is red once its due date has passed. */
export function RequirementBadge({ state, overdue = false }: { state: RequirementState; overdue?: boolean }) {
  if (state === "met") return <Badge tone="green">Done</Badge>;
  if (state === "exempt") return <Badge tone="brand">Exempt</Badge>;
  return <Badge tone={overdue ? "red" : "amber"}>{overdue ? "Overdue" : "Not done yet"}</Badge>;
}
