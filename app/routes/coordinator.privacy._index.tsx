import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requirePermission, requireRecentSecondFactor } from "#app/auth/guards.server.ts";
import { Button, ButtonLink, buttonClass } from "#app/components/button.tsx";
import { FieldErrors, FormErrors, TextField } from "#app/components/field.tsx";
import { Card, EmptyState, PageHeader } from "#app/components/layout.tsx";
import { getDb } from "#app/db.server.ts";
import { describeErasure, erasePerson } from "#app/privacy/erase.server.ts";
import { FEEDBACK_NOTE, findPersonData } from "#app/privacy/person-data.server.ts";
import { PersonDataView } from "#app/privacy/person-data-view.tsx";
import { EraseSchema, PersonSearchSchema } from "#app/privacy/schemas.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { redirectWithFlash } from "#app/utils/flash.server.ts";
import { invalid, replyWithError } from "#app/utils/forms.server.ts";
import { readFormData } from "#app/utils/request-body.server.ts";

export const meta: MetaFunction = () => [{ title: "Personal data · NeverOK Training" }];

// What is shown here is personal, sometimes sensitive: never kept by a browser or a proxy.
export const headers: HeadersFunction = () => ({ "Cache-Control": "no-store" });

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "manage:privacy");
  await requireRecentSecondFactor(request);
  const typed = new URL(request.url).searchParams.get("email")?.trim() ?? "";
  if (!typed) return { query: "", error: null, data: null, feedbackNote: FEEDBACK_NOTE };
  const parsed = PersonSearchSchema.safeParse({ email: typed });
  if (!parsed.success) return { query: typed, error: parsed.error.issues[0]?.message ?? "Enter an email address", data: null, feedbackNote: FEEDBACK_NOTE };
  return { query: parsed.data.email, error: null, data: await findPersonData(getDb(), parsed.data.email), feedbackNote: FEEDBACK_NOTE };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requirePermission(request, "manage:privacy");
  await requireRecentSecondFactor(request);
  const submission = parseWithZod(await readFormData(request), { schema: EraseSchema });
  if (submission.status !== "success") return invalid(submission);
  try {
    const report = await erasePerson(getDb(), actor, submission.value.email, submission.value.confirmEmail);
    return redirectWithFlash("/coordinator/privacy", {
      kind: "success",
      message: `Erased ${describeErasure(report)}. Nothing that identifies them is left under that address; the audit log records that an erasure happened, not whose.`,
    });
  } catch (err) {
    if (err instanceof RuleViolation) return replyWithError(submission, err.field, err.message);
    throw err;
  }
}

export default function PrivacyPage() {
  const { query, error, data, feedbackNote } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title="Personal data"
        description="Find everything held about one person by their email address, download it for them, or erase it. Retention periods remove old data by themselves."
        actions={
          <ButtonLink to="/coordinator/retention" variant="secondary">
            Retention periods
          </ButtonLink>
        }
      />
      <div className="space-y-6">
        <Card>
          <Form method="get" className="flex flex-col gap-3 sm:flex-row sm:items-end" role="search" aria-label="Find a person's data">
            <div className="flex-1">
              <label htmlFor="privacy-email" className="block text-sm font-semibold text-slate-900">
                Email address
              </label>
              <p id="privacy-email-hint" className="mt-1 text-sm text-slate-600">
                The address they signed up, were invited or were emailed with. Any letter case.
              </p>
              <input
                id="privacy-email"
                name="email"
                type="email"
                autoComplete="off"
                inputMode="email"
                defaultValue={query}
                key={query}
                required
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? "privacy-email-hint privacy-email-error" : "privacy-email-hint"}
                className="mt-1.5 block w-full rounded-md border-0 bg-white px-3 py-2.5 text-base text-slate-900 shadow-sm ring-1 ring-inset ring-slate-400 focus:ring-2 focus:ring-inset focus:ring-brand-700 aria-[invalid=true]:ring-2 aria-[invalid=true]:ring-red-700 sm:text-sm"
              />
              <FieldErrors id="privacy-email-error" errors={error ? [error] : undefined} />
            </div>
            <Button type="submit" className="sm:mb-0">
              Find
            </Button>
          </Form>
        </Card>

        {data ? (
          <>
            <div className="flex flex-col gap-3 sm:flex-row sm:items-center sm:justify-between">
              <h2 className="text-xl font-bold text-slate-900">
                What is held about <span className="break-all">{data.email}</span>
              </h2>
              {data.nothingHeld ? null : (
                <a href={`/coordinator/privacy/export?${new URLSearchParams({ email: data.email })}`} download className={buttonClass("secondary")}>
                  Download as JSON
                </a>
              )}
            </div>
            {data.nothingHeld ? (
              <EmptyState>Nothing is held about this address: no account, registration, leader record, email or audit entry.</EmptyState>
            ) : (
              <>
                <PersonDataView data={data} feedbackNote={feedbackNote} />
                <EraseCard email={data.email} />
              </>
            )}
          </>
        ) : null}
      </div>
    </>
  );
}

function EraseCard({ email }: { email: string }) {
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "erase-person",
    lastResult,
    constraint: getZodConstraint(EraseSchema),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    defaultValue: { email, confirmEmail: "" },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: EraseSchema }),
  });
  return (
    <section aria-labelledby="erase-title" className="rounded-lg bg-white p-5 shadow-sm ring-2 ring-red-200">
      <h2 id="erase-title" className="text-lg font-semibold text-red-900">
        Erase this person's data
      </h2>
      <div className="mt-2 max-w-3xl space-y-2 text-sm text-slate-800">
        <p>This cannot be undone. In one step:</p>
        <ul className="list-disc space-y-1 pl-5">
          <li>their name, email address and student ID are replaced everywhere, and their accessibility needs and answers are removed;</li>
          <li>emails to them are emptied and any not yet sent are stopped; their links stop working; an account is signed out and deactivated;</li>
          <li>mentions of their name or address in notes, other people's emails and the audit log are replaced.</li>
        </ul>
        <p>
          Their registrations, attendance and leader roles stay, without anything that identifies them, so the impact report and
          leader compliance figures do not change. Feedback answers are not touched: they were never linked to anyone.
        </p>
      </div>
      <Form method="post" {...getFormProps(form)} className="mt-4 max-w-xl space-y-4">
        <FormErrors id={form.errorId} errors={form.errors} />
        <input {...getInputProps(fields.email, { type: "hidden" })} key={fields.email.key} />
        <TextField meta={fields.confirmEmail} label={`Type ${email} to confirm`} type="email" autoComplete="off" inputMode="email" />
        <Button type="submit" variant="danger" pending={navigation.state === "submitting"}>
          Erase this person's data
        </Button>
      </Form>
    </section>
  );
}
