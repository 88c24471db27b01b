import type { Submission } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data } from "@remix-run/node";
import type { z } from "zod";
import type { SessionUser } from "#app/auth/session.server.ts";
import { getDb } from "#app/db.server.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { redirectWithFlash } from "#app/utils/flash.server.ts";
import { findByParam, invalid, replyWithError } from "#app/utils/forms.server.ts";
import { setArchived, type ReferenceKind } from "./reference.server.ts";

/**
 * What the course, room and organisation pages share: the record named in the address, and what
 * their forms do. Each page keeps its own words and fields.
 */

/** "new" for a blank form (null), or the id of a record that exists: anything else is a 404. */
export async function recordFromAddress<T>(param: string | undefined, find: (id: number) => Promise<T | undefined>, kind: ReferenceKind): Promise<T | null> {
  if (param === "new") return null;
  return findByParam(param, find, `We could not find that ${kind}.`);
}

interface RecordForm<S extends z.ZodType> {
  kind: ReferenceKind;
  /** The record the page shows, or null on the page that adds one. */
  record: { id: number; name: string } | null;
  schema: S;
  save: (id: number | null, value: z.output<S>) => Promise<number>;
  /** The list's address: saving goes back to it, archiving stays on the record's own page below it. */
  path: string;
  said: { saved: (value: z.output<S>) => string; archived: (name: string) => string; restored: (name: string) => string };
}

/**
 * The page's form posted: archive or restore the record shown (the only intents a record page
 * knows), or the record's fields checked and saved. A refusal keeps what was typed and says what
 * is wrong beside its field.
 */
export async function submitRecordForm<S extends z.ZodType>(actor: SessionUser, formData: FormData, form: RecordForm<S>) {
  const intent = formData.get("intent");
  if (form.record && (intent === "archive" || intent === "restore")) {
    await setArchived(getDb(), actor, form.kind, form.record.id, intent === "archive");
    const message = intent === "archive" ? form.said.archived(form.record.name) : form.said.restored(form.record.name);
    return redirectWithFlash(`${form.path}/${form.record.id}`, { kind: "success", message });
  }
  if (intent !== null) throw data({ message: "We did not understand what you asked for." }, { status: 400 });
  const submission = parseWithZod(formData, { schema: form.schema }) as Submission<z.output<S>>;
  if (submission.status !== "success") return invalid(submission);
  try {
    await form.save(form.record?.id ?? null, submission.value);
  } catch (err) {
    if (err instanceof RuleViolation) return replyWithError(submission, err.field, err.message);
    throw err;
  }
  return redirectWithFlash(form.path, { kind: "success", message: form.said.saved(submission.value) });
}
