import type { SubmissionResult } from "@conform-to/react";
import { z } from "zod";
import { EmailSchema, NameSchema } from "#app/utils/validation.ts";

/** A head count above this is a typo, not a group. */
export const MAX_HEAD_COUNT = 2000;

/** The key a phone makes for a walk-in, so a retried request finds the same person again. */
export const WalkInKeySchema = z.string().regex(/^[A-Za-z0-9_-]{8,100}$/);

export const WalkInSchema = z.object({
  name: NameSchema,
  email: EmailSchema.optional().transform((v) => v ?? null),
  clientKey: WalkInKeySchema,
});

export const HeadCountSchema = z.object({
  count: z.coerce
    .number({ error: "Enter the number of people" })
    .int({ error: "Enter a whole number" })
    .min(0, { error: "Enter 0 or more" })
    .max(MAX_HEAD_COUNT, { error: `Enter at most ${MAX_HEAD_COUNT.toLocaleString("en-GB")}` }),
});

/** The register page has two forms that can come back with errors, so a reply says which one it is for. */
export interface RegisterFormReply {
  form: "walk-in" | "head-count";
  result: SubmissionResult<string[]>;
}
