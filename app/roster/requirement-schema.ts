import { z } from "zod";
import { ChosenId as id } from "#app/utils/validation.ts";

/** What a role requires, as a form sends it: the same for leader roles and staff roles but for how long a course can count. */

/** One course a role requires, and how long doing it counts: one of `validities`, or a number of months. */
export const requirementSchema = <V extends string>(validities: readonly [V, ...V[]]) =>
  z
    .object({
      courseId: id("Choose a course"),
      validity: z.enum([...validities, "months"] as [V | "months", ...(V | "months")[]], { error: "Choose how long the training counts" }),
      validityMonths: z.preprocess(
        (v) => (v === "" || v === undefined ? null : v),
        z.coerce
          .number({ error: "Enter a number of months" })
          .int({ error: "Enter whole months" })
          .min(1, { error: "At least 1 month" })
          .max(120, { error: "At most 120 months" })
          .nullable(),
      ),
    })
    .refine((r) => r.validity !== "months" || r.validityMonths !== null, { path: ["validityMonths"], error: "Enter for how many months the training counts" })
    .transform((r) => ({ ...r, validityMonths: r.validity === "months" ? r.validityMonths : null }));

/** Every course a role requires, each once. */
export const roleRequirementsSchema = <V extends string>(validities: readonly [V, ...V[]]) =>
  z
    .object({ requirements: z.array(requirementSchema(validities)).max(20) })
    .refine((v) => new Set(v.requirements.map((r) => r.courseId)).size === v.requirements.length, {
      path: ["requirements"],
      error: "Each course once",
    });

/** "requirements.1.courseId" from a rule is "requirements[1].courseId" on the form. */
export const formFieldName = (path: string) => path.replace(/\.(\d+)(?=\.|$)/g, "[$1]");
