import { z } from "zod";
import { requirementSchema, roleRequirementsSchema } from "#app/roster/requirement-schema.ts";
import * as rosterFields from "#app/roster/schemas.ts";
import { DateField } from "#app/utils/date-fields.ts";
import { ChosenId as id, EmailSchema, NameSchema, OptionalText } from "#app/utils/validation.ts";

/** One schema per form, used by the page and by the module that does the work. */

export const StaffRoleSchema = rosterFields.RoleSchema;
export type StaffRoleInput = z.input<typeof StaffRoleSchema>;

/** A staff role's course counts for good, or for a number of months (then a refresher is due). */
export const StaffRequirementSchema = requirementSchema(["once"]);
export type StaffRequirementInput = z.output<typeof StaffRequirementSchema>;
export const StaffRoleRequirementsSchema = roleRequirementsSchema(["once"]);

export const StaffNumberSchema = rosterFields.PersonIdentifierSchema;

/** Someone on a venue's staff list, added or changed by hand (the import uses the same rules per row). */
export const StaffMemberSchema = z.object({
  name: NameSchema,
  email: EmailSchema,
  staffNumber: StaffNumberSchema,
  /** Only for contractors: the firm they are employed by (the security company). */
  employer: OptionalText(120),
  roleId: id("Choose a role"),
  startedOn: DateField("Enter the day they started"),
});
export type StaffMemberInput = z.input<typeof StaffMemberSchema>;

export const EndStaffMemberSchema = z.object({
  memberId: id("Choose a person"),
  endedOn: DateField("Enter the day they left"),
  reason: OptionalText(500),
});
export type EndStaffMemberInput = z.input<typeof EndStaffMemberSchema>;

/** Training a staff member did elsewhere (an SIA course, another provider's session). */
export const StaffCompletionSchema = z.object({
  memberId: id("Choose a person"),
  courseId: id("Choose a course"),
  completedOn: DateField("Enter the day of the training"),
  provider: rosterFields.TrainingProvider,
  evidenceNote: OptionalText(1000),
});
export type StaffCompletionInput = z.input<typeof StaffCompletionSchema>;

export const StaffExemptionSchema = z.object({
  memberId: id("Choose a person"),
  /** "all": every course. */
  courseId: rosterFields.ExemptionCourseChoice,
  reason: rosterFields.ExemptionReason,
  grantedBy: rosterFields.ExemptionGrantedBy,
});
export type StaffExemptionInput = z.input<typeof StaffExemptionSchema>;

export const WithdrawStaffRecordSchema = z.object({
  memberId: id("Choose a person"),
  id: id("Choose a record"),
  kind: z.enum(["completion", "exemption"], { error: "Choose a record" }),
  reason: rosterFields.WithdrawReason,
});
export type WithdrawStaffRecordInput = z.input<typeof WithdrawStaffRecordSchema>;

/** The share of a venue's staff that must be trained for it to be accredited. */
export const ThresholdSchema = z.object({
  thresholdPercent: z.coerce
    .number({ error: "Enter a percentage" })
    .int({ error: "Use a whole percentage" })
    .min(1, { error: "Use at least 1%" })
    .max(100, { error: "Use at most 100%" }),
});
export type ThresholdInput = z.input<typeof ThresholdSchema>;

/** The forms of one member's page, without the member (the page's). */
export const EndFormSchema = EndStaffMemberSchema.omit({ memberId: true });
export const CompletionFormSchema = StaffCompletionSchema.omit({ memberId: true });
export const ExemptionFormSchema = StaffExemptionSchema.omit({ memberId: true });
export const WithdrawFormSchema = z.object({ id: id("Choose a record"), reason: z.string().trim().min(1, "Say why this record is withdrawn").max(500) });
