import type { Db } from "#db/schema.ts";
import { RuleViolation } from "#app/utils/errors.ts";

/**
 * The names of the courses a role is to require, each checked to exist: an unknown one is refused
 * beside its place in the form ("requirements.2.courseId").
 */
export async function requiredCourseNames(trx: Db, requirements: readonly { courseId: number }[]): Promise<Map<number, string>> {
  const ids = requirements.map((r) => r.courseId);
  const courses = ids.length ? await trx.selectFrom("courses").select(["id", "name"]).where("id", "in", ids).execute() : [];
  const names = new Map(courses.map((c) => [c.id, c.name]));
  const unknown = requirements.findIndex((r) => !names.has(r.courseId));
  if (unknown >= 0) throw new RuleViolation(`requirements.${unknown}.courseId`, "Choose a course from the list");
  return names;
}
