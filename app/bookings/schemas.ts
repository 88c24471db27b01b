import { z } from "zod";
import type { Audience, LocationKind } from "#db/schema.ts";
import { AccessFeatureList } from "#app/scheduling/room-access.ts";
import { EmailedReason, OptionalText } from "#app/utils/validation.ts";
import { DateField, londonMoments, TimeField } from "#app/utils/date-fields.ts";

export const AUDIENCE_LABELS: Record<Audience, string> = {
  students: "Students",
  staff: "Staff",
  venue_staff: "Venue staff",
  mixed: "A mix",
};

export const LOCATION_LABELS: Record<LocationKind, string> = {
  campus: "A campus room (the coordinator books one)",
  own_premises: "Our own premises",
};

const dateField = DateField();
const timeField = TimeField();

/** A booking request as the booker types it: times are London wall-clock dates and times. */
export const BookingRequestSchema = z
  .object({
    organisationId: z.coerce.number({ error: "Choose your organisation" }).int().positive({ error: "Choose your organisation" }),
    courseId: z.coerce.number({ error: "Choose a course" }).int().positive({ error: "Choose a course" }),
    groupSize: z.coerce
      .number({ error: "Enter how many people to expect" })
      .int({ error: "Enter a whole number" })
      .min(1, { error: "Expect at least one person" })
      .max(2000, { error: "That is more people than any room holds" }),
    audience: z.enum(["students", "staff", "venue_staff", "mixed"], { error: "Choose who the session is for" }),
    date1: dateField,
    time1: timeField,
    date2: dateField,
    time2: timeField,
    date3: dateField.optional(),
    time3: timeField.optional(),
    locationKind: z.enum(["campus", "own_premises"], { error: "Choose where the session will be" }),
    address: OptionalText(300),
    accessNeeds: AccessFeatureList,
    accessibilityNeeds: OptionalText(1000),
    notes: OptionalText(2000),
  })
  .refine((v) => v.locationKind !== "own_premises" || !!v.address, { path: ["address"], error: "Give the address where the session will be" })
  .refine((v) => !v.date3 === !v.time3, { path: ["time3"], error: "Give both a date and a time for the third choice, or neither" })
  .superRefine(londonMoments(["date1", "time1"], ["date2", "time2"], ["date3", "time3"]));

export type BookingRequestInput = z.infer<typeof BookingRequestSchema>;

export const ReasonSchema = z.object({ reason: EmailedReason() });

/**
 * What a booker asks to change on a scheduled booking: a time that would suit better, new numbers,
 * new access needs, a message; any of them, but at least one. The coordinator answers it.
 */
export const BookingChangeSchema = z
  .object({
    date: dateField.optional(),
    time: timeField.optional(),
    groupSize: z.coerce
      .number({ error: "Enter how many people to expect" })
      .int({ error: "Enter a whole number" })
      .min(1, { error: "Expect at least one person" })
      .max(2000, { error: "That is more people than any room holds" })
      .optional(),
    accessibilityNeeds: OptionalText(1000),
    message: OptionalText(2000),
  })
  .refine((v) => !v.date === !v.time, { path: ["time"], error: "Give both a date and a start time, or neither" })
  .refine((v) => v.date || v.groupSize !== undefined || v.accessibilityNeeds || v.message, {
    error: "Say what you would like to change: a time, the numbers, the accessibility needs or a message",
  })
  .superRefine(londonMoments(["date", "time"]));

export type BookingChangeInput = z.infer<typeof BookingChangeSchema>;
