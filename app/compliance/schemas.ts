import { z } from "zod";
import { ChosenId as id, EmailSchema, NameSchema, OptionalText, RequiredText } from "#app/utils/validation.ts";
import { academicYearDates } from "#app/utils/dates.ts";
import { DateField } from "#app/utils/date-fields.ts";
import { requirementSchema, roleRequirementsSchema } from "#app/roster/requirement-schema.ts";
import * as rosterFields from "#app/roster/schemas.ts";

/** One schema per form, used by the page and by the module that does the work. */

export const CalendarDateSchema = DateField();

export const StartYearSchema = z.coerce
  .number({ error: "Choose a year" })
  .int({ error: "Choose a year" })
  .min(2000, { error: "Choose a year from 2000" })
  .max(2100, { error: "Choose a year before 2100" });

/** A checkbox from a form ("on"), or a boolean from code. */
export const CheckboxSchema = z.preprocess((v) => v === true || v === "on" || v === "yes" || v === "true" || v === "1", z.boolean());

export const LeaderStudentIdSchema = rosterFields.PersonIdentifierSchema;

export const LeaderRoleSchema = rosterFields.RoleSchema;
export type LeaderRoleInput = z.infer<typeof LeaderRoleSchema>;

export const RequirementSchema = requirementSchema(["academic_year"]);
export type RequirementInput = z.infer<typeof RequirementSchema>;

export const RoleRequirementsSchema = roleRequirementsSchema(["academic_year"]);
export const LeaderYearSchema = z.object({ startYear: StartYearSchema, deadline: CalendarDateSchema }).refine(
  (v) => {
    const { first, last } = academicYearDates(v.startYear);
    return v.deadline >= first && v.deadline <= last;
  },
  { path: ["deadline"], error: "The deadline must fall within the academic year (1 August to 31 July)" },
);
export type LeaderYearInput = z.infer<typeof LeaderYearSchema>;

/** A leader added or changed by hand (the roster import uses the same rules per row). */
export const LeaderSchema = z.object({
  name: NameSchema,
  email: EmailSchema,
  studentId: LeaderStudentIdSchema,
  roleId: id("Choose a role"),
  groupName: OptionalText(120).transform((v) => v ?? ""),
  isPresident: CheckboxSchema.default(false),
  startedOn: CalendarDateSchema.optional(),
});
export type LeaderInput = z.input<typeof LeaderSchema>;
export const LeaderPersonSchema = z.object({
  personId: id("Choose a person"),
  name: NameSchema,
  email: EmailSchema,
  studentId: LeaderStudentIdSchema,
});
export type LeaderPersonInput = z.input<typeof LeaderPersonSchema>;

export const ExternalCompletionSchema = z.object({
  personId: id("Choose a person"),
  courseId: id("Choose a course"),
  completedOn: CalendarDateSchema,
  provider: rosterFields.TrainingProvider,
  evidenceNote: OptionalText(1000),
});
export type ExternalCompletionInput = z.input<typeof ExternalCompletionSchema>;
/** Training done elsewhere, recorded from a leader's page: the leader is the page's. */
export const ExternalCompletionFormSchema = ExternalCompletionSchema.omit({ personId: true });

export const ExemptionSchema = z.object({
  personId: id("Choose a person"),
  /** "all", empty or absent: every course this year. */
  courseId: z.preprocess((v) => (v === "" || v === "all" || v === undefined ? null : v), id("Choose a course").nullable()),
  startYear: StartYearSchema,
  reason: rosterFields.ExemptionReason,
  grantedBy: rosterFields.ExemptionGrantedBy,
});
export type ExemptionInput = z.input<typeof ExemptionSchema>;
/** An exemption recorded from a leader's page: every course is a choice made on purpose, never an empty list. */
export const ExemptionFormSchema = z.object({
  courseId: rosterFields.ExemptionCourseChoice,
  startYear: StartYearSchema,
  reason: ExemptionSchema.shape.reason,
  grantedBy: ExemptionSchema.shape.grantedBy,
});

/** A record withdrawn from one leader's page: the record must be that leader's. */
export const WithdrawSchema = z.object({
  personId: id("Choose a person"),
  id: id("Choose a record"),
  reason: rosterFields.WithdrawReason,
});
export type WithdrawInput = z.input<typeof WithdrawSchema>;
/** The withdraw form beside each record on a leader's page: the leader is the page's. */
export const WithdrawFormSchema = WithdrawSchema.omit({ personId: true });

/** A role ended from one leader's page: the appointment must be that leader's. */
export const EndAppointmentSchema = z.object({
  personId: id("Choose a person"),
  appointmentId: id("Choose a role"),
  endedOn: CalendarDateSchema,
  reason: RequiredText(500, "Say why the role ended"),
});
export type EndAppointmentInput = z.input<typeof EndAppointmentSchema>;

/** A near-miss the officer settles: only a pair the app itself proposed (see `nearMisses`). */
export const MatchSchema = z.object({
  personId: id("Choose a person"),
  registrationId: id("Choose an attendance"),
});
export type MatchInput = z.input<typeof MatchSchema>;

export const RollOverSchema = z
  .object({
    fromYear: StartYearSchema,
    toYear: StartYearSchema,
    roleIds: z.array(id("Choose a role")).min(1, { error: "Choose at least one role that continues" }),
    deadline: CalendarDateSchema.optional(),
  })
  .refine((v) => v.toYear > v.fromYear, { path: ["toYear"], error: "Roll over into a later year" })
  .refine(
    (v) => {
      if (!v.deadline) return true;
      const { first, last } = academicYearDates(v.toYear);
      return v.deadline >= first && v.deadline <= last;
    },
    { path: ["deadline"], error: "The deadline must fall within the new academic year" },
  );
export type RollOverInput = z.input<typeof RollOverSchema>;

export const ReminderSchema = z.object({
  /** "overdue": everyone overdue; otherwise the chosen people. */
  to: z.union([z.literal("overdue"), z.array(id("Choose a person")).min(1, { error: "Choose at least one person" }).max(20_000)]),
  copyPresidents: CheckboxSchema.default(false),
  minIntervalDays: z.coerce.number().int().min(1, { error: "At least 1 day" }).max(90, { error: "At most 90 days" }).default(7),
});
export type ReminderInput = z.input<typeof ReminderSchema>;

export const LeaderLinkRequestSchema = z.object({ email: EmailSchema });

export const COMPLIANCE_SORTS = ["status", "name", "role", "group", "due"] as const;
export type ComplianceSort = (typeof COMPLIANCE_SORTS)[number];

/** The dashboard's filters, as they come from the query string. */
export const ComplianceFilterSchema = z.object({
  role: z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number().int().positive().optional()).catch(undefined),
  group: z.string().trim().max(120).optional().catch(undefined),
  status: z.enum(["compliant", "due", "due_soon", "overdue", "ended"]).optional().catch(undefined),
  search: z.string().trim().max(120).optional().catch(undefined),
  sort: z.enum(COMPLIANCE_SORTS).default("status").catch("status"),
});
export type ComplianceFilter = z.input<typeof ComplianceFilterSchema>;
