import { z } from "zod";
import { TimeField } from "#app/utils/date-fields.ts";

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
