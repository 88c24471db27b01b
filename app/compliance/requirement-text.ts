import type { RequirementRule } from "./rules.ts";
import { plural } from "#app/utils/plural.ts";

/** How long a completion counts, as an officer says it. */
export function validityText(rule: Pick<RequirementRule, "validity" | "validityMonths">): string {
  return rule.validity === "academic_year" ? "this academic year only" : `counts for ${plural(rule.validityMonths ?? 0, "month")}`;
}

export function requirementText(rule: RequirementRule) {
  return {
    courseId: rule.courseId,
    courseName: rule.courseName,
    validity: rule.validity,
    validityMonths: rule.validityMonths,
    validityText: validityText(rule),
  };
}
