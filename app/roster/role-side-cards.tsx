import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { Form } from "@remix-run/react";
import type { z } from "zod";
import { Button } from "#app/components/button.tsx";
import { FormErrors, TextareaField, TextField } from "#app/components/field.tsx";
import { Card } from "#app/components/layout.tsx";

/** Beside a role's requirements, on any roster's role page: what it requires now, and its name and description. */

type RoleNameSchema = z.ZodObject<{ name: z.ZodType<string, string>; description: z.ZodType<string | null, string | undefined> }>;

export function RoleSideCards<R extends { courseId: number; courseName: string }>({
  role,
  describe,
  schema,
  lastResult,
  pending,
}: {
  role: { id: number; name: string; description: string | null; requirements: readonly R[] };
  /** How long a requirement counts, in words. */
  describe: (r: R) => string;
  schema: RoleNameSchema;
  lastResult: SubmissionResult<string[]> | undefined;
  pending: boolean;
}) {
  const [form, fields] = useForm({
    id: `role-${role.id}-rename`,
    lastResult,
    constraint: getZodConstraint(schema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    defaultValue: { name: role.name, description: role.description ?? "" },
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
  });
  return (
    <>
      <section aria-labelledby="requires-now" className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
        <h2 id="requires-now" className="mb-3 text-lg font-semibold text-slate-900">
          What it requires now
        </h2>
        {role.requirements.length ? (
          <ul className="space-y-1 text-sm">
            {role.requirements.map((r) => (
              <li key={r.courseId}>
                <span className="font-medium text-slate-900">{r.courseName}</span> <span className="text-slate-700">({describe(r)})</span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-slate-700">Requires no training.</p>
        )}
      </section>
      <Card title="Name and description">
        <Form method="post" {...getFormProps(form)} className="space-y-4">
          <input type="hidden" name="intent" value="rename" />
          <FormErrors id={form.errorId} errors={form.errors} />
          <TextField meta={fields.name} label="Name" hint="The import matches the Role column against this name." />
          <TextareaField meta={fields.description} label="What the role is" optional rows={3} />
          <Button type="submit" variant="secondary" pending={pending}>
            Save name
          </Button>
        </Form>
      </Card>
    </>
  );
}
