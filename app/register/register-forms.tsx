import { getFormProps } from "@conform-to/react";
import { Form, useActionData } from "@remix-run/react";
import { useEffect } from "react";
import { Button } from "#app/components/button.tsx";
import { FormErrors, TextField } from "#app/components/field.tsx";
import { Card } from "#app/components/layout.tsx";
import { useSchemaForm } from "#app/components/schema-form.ts";
import { HeadCountSchema, WalkInSchema, type RegisterFormReply } from "./schemas.ts";

/**
 * Someone who came without registering. With JavaScript they join the queue of changes with a key of
 * their own; without, the form posts with the key the page was served with, so a resend adds no one twice.
 */
export function WalkInCard({
  kind,
  walkInKey,
  hydrated,
  onAdd,
  lastAdded,
  prefill,
  onPrefilled,
}: {
  kind: string;
  walkInKey: string;
  hydrated: boolean;
  onAdd: (name: string, email: string | null) => void;
  lastAdded: string | null;
  prefill: string | null;
  onPrefilled: () => void;
}) {
  const reply = useActionData() as RegisterFormReply | undefined;
  const [form, fields] = useSchemaForm(WalkInSchema, {
    id: "walk-in",
    lastResult: reply?.form === "walk-in" ? reply.result : undefined,
    shouldValidate: "onSubmit",
    onSubmit(event, { submission }) {
      if (!hydrated || submission?.status !== "success") return;
      event.preventDefault();
      onAdd(submission.value.name, submission.value.email);
      event.currentTarget.reset();
    },
  });
  // "Add them as a walk-in" from a search with no match: the name is typed already.
  useEffect(() => {
    if (prefill === null) return;
    const input = document.getElementById(fields.name.id);
    if (input instanceof HTMLInputElement) {
      input.value = prefill;
      input.scrollIntoView({ block: "center" });
      input.focus();
    }
    onPrefilled();
  });
  return (
    <Card className="mb-4">
      <h2 id="walk-in-heading" className="mb-1 text-lg font-semibold text-slate-900">
        {kind === "booked" ? "Add a person" : "Add a walk-in"}
      </h2>
      <p className="mb-3 text-sm text-slate-700">They are added to the register as present.</p>
      <Form method="post" {...getFormProps(form)} className="space-y-4">
        <input type="hidden" name="intent" value="walk-in" />
        <input type="hidden" name="clientKey" value={walkInKey} />
        <FormErrors id={form.errorId} errors={form.errors} />
        <TextField meta={fields.name} label="Name" autoComplete="off" />
        <TextField
          meta={fields.email}
          label="Email"
          type="email"
          inputMode="email"
          autoComplete="off"
          optional
          hint="So they get the feedback link. If they are already registered with it, they are marked present instead."
        />
        <Button type="submit" className="w-full sm:w-auto">
          Add and mark present
        </Button>
        <p aria-live="polite" className="text-sm font-medium text-green-800">
          {lastAdded ? `Added ${lastAdded}, marked present.` : ""}
        </p>
      </Form>
    </Card>
  );
}

/** How many came to a group booking; with JavaScript the count joins the queue of changes like a tap. */
export function HeadCountCard({
  saved,
  hydrated,
  onSave,
  countableFromText,
}: {
  saved: number | null;
  hydrated: boolean;
  onSave: (count: number) => void;
  /** When the session starts, while it has not; null once it has. */
  countableFromText: string | null;
}) {
  const reply = useActionData() as RegisterFormReply | undefined;
  const [form, fields] = useSchemaForm(HeadCountSchema, {
    id: "head-count",
    lastResult: reply?.form === "head-count" ? reply.result : undefined,
    shouldValidate: "onSubmit",
    defaultValue: { count: saved === null ? "" : String(saved) },
    onSubmit(event, { submission }) {
      if (!hydrated || submission?.status !== "success") return;
      event.preventDefault();
      onSave(submission.value.count);
    },
  });
  return (
    <Card className="mb-4">
      <h2 className="mb-1 text-lg font-semibold text-slate-900">Head count</h2>
      <p className="mb-3 text-sm text-slate-700">For a group booking, how many people came is enough; names are optional.</p>
      {countableFromText ? (
        <p className="mb-3 text-sm font-medium text-slate-800">The session has not started yet. You can record the head count from {countableFromText}.</p>
      ) : null}
      <Form method="post" {...getFormProps(form)} className="flex flex-wrap items-end gap-3">
        <input type="hidden" name="intent" value="head-count" />
        <TextField meta={fields.count} label="People who came" type="number" inputMode="numeric" className="w-40" />
        <Button type="submit">Save head count</Button>
        <FormErrors id={form.errorId} errors={form.errors} />
      </Form>
      <p className="mt-2 text-sm text-slate-700">{saved === null ? "No head count recorded yet." : `Recorded: ${saved}.`}</p>
    </Card>
  );
}
