import { z } from "zod";
import { EmailSchema, NameSchema, OptionalText } from "#app/utils/validation.ts";
import { DateField, londonMoments, TimeField } from "#app/utils/date-fields.ts";

export const StudentIdSchema = z
  .string()
  .trim()
  .max(20, { error: "A student ID has at most 20 characters" })
  .regex(/^[A-Za-z0-9-]*$/, { error: "Use letters, digits and hyphens only" });

/** What a person types to sign up to an open session. */
export const RegistrationSchema = z.object({
  name: NameSchema,
  email: EmailSchema,
  studentId: StudentIdSchema.optional().transform((v) => (v ? v.toUpperCase() : null)),
  accessibilityNeeds: OptionalText(1000),
  answer: OptionalText(1000),
});
export type RegistrationInput = z.infer<typeof RegistrationSchema>;

const dateField = DateField();
const timeField = TimeField();

/** An open session as the coordinator sets it up. Times are London wall-clock. */
export const OpenSessionSchema = z
  .object({
    courseId: z.coerce.number({ error: "Choose a course" }).int().positive({ error: "Choose a course" }),
    title: OptionalText(120),
    date: dateField,
    time: timeField,
    place: z.string({ error: "Choose where" }).regex(/^(room:\d+|address)$/, { error: "Choose where" }),
    address: OptionalText(300),
    capacity: z.coerce
      .number({ error: "Enter the number of places" })
      .int()
      .min(1, { error: "At least one place" })
      .max(1000, { error: "At most 1,000 places" }),
    deadlineDate: dateField.optional(),
    deadlineTime: timeField.optional(),
    policy: z.enum(["anyone", "list", "domain"], { error: "Choose who may sign up" }),
    domain: z
      .string()
      .trim()
      .toLowerCase()
      .max(100)
      .regex(/^@?[a-z0-9.-]*$/, { error: "Enter a domain like bath.ac.uk" })
      .optional()
      .transform((v) => (v ? v.replace(/^@/, "") : null)),
    allowlist: OptionalText(50_000),
    asksStudentId: z.enum(["yes", "no"]).default("no"),
    question: OptionalText(300),
    promotionCutoffHours: z.coerce.number({ error: "Enter hours" }).int().min(0).max(168, { error: "At most 168 hours" }).default(2),
  })
  .refine((v) => v.place !== "address" || !!v.address, { path: ["address"], error: "Give the address" })
  .refine((v) => v.policy !== "domain" || !!v.domain, { path: ["domain"], error: "Give the email domain, like bath.ac.uk" })
  .refine((v) => v.policy !== "list" || !!v.allowlist, { path: ["allowlist"], error: "Paste the email addresses, one per line" })
  .refine((v) => !v.deadlineDate === !v.deadlineTime, { path: ["deadlineTime"], error: "Give both a date and a time for the deadline, or neither" })
  .superRefine(londonMoments(["date", "time"], ["deadlineDate", "deadlineTime"]));
export type OpenSessionInput = z.infer<typeof OpenSessionSchema>;
