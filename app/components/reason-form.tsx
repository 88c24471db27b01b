import { getFormProps, type FieldMetadata, type FormMetadata } from "@conform-to/react";
import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import { Button } from "./button.tsx";
import { FormErrors, TextareaField } from "./field.tsx";
import { Card } from "./layout.tsx";

/**
 * A step that cannot be undone (declining, cancelling) and is explained to the people it affects:
 * the reason, then one red button.
 */
export function ReasonForm<Schema extends Record<string, unknown>>({
  title,
  form,
  reason,
  intent,
  label,
  hint,
  submitLabel,
  pending,
}: {
  title: string;
  form: FormMetadata<Schema>;
  reason: FieldMetadata<string | undefined>;
  /** Which of the page's actions this is. */
  intent: string;
  label: string;
  hint?: ReactNode;
  submitLabel: string;
  pending?: boolean;
}) {
  return (
    <Card title={title}>
      <Form method="post" {...getFormProps(form)} className="space-y-4">
        <FormErrors id={form.errorId} errors={form.errors} />
        <input type="hidden" name="intent" value={intent} />
        <TextareaField meta={reason} label={label} hint={hint} rows={3} />
        <Button type="submit" variant="danger" pending={pending}>
          {submitLabel}
        </Button>
      </Form>
    </Card>
  );
}
