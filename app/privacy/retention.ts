import { z } from "zod";
import { addMonthsToInstant } from "#app/utils/dates.ts";
import { DAY } from "#app/utils/time.ts";
import { plural } from "#app/utils/plural.ts";

/** How long each kind of personal data is kept. Stored in the settings table under "retention". */
export interface RetentionPeriods {
  registrationsMonths: number;
  feedbackTextMonths: number;
  emailBodiesMonths: number;
  emailRecipientsMonths: number;
  auditMonths: number;
  expiredTokensDays: number;
  staffLeaversMonths: number;
}

export const DEFAULT_RETENTION: RetentionPeriods = {
  registrationsMonths: 36,
  feedbackTextMonths: 24,
  emailBodiesMonths: 12,
  emailRecipientsMonths: 36,
  auditMonths: 72,
  expiredTokensDays: 30,
  staffLeaversMonths: 24,
};

export type RetentionCategory = "registrations" | "feedbackText" | "emailBodies" | "emailRecipients" | "auditEntries" | "expiredTokens" | "staffLeavers";

export interface CategoryInfo {
  key: RetentionCategory;
  field: keyof RetentionPeriods;
  unit: "months" | "days";
  label: string;
  /** What goes, and what stays. */
  what: string;
  /** The date the period counts from. */
  from: string;
  action: "anonymised" | "removed" | "deleted";
}

export const RETENTION_CATEGORIES: readonly CategoryInfo[] = [
  {
    key: "registrations",
    field: "registrationsMonths",
    unit: "months",
    label: "Attendees on registrations",
    what: "Names, email addresses, student IDs, accessibility needs and answers of people who signed up. The registration and its attendance stay, so the impact report's figures do not change.",
    from: "after the session",
    action: "anonymised",
  },
  {
    key: "feedbackText",
    field: "feedbackTextMonths",
    unit: "months",
    label: "Written feedback",
    what: "What people wrote on feedback forms (what they will do differently, and comments). Ratings and confidence scores stay.",
    from: "after the answer",
    action: "removed",
  },
  {
    key: "emailBodies",
    field: "emailBodiesMonths",
    unit: "months",
    label: "Email content in the outbox",
    what: "The text, HTML, raw message and attachments of each email. The subject, date and status stay.",
    from: "after it was written",
    action: "removed",
  },
  {
    key: "emailRecipients",
    field: "emailRecipientsMonths",
    unit: "months",
    label: "Email recipients in the outbox",
    what: "The address and name each email went to.",
    from: "after it was written",
    action: "removed",
  },
  {
    key: "auditEntries",
    field: "auditMonths",
    unit: "months",
    label: "Audit log entries",
    what: "Entries in the audit log, which name the people who made and were affected by each change.",
    from: "after the change",
    action: "deleted",
  },
  {
    key: "expiredTokens",
    field: "expiredTokensDays",
    unit: "days",
    label: "Expired emailed links",
    what: "Feedback links, leaders' own-status links and password links that can no longer be used.",
    from: "after they expire",
    action: "deleted",
  },
  {
    key: "staffLeavers",
    field: "staffLeaversMonths",
    unit: "months",
    label: "People who left a venue's or staff team's staff list",
    what: "Their entry on the staff list, with training recorded by hand and exemptions. Their attendance on the registers follows the registrations' own period.",
    from: "after they left",
    action: "deleted",
  },
];

const months = (label: string, min: number) =>
  z.coerce
    .number({ error: `Enter the number of months to keep ${label}` })
    .int({ error: "Use a whole number of months" })
    .min(min, { error: `Keep ${label} for at least ${plural(min, "month")}` })
    .max(240, { error: "Use at most 240 months (20 years)" });

export const RetentionSchema = z.object({
  // A year at least: leader compliance and the year's report read the registers for the whole academic year.
  registrationsMonths: months("registrations", 12),
  feedbackTextMonths: months("written feedback", 1),
  emailBodiesMonths: months("email content", 1),
  emailRecipientsMonths: months("email recipients", 1),
  auditMonths: months("audit entries", 1),
  expiredTokensDays: z.coerce
    .number({ error: "Enter the number of days" })
    .int({ error: "Use a whole number of days" })
    .min(1, { error: "Keep expired links for at least 1 day" })
    .max(365, { error: "Use at most 365 days" }),
  staffLeaversMonths: months("people who left a staff list", 1),
});

/** For each kind of data, the instant before which it is due to go. */
export function retentionCutoffs(periods: RetentionPeriods, at: Date): Record<RetentionCategory, Date> {
  return Object.fromEntries(
    RETENTION_CATEGORIES.map((c) => [c.key, c.unit === "days" ? new Date(at.getTime() - periods[c.field] * DAY) : addMonthsToInstant(at, -periods[c.field])]),
  ) as Record<RetentionCategory, Date>;
}

/** When something dated `date` becomes due. */
export function dueAt(category: RetentionCategory, date: Date | string, periods: RetentionPeriods): Date {
  const info = RETENTION_CATEGORIES.find((c) => c.key === category)!;
  const d = new Date(date);
  return info.unit === "days" ? new Date(d.getTime() + periods[info.field] * DAY) : addMonthsToInstant(d, periods[info.field]);
}

export function describePeriod(periods: RetentionPeriods, info: CategoryInfo): string {
  const n = periods[info.field];
  return `${plural(n, info.unit === "days" ? "day" : "month")} ${info.from}`;
}
