import { getFormProps, getInputProps, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requirePermission, requireRecentSecondFactor } from "#app/auth/guards.server.ts";
import { Button, ButtonLink, buttonClass } from "#app/components/button.tsx";
import { FieldErrors, FormErrors, TextField } from "#app/components/field.tsx";
import { Card, EmptyState, PageHeader } from "#app/components/layout.tsx";
import { useSchemaForm } from "#app/components/schema-form.ts";
import { getDb } from "#app/db.server.ts";
import { describeErasure, erasePerson } from "#app/privacy/erase.server.ts";
import { FEEDBACK_NOTE, findPersonData } from "#app/privacy/person-data.server.ts";
import { PersonDataView } from "#app/privacy/person-data-view.tsx";
import { EraseSchema, PersonSearchSchema } from "#app/privacy/schemas.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { redirectWithFlash } from "#app/utils/flash.server.ts";
import { readFormData } from "#app/utils/request-body.server.ts";

export const meta: MetaFunction = () => [{ title: "Personal data · NeverOK Training" }];

// What is shown here is personal, sometimes sensitive: never kept by a browser or a proxy.
export const headers: HeadersFunction = () => ({ "Cache-Control": "no-store" });

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "manage:privacy");
  await requireRecentSecondFactor(request);
  return { feedbackNote: FEEDBACK_NOTE };
}

/**
 * The search is a POST, like the erasure: the address searched for never appears in an address bar,
 * the browser's history, a Referer header or the server's access log.
 */
export async function action({ request }: ActionFunctionArgs) {
  const actor = await requirePermission(request, "manage:privacy");
  await requireRecentSecondFactor(request);
  const formData = await readFormData(request);
  const db = getDb();
  if (formData.get("intent") === "find") {
    const typed = String(formData.get("email") ?? "").trim();
    const parsed = PersonSearchSchema.safeParse({ email: typed });
    if (!parsed.success)
      return data({ query: typed, error: parsed.error.issues[0]?.message ?? "Enter an email address", data: null, erase: null }, { status: 400 });
    return { query: parsed.data.email, error: null, data: await findPersonData(db, parsed.data.email), erase: null };
  }
  const submission = parseWithZod(formData, { schema: EraseSchema });
  // A refused erasure shows the same person again, with the refusal beside the field.
  const again = async (status: number, erase: SubmissionResult<string[]>) => {
    const email = PersonSearchSchema.safeParse({ email: formData.get("email") });
    return data(
      { query: email.success ? email.data.email : "", error: null, data: email.success ? await findPersonData(db, email.data.email) : null, erase },
      { status },
    );
  };
  if (submission.status !== "success") return again(400, submission.reply());
  try {
    const report = await erasePerson(db, actor, submission.value.email, submission.value.confirmEmail);
    return redirectWithFlash("/coordinator/privacy", {
      kind: "success",
      message: `Erased ${describeErasure(report)}. Nothing that identifies them is left under that address; the audit log records that an erasure happened, not whose.`,
    });
  } catch (err) {
    if (err instanceof RuleViolation) {
      const field = err.field === "confirmEmail" ? "confirmEmail" : "";
      return again(400, submission.reply(field ? { fieldErrors: { [field]: [err.message] } } : { formErrors: [err.message] }));
    }
    throw err;
  }
}

export default function PrivacyPage() {
  const { feedbackNote } = useLoaderData<typeof loader>();
  const found = useActionData<typeof action>();
  const query = found?.query ?? "";
  const error = found?.error ?? null;
  const held = found?.data ?? null;
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
          <Form method="post" className="flex flex-col gap-3 sm:flex-row sm:items-end" role="search" aria-label="Find a person's data">
            <input type="hidden" name="intent" value="find" />
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

        {held ? (
          <>
            <div className="flex flex-col gap-3 sm:flex-row sm:items-center sm:justify-between">
              <h2 className="text-xl font-bold text-slate-900">
                What is held about <span className="break-all">{held.email}</span>
              </h2>
              {held.nothingHeld ? null : (
                <Form method="post" action="/coordinator/privacy/export" reloadDocument>
                  <input type="hidden" name="email" value={held.email} />
                  <button type="submit" className={buttonClass("secondary")}>
                    Download as JSON
                  </button>
                </Form>
              )}
            </div>
            {held.nothingHeld ? (
              <EmptyState>Nothing is held about this address: no account, registration, leader record, email or audit entry.</EmptyState>
            ) : (
              <>
                <PersonDataView data={held} feedbackNote={feedbackNote} />
                <EraseCard email={held.email} lastResult={found?.erase ?? undefined} />
              </>
            )}
          </>
        ) : null}
      </div>
    </>
  );
}

function EraseCard({ email, lastResult }: { email: string; lastResult: SubmissionResult<string[]> | undefined }) {
  const navigation = useNavigation();
  const [form, fields] = useSchemaForm(EraseSchema, {
    id: "erase-person",
    lastResult,
    shouldValidate: "onSubmit",
    defaultValue: { email, confirmEmail: "" },
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
          Their registrations, attendance and leader roles stay, without anything that identifies them, so the impact report and leader compliance figures do
          not change. Feedback answers are not touched: they were never linked to anyone.
        </p>
      </div>
      <Form method="post" {...getFormProps(form)} className="mt-4 max-w-xl space-y-4">
        <FormErrors id={form.errorId} errors={form.errors} />
        <input {...getInputProps(fields.email, { type: "hidden" })} key={fields.email.key} />
        <TextField meta={fields.confirmEmail} label={`Type ${email} to confirm`} type="email" autoComplete="off" inputMode="email" />
        <input type="hidden" name="intent" value="erase" />
        <Button type="submit" variant="danger" pending={navigation.state === "submitting" && navigation.formData?.get("intent") === "erase"}>
          Erase this person's data
        </Button>
      </Form>
    </section>
  );
}
