import { getFormProps, useForm, type DefaultValue, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { Form, useNavigation } from "@remix-run/react";
import type { z } from "zod";
import { Button } from "#app/components/button.tsx";
import { FormErrors, TextField } from "#app/components/field.tsx";
import { Badge } from "#app/components/layout.tsx";
import { formatDateTime } from "#app/utils/dates.ts";

/** What any roster's record pages share: forms checked by the server's schema, and withdrawing a record made by hand. */

/** The refused form the page came back with, if any: it names the form it belongs to. */
export type Refused = { form: string; result: SubmissionResult<string[]> } | undefined;

export const resultFor = (refused: Refused, form: string) => (refused?.form === form ? refused.result : undefined);
export const NO_LONGER_LISTED = "someone no longer listed";

/** The form to withdraw a record: which one, and why. */
type WithdrawSchema = z.ZodObject<{ id: z.ZodType<number, unknown>; reason: z.ZodType<string, string> }>;

/** Who withdrew a record and why; or, while it still counts, the form to withdraw it. */
export function WithdrawnOrForm({
  record,
  kind,
  what,
  lastResult,
  schema,
}: {
  record: { id: number; withdrawnAt: string | null; withdrawnByName: string | null; withdrawReason: string | null };
  kind: "completion" | "exemption";
  what: string;
  lastResult: SubmissionResult<string[]> | undefined;
  schema: WithdrawSchema;
}) {
  if (record.withdrawnAt) {
    return (
      <p className="mt-1 text-sm text-slate-800">
        <Badge>Withdrawn</Badge> by {record.withdrawnByName ?? NO_LONGER_LISTED} on {formatDateTime(record.withdrawnAt)}: {record.withdrawReason}
      </p>
    );
  }
  return <WithdrawForm key={`${kind}-${record.id}`} kind={kind} id={record.id} what={what} lastResult={lastResult} schema={schema} />;
}

function WithdrawForm({
  kind,
  id,
  what,
  lastResult,
  schema,
}: {
  kind: "completion" | "exemption";
  id: number;
  what: string;
  lastResult: SubmissionResult<string[]> | undefined;
  schema: WithdrawSchema;
}) {
  const [form, fields] = useRecordForm(`withdraw-${kind}-${id}`, schema, lastResult);
  return (
    <details open={lastResult ? true : undefined} className="mt-2">
      <summary className="inline-flex min-h-11 cursor-pointer items-center text-sm font-semibold text-brand-700">
        Withdraw<span className="sr-only">&nbsp;{what}</span>
      </summary>
      <Form method="post" {...getFormProps(form)} className="mt-1 space-y-3 rounded-md bg-slate-50 p-3">
        <input type="hidden" name="intent" value={`withdraw-${kind}`} />
        <input type="hidden" name={fields.id.name} value={id} />
        <FormErrors id={form.errorId} errors={[...(form.errors ?? []), ...(fields.id.errors ?? [])]} />
        <TextField meta={fields.reason} label="Why it is withdrawn" hint="Kept in the history with your name." />
        <Button type="submit" variant="danger">
          Withdraw<span className="sr-only">&nbsp;{what}</span>
        </Button>
      </Form>
    </details>
  );
}

/** A form checked by the schema the server uses: as each field is left, then as it is corrected. */
export function useRecordForm<S extends z.ZodObject>(
  id: string,
  schema: S,
  lastResult: SubmissionResult<string[]> | undefined,
  defaultValue?: DefaultValue<z.input<S>>,
) {
  return useForm<z.input<S>, z.output<S>>({
    id,
    lastResult,
    constraint: getZodConstraint(schema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    defaultValue,
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
  });
}

/** Whether this page's form with that intent is being sent. */
export function useSending(intent: string) {
  const navigation = useNavigation();
  return navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
}
