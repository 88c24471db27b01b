import { getFormProps, type FieldMetadata, type FormMetadata } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { Button } from "#app/components/button.tsx";
import { FormErrors, TextareaField } from "#app/components/field.tsx";
import { formatDateTime } from "#app/utils/dates.ts";
import type { BookingChangeView } from "./changes.server.ts";

/**
 * A booker's change waiting on a session, where the coordinator answers it: accepted as it stands (new
 * numbers, access needs), accepted by moving the session (a new time), or declined with a reason.
 */
export function ChangeToAnswer<A extends Record<string, unknown>, D extends Record<string, unknown>>({
  change,
  acceptForm,
  declineForm,
  reason,
}: {
  change: BookingChangeView;
  acceptForm: FormMetadata<A>;
  declineForm: FormMetadata<D>;
  reason: FieldMetadata<string | undefined>;
}) {
  return (
    <section aria-labelledby="change-heading" className="rounded-lg bg-amber-50 p-5 shadow-sm ring-1 ring-amber-300">
      <h2 id="change-heading" className="text-lg font-semibold text-slate-900">
        {change.askedBy} asks for a change
      </h2>
      <p className="text-sm text-slate-700">Asked {formatDateTime(change.createdAt)}</p>
      <ul className="mt-3 space-y-1 text-slate-900">
        {change.changes.map((line) => (
          <li key={line} className="whitespace-pre-line">
            {line}
          </li>
        ))}
      </ul>
      <div className="mt-4 grid gap-4 sm:grid-cols-2">
        {change.preferredStartsAt ? (
          <div>
            <p className="text-slate-800">
              To accept, <a href="#reschedule">move the session</a>: the time they asked for is already filled in there.
            </p>
          </div>
        ) : (
          <Form method="post" {...getFormProps(acceptForm)}>
            <FormErrors id={acceptForm.errorId} errors={acceptForm.errors} />
            <input type="hidden" name="intent" value="accept-change" />
            <input type="hidden" name="changeId" value={change.id} />
            <p className="mb-3 text-sm text-slate-700">The booking takes the new numbers and needs; the booker is emailed.</p>
            <Button type="submit">Accept the change</Button>
          </Form>
        )}
        <Form method="post" {...getFormProps(declineForm)} className="space-y-3">
          <FormErrors id={declineForm.errorId} errors={declineForm.errors} />
          <input type="hidden" name="intent" value="decline-change" />
          <input type="hidden" name="changeId" value={change.id} />
          <TextareaField meta={reason} label="Reason to decline (sent to the booker)" rows={2} />
          <Button type="submit" variant="secondary">
            Decline the change
          </Button>
        </Form>
      </div>
    </section>
  );
}
