import { z } from "zod";
import { PlaceField } from "#app/scheduling/schemas.ts";
import { PageParam } from "#app/utils/paging.ts";
import { EmailedReason, EmailSchema, NameSchema, OptionalText } from "#app/utils/validation.ts";
import { DateField, isRealDate, londonMoments, TimeField } from "#app/utils/date-fields.ts";

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

const RequiredStudentId = z
  .string({ error: "Enter your student ID" })
  .pipe(StudentIdSchema)
  .pipe(z.string().min(1, { error: "Enter your student ID" }))
  .transform((v): string | null => v.toUpperCase());
// Both forms of the schema built once, not on every sign-up.
const RegistrationWithStudentId = RegistrationSchema.extend({ studentId: RequiredStudentId });

/** The sign-up form of one session: the student ID is required where the session asks for it. */
export function registrationSchema(asksStudentId: boolean) {
  return asksStudentId ? RegistrationWithStudentId : RegistrationSchema;
}

/** "2025-10-14", and a real day of the calendar. */
const Day = z.string().refine(isRealDate);

/** The public list's filters, from the address; anything that does not make sense is ignored rather than refused. */
export const OpenSessionFilterSchema = z.object({
  course: z.coerce.number().int().positive().optional().catch(undefined),
  from: Day.optional().catch(undefined),
  to: Day.optional().catch(undefined),
  page: PageParam,
});

const registrationId = z.coerce.number().int().positive();

/** The coordinator cancels a place or a waiting-list entry; the reason goes into the email to the person. */
export const CancelPlaceSchema = z.object({
  intent: z.literal("cancel"),
  registrationId,
  reason: EmailedReason("Give a short reason; it goes into the email to them", 500),
});

/** The coordinator moves someone up from the waiting list by hand. */
export const PromoteSchema = z.object({ intent: z.literal("promote"), registrationId });

const dateField = DateField();
const timeField = TimeField();

/** An open session as the coordinator sets it up. Times are London wall-clock. */
export const OpenSessionSchema = z
  .object({
    courseId: z.coerce.number({ error: "Choose a course" }).int().positive({ error: "Choose a course" }),
    title: OptionalText(120),
    date: dateField,
    time: timeField,
    place: PlaceField,
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
