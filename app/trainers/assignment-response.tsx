import { getFormProps, type SubmissionResult } from "@conform-to/react";
import { Form, useNavigation } from "@remix-run/react";
import { Button } from "#app/components/button.tsx";
import { FormErrors, TextareaField } from "#app/components/field.tsx";
import { useSchemaForm } from "#app/components/schema-form.ts";
import { DeclineSchema } from "./schemas.ts";

export type RespondActionData = { sessionId: number | null; result: SubmissionResult<string[]> } | undefined;

/**
 * Accept, or decline with a reason, for one session. Works without JavaScript: the decline form
 * sits in a disclosure that opens again when the server refuses it.
 */
export function AssignmentResponse({
  sessionId,
  status,
  label,
  actionData,
}: {
  sessionId: number;
  status: "assigned" | "accepted";
  /** Which session, for screen readers when a page lists several. */
  label: string;
  actionData: RespondActionData;
}) {
  const navigation = useNavigation();
  const lastResult = actionData?.sessionId === sessionId ? actionData.result : undefined;
  const [form, fields] = useSchemaForm(DeclineSchema, {
    id: `decline-${sessionId}`,
    lastResult,
  });
  const busy = (intent: string) =>
    navigation.state === "submitting" && navigation.formData?.get("sessionId") === String(sessionId) && navigation.formData?.get("intent") === intent;
  const refused = Boolean(lastResult?.error && Object.keys(lastResult.error).length);
  return (
    <div className="flex flex-wrap items-start gap-3">
      {status === "assigned" ? (
        <Form method="post">
          <input type="hidden" name="sessionId" value={sessionId} />
          <Button type="submit" name="intent" value="accept" pending={busy("accept")}>
            Accept<span className="sr-only"> {label}</span>
          </Button>
        </Form>
      ) : null}
      <details className="group open:basis-full" open={refused || undefined}>
        <summary className="inline-flex min-h-11 cursor-pointer list-none items-center gap-2 rounded-md bg-white px-4 py-2 text-sm font-semibold text-red-800 ring-1 ring-inset ring-red-300 hover:bg-red-50 [&::-webkit-details-marker]:hidden">
          {status === "assigned" ? "Decline" : "I can no longer deliver this"}
          <span className="sr-only"> {label}</span>
          <span aria-hidden="true" className="text-xs transition-transform group-open:rotate-180">
            ▼
          </span>
        </summary>
        <Form method="post" {...getFormProps(form)} className="mt-3 space-y-3 rounded-md bg-slate-50 p-4 ring-1 ring-slate-200">
          <input type="hidden" name="sessionId" value={sessionId} />
          <input type="hidden" name="intent" value="decline" />
          <FormErrors id={form.errorId} errors={form.errors} />
          <TextareaField meta={fields.reason} label="Why can't you deliver it?" hint="The coordinator reads this and finds someone else." rows={3} />
          <Button type="submit" variant="danger" pending={busy("decline")}>
            Decline this session
          </Button>
        </Form>
      </details>
    </div>
  );
}
