import { getFormProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { requirePermission } from "#app/auth/guards.server.ts";
import { SubmitOrCancel } from "#app/components/button.tsx";
import { FormErrors, TextField } from "#app/components/field.tsx";
import { Card, PageHeader } from "#app/components/layout.tsx";
import { useSchemaForm } from "#app/components/schema-form.ts";
import { getDb } from "#app/db.server.ts";
import { listCourses, listOrganisations } from "#app/reference/reference.server.ts";
import { PersonAccessFields } from "#app/users/person-fields.tsx";
import { InviteSchema } from "#app/users/schemas.ts";
import { inviteUser, UserInputError } from "#app/users/users.server.ts";
import { redirectWithFlash } from "#app/utils/flash.server.ts";
import { invalid, replyWithError } from "#app/utils/forms.server.ts";
import { readFormData } from "#app/utils/request-body.server.ts";

export const meta: MetaFunction = () => [{ title: "Invite someone · NeverOK Training" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "manage:users");
  const db = getDb();
  const [organisations, courses] = await Promise.all([listOrganisations(db), listCourses(db)]);
  return {
    organisations: organisations.map((o) => ({ id: o.id, name: o.name })),
    courses: courses.map((c) => ({ id: c.id, name: c.name })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requirePermission(request, "manage:users");
  const submission = parseWithZod(await readFormData(request), { schema: InviteSchema });
  if (submission.status !== "success") return invalid(submission);
  try {
    await inviteUser(getDb(), actor, submission.value);
  } catch (err) {
    if (err instanceof UserInputError) return replyWithError(submission, err.field, err.message);
    throw err;
  }
  return redirectWithFlash("/coordinator/people", {
    kind: "success",
    message: `${submission.value.name} has been invited. The invitation is in the outbox.`,
  });
}

export default function InvitePage() {
  const { organisations, courses } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useSchemaForm(InviteSchema, {
    id: "invite",
    lastResult,
  });
  return (
    <>
      <PageHeader title="Invite someone" description="They get an email with a link to choose a password. The link works once, for 7 days." />
      <Card className="max-w-3xl">
        <Form method="post" {...getFormProps(form)} className="space-y-6">
          <FormErrors id={form.errorId} errors={form.errors} />
          <div className="grid gap-5 sm:grid-cols-2">
            <TextField meta={fields.name} label="Full name" autoComplete="off" />
            <TextField meta={fields.email} label="Email address" type="email" autoComplete="off" />
          </div>
          <PersonAccessFields
            roles={fields.roles}
            organisationIds={fields.organisationIds}
            qualificationCourseIds={fields.qualificationCourseIds}
            organisations={organisations}
            courses={courses}
          />
          <SubmitOrCancel cancelTo="/coordinator/people">Send invitation</SubmitOrCancel>
        </Form>
      </Card>
    </>
  );
}
