import type { Submission } from "@conform-to/react";
import { data } from "@remix-run/node";
import { z } from "zod";
import { notFound } from "#app/auth/guards.server.ts";

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

/** A positive integer id from a route parameter, or null. */
export function parseId(value: string | undefined): number | null {
  const parsed = IdSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/**
 * The record a route parameter names, or a 404 saying `missing`. An id that is not a number and one
 * that names nothing get the same answer; so does a record `find` keeps from this person.
 */
export async function findByParam<T>(param: string | undefined, find: (id: number) => Promise<T | null | undefined>, missing: string): Promise<T> {
  const id = parseId(param);
  const record = id ? await find(id) : null;
  if (!record) throw notFound(missing);
  return record;
}
