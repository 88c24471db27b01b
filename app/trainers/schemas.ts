import { z } from "zod";
import { OptionalText } from "#app/utils/validation.ts";
import { DateField, TimeField } from "#app/utils/date-fields.ts";
import { formatCount } from "#app/utils/plural.ts";

const time = TimeField("Enter a time like 09:00");
const date = DateField();

export const DeclineSchema = z.object({
  sessionId: z.coerce.number().int().positive(),
  reason: z
    .string({ error: "Say why you cannot deliver it, so the coordinator can plan" })
    .trim()
    .min(3, { error: "Say why you cannot deliver it, so the coordinator can plan" })
    .max(1000, { error: "Use at most 1000 characters" }),
});

/**
 * A week of availability as the trainer types it. The module checks the same rules; checking them
 * here too puts each message beside the window it is about.
 */
export const AvailabilitySchema = z
  .object({
    windows: z
      .array(
        z.object({
          weekday: z.coerce.number().int().min(1).max(7),
          startTime: time,
          endTime: time,
        }),
      )
      .default([]),
  })
  .superRefine((value, ctx) => {
    value.windows.forEach((w, i) => {
      if (w.startTime >= w.endTime) ctx.addIssue({ code: "custom", path: ["windows", i, "endTime"], message: "End after the start time" });
    });
    const order = value.windows.map((w, i) => ({ ...w, i })).sort((a, b) => a.weekday - b.weekday || a.startTime.localeCompare(b.startTime));
    for (let k = 1; k < order.length; k++) {
      const a = order[k - 1]!;
      const b = order[k]!;
      if (a.weekday === b.weekday && a.startTime < a.endTime && b.startTime < a.endTime) {
        ctx.addIssue({ code: "custom", path: ["windows", b.i, "startTime"], message: `Overlaps ${a.startTime}–${a.endTime} on the same day` });
      }
    }
  });

/** Whole days, inclusive; no last day means a single day. */
export const TimeOffSchema = z
  .object({
    startDate: date,
    endDate: date.optional(),
    reason: OptionalText(200),
  })
  .refine((v) => !v.endDate || v.endDate >= v.startDate, { path: ["endDate"], error: "The last day cannot be before the first day" });

export function formatHours(hours: number): string {
  return formatCount(Math.round(hours * 10) / 10);
}
