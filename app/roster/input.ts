import type { z } from "zod";
import { RuleViolation } from "#app/utils/errors.ts";

/** Parses input with its schema; the first problem becomes a RuleViolation on its field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new RuleViolation(issue.path.map(String).join(".") || "form", issue.message);
}
