import { z } from "zod";
import { TimeField } from "#app/utils/date-fields.ts";
import { EmailSchema, NameSchema } from "#app/utils/validation.ts";

const time = TimeField("Enter a time like 09:00");

export const SettingsSchema = z
  .object({
    workingDays: z.array(z.coerce.number().int().min(1).max(7)).min(1, { error: "Choose at least one working day" }),
    workingHoursStart: time,
    workingHoursEnd: time,
    travelBufferMinutes: z.coerce.number({ error: "Enter minutes" }).int().min(0, { error: "Use 0 or more" }).max(240, { error: "Use at most 240" }),
    reminderLeadHours: z.coerce.number({ error: "Enter hours" }).int().min(1, { error: "Use at least 1" }).max(168, { error: "Use at most 168 (a week)" }),
    bookerCancellationCutoffHours: z.coerce.number({ error: "Enter hours" }).int().min(0, { error: "Use 0 or more" }).max(720, { error: "Use at most 720" }),
    defaultMaxSessionsPerWeek: z.coerce.number({ error: "Enter a number" }).int().min(1, { error: "Use at least 1" }).max(30, { error: "Use at most 30" }),
  })
  .refine((s) => s.workingHoursStart < s.workingHoursEnd, { path: ["workingHoursEnd"], error: "The day must end after it starts" });

export type Settings = z.infer<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  workingDays: [1, 2, 3, 4, 5],
  workingHoursStart: "09:00",
  workingHoursEnd: "18:00",
  travelBufferMinutes: 30,
  reminderLeadHours: 24,
  bookerCancellationCutoffHours: 48,
  defaultMaxSessionsPerWeek: 4,
};

export const WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"] as const;

/** Digits with the spaces, brackets, dashes and leading + people write them with: "0113 496 0000", "+44 (0)113 496 0000". */
const PHONE = /^\+?[0-9 ()-]+$/;

/**
 * Whom bookers contact when the app cannot do what they need (past the cancellation cut-off, a
 * question about a booking): shown on their booking pages and in the emails that tell them what to do.
 */
export const CoordinatorContactSchema = z.object({
  name: NameSchema,
  email: EmailSchema,
  phone: z
    .string()
    .trim()
    .max(30, { error: "Use at most 30 characters" })
    .optional()
    .transform((v) => v || null)
    .refine((v) => v === null || (PHONE.test(v) && v.replace(/\D/g, "").length >= 7), { error: "Enter a phone number like 0113 496 0000" }),
});

export type CoordinatorContact = z.infer<typeof CoordinatorContactSchema>;
