import { getFormProps, type SubmissionResult } from "@conform-to/react";
import { Form, useNavigation } from "@remix-run/react";
import { Button } from "#app/components/button.tsx";
import { FormErrors, TextField } from "#app/components/field.tsx";
import { useSchemaForm } from "#app/components/schema-form.ts";
import { LeaderLinkRequestSchema } from "./schemas.ts";

export const LEADER_ACCESS_PATH = "/leaders/access";

/** A leader asks for a link to their own training record; used on the request page and on an expired link. */
export function LeaderLinkForm({ lastResult, submitLabel = "Email me a link" }: { lastResult?: SubmissionResult<string[]>; submitLabel?: string }) {
  const navigation = useNavigation();
  const [form, fields] = useSchemaForm(LeaderLinkRequestSchema, {
    id: "leader-link",
    lastResult,
    shouldValidate: "onSubmit",
  });
  return (
    <Form method="post" action={LEADER_ACCESS_PATH} {...getFormProps(form)} className="space-y-5">
      <FormErrors id={form.errorId} errors={form.errors} />
      <TextField
        meta={fields.email}
        label="Your email address"
        type="email"
        autoComplete="email"
        hint="The address the Students' Union has for you as a leader, usually your university email."
      />
      <Button type="submit" className="w-full sm:w-auto" pending={navigation.state === "submitting"}>
        {submitLabel}
      </Button>
    </Form>
  );
}
