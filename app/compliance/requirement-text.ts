import type { RequirementRule } from "./rules.ts";

/** How long a completion counts, as an officer says it. */
export function validityText(rule: Pick<RequirementRule, "validity" | "validityMonths">): string {
  return rule.validity === "academic_year" ? "this academic year only" : `counts for ${rule.validityMonths} ${rule.validityMonths === 1 ? "month" : "months"}`;
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
