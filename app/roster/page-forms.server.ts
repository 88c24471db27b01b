import type { Submission, SubmissionResult } from "@conform-to/react";
import { RuleViolation } from "#app/utils/errors.ts";
import type { Flash } from "#app/utils/flash.server.ts";

/** The forms on a record's page (a leader's, a staff member's): each done, or sent back to where it was. */

/** A form sent back with its refusal beside the field it is about, everything typed kept. */
export interface RefusedForm {
  form: string;
  result: SubmissionResult<string[]>;
}

/** What a form on a record's page came to: sent back refused, or done with a message to show. */
export type PageFormOutcome = { refused: RefusedForm } | { flash: Flash };

/** Does the work when the form is valid; a rule's refusal goes beside its field when the form has one, at the top when not. */
export async function attempt<T>(
  form: string,
  submission: Submission<unknown, string[], T>,
  fields: readonly string[],
  work: (value: T) => Promise<unknown>,
  done: (value: T) => string,
): Promise<PageFormOutcome> {
  if (submission.status !== "success") return { refused: { form, result: submission.reply() } };
  try {
    await work(submission.value);
  } catch (err) {
    if (!(err instanceof RuleViolation)) throw err;
    const result = fields.includes(err.field)
      ? submission.reply({ fieldErrors: { [err.field]: [err.message] } })
      : submission.reply({ formErrors: [err.message] });
    return { refused: { form, result } };
  }
  return { flash: { kind: "success", message: done(submission.value) } };
}
