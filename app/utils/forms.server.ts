import type { Submission } from "@conform-to/react";
import { data } from "@remix-run/node";
import { z } from "zod";

/** Puts a rule's refusal beside the field it is about, keeping everything the person typed. */
export function replyWithError<T>(submission: Submission<T>, field: string, message: string, status = 400) {
  const reply = field === "form" ? submission.reply({ formErrors: [message] }) : submission.reply({ fieldErrors: { [field]: [message] } });
  return data(reply, { status });
}

export function invalid<T>(submission: Submission<T>) {
  return data(submission.reply(), { status: 400 });
}

// Built once: building a zod schema costs more than using it, and ids are parsed on most requests.
const IdSchema = z.coerce.number().int().positive();

/** A positive integer id from a route parameter, or a 404. */
export function parseId(value: string | undefined): number | null {
  const parsed = IdSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}
