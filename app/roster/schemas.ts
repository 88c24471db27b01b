import { z } from "zod";
import { StudentIdSchema } from "#app/signup/schemas.ts";
import { OptionalText, RequiredText } from "#app/utils/validation.ts";

/** Form fields every roster (a year's student leaders, a venue's staff) checks the same way. */

export const RoleSchema = z.object({
  name: RequiredText(80, "Enter the role's name"),
  description: OptionalText(500),
});

/** A student ID or staff number: upper-case, or null when none is given. */
export const PersonIdentifierSchema = StudentIdSchema.optional()
  .nullable()
  .transform((v) => (v ? v.toUpperCase() : null));

/** The course an exemption covers, chosen on a form: a course's id, or "all" for every course. */
export const ExemptionCourseChoice = z
  .string({ error: "Choose a course, or every course" })
  .regex(/^(all|\d+)$/, { error: "Choose a course, or every course" });

export const ExemptionReason = RequiredText(1000, "Give the reason for the exemption");
export const ExemptionGrantedBy = RequiredText(120, "Say who granted the exemption");
export const WithdrawReason = RequiredText(500, "Say why this record is withdrawn");
export const TrainingProvider = RequiredText(200, "Say who delivered the training");
