import { getFormProps, type Submission } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { requirePermission } from "#app/auth/guards.server.ts";
import { Button, SubmitOrCancel } from "#app/components/button.tsx";
import { CheckboxField, FormErrors, TextareaField, TextField } from "#app/components/field.tsx";
import { Card, PageHeader } from "#app/components/layout.tsx";
import { useSchemaForm } from "#app/components/schema-form.ts";
import { getDb } from "#app/db.server.ts";
import { SupportServiceSchema, type SupportServiceInput } from "#app/support/schemas.ts";
import { getSupportService, removeSupportService, saveSupportService } from "#app/support/support.server.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { redirectWithFlash } from "#app/utils/flash.server.ts";
import { findByParam, invalid, replyWithError } from "#app/utils/forms.server.ts";
import { readFormData } from "#app/utils/request-body.server.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.service?.name ?? "New support service"} · NeverOK Training` }];

const LIST = "/coordinator/support";

/** "new" for a blank form, or a service in the directory: anything else is a 404. */
async function serviceFromAddress(param: string | undefined) {
  if (param === "new") return null;
  return findByParam(param, (id) => getSupportService(getDb(), id), "That service is not in the support directory.");
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "manage:reference-data");
  return { service: await serviceFromAddress(params.serviceId) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requirePermission(request, "manage:reference-data");
  const formData = await readFormData(request);
  const service = await serviceFromAddress(params.serviceId);
  const intent = formData.get("intent");
  if (service && intent === "remove") {
    try {
      await removeSupportService(getDb(), actor, service.id);
    } catch (err) {
      if (err instanceof RuleViolation) return redirectWithFlash(LIST, { kind: "error", message: err.message });
      throw err;
    }
    return redirectWithFlash(LIST, { kind: "success", message: `Removed ${service.name} from the support directory.` });
  }
  if (intent !== null) throw data({ message: "We did not understand what you asked for." }, { status: 400 });
  const submission = parseWithZod(formData, { schema: SupportServiceSchema }) as Submission<SupportServiceInput>;
  if (submission.status !== "success") return invalid(submission);
  try {
    await saveSupportService(getDb(), actor, service?.id ?? null, submission.value);
  } catch (err) {
    if (err instanceof RuleViolation) return replyWithError(submission, err.field, err.message);
    throw err;
  }
  return redirectWithFlash(LIST, { kind: "success", message: `Saved ${submission.value.name}: it shows on every page with the support directory.` });
}

export default function SupportServicePage() {
  const { service } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useSchemaForm(SupportServiceSchema, {
    id: `support-service-${service?.id ?? "new"}`,
    lastResult,
    defaultValue: service
      ? { name: service.name, purpose: service.purpose, url: service.url ?? "", phone: service.phone ?? "", hours: service.hours ?? "", urgent: service.urgent }
      : undefined,
  });
  return (
    <>
      <PageHeader
        title={service ? service.name : "Add a support service"}
        description="People reach it in one tap: its web address opens in a new tab, its phone number dials."
        actions={
          service ? (
            <Form method="post">
              <Button type="submit" name="intent" value="remove" variant="danger">
                Remove from the directory
              </Button>
            </Form>
          ) : null
        }
      />
      <Card className="max-w-3xl">
        <Form method="post" {...getFormProps(form)} className="space-y-5">
          <FormErrors id={form.errorId} errors={form.errors} />
          <TextField meta={fields.name} label="Name of the service" hint="As people know it, for example Report + Support." />
          <TextareaField meta={fields.purpose} label="What it is for" rows={3} hint="A sentence or two: who it helps and how." />
          <fieldset className="space-y-3">
            <legend className="text-sm font-semibold text-slate-900">How people reach it</legend>
            <p className="text-sm text-slate-600">A web address, a phone number or both. The number is shown as you type it.</p>
            <div className="grid gap-5 sm:grid-cols-2">
              <TextField meta={fields.url} label="Web address" optional type="url" placeholder="https://" hint="Starting with https://" />
              <TextField meta={fields.phone} label="Phone number" optional type="tel" hint="For example 020 7946 0000" />
            </div>
          </fieldset>
          <TextField meta={fields.hours} label="Hours" optional hint="For example: 24 hours, or Mon–Fri 9:00–17:00." />
          <CheckboxField
            meta={fields.urgent}
            label="Urgent: for someone in danger now"
            hint="Urgent services (999, 101) are listed first everywhere and marked Urgent."
          />
          <SubmitOrCancel cancelTo={LIST}>{service ? "Save changes" : "Add service"}</SubmitOrCancel>
        </Form>
      </Card>
    </>
  );
}
