import { plural } from "#app/utils/plural.ts";
import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { notFound, requireRole } from "#app/auth/guards.server.ts";
import { Button, buttonClass } from "#app/components/button.tsx";
import { FormErrors } from "#app/components/field.tsx";
import { Card, PageHeader } from "#app/components/layout.tsx";
import { getDb } from "#app/db.server.ts";
import { importColumnsHelp, importUploadSchema, MAX_IMPORT_BYTES } from "#app/roster/import.ts";
import { ImportPreviewPage } from "#app/roster/import-preview-page.tsx";
import { importSubmission } from "#app/roster/import-upload.server.ts";
import { ImportColumnsHelp, ImportFileField } from "#app/roster/import-upload-view.tsx";
import { redirectWithFlash } from "#app/utils/flash.server.ts";
import { parseId } from "#app/utils/forms.server.ts";
import { venueFor } from "#app/venues/access.server.ts";
import { STAFF_COLUMNS, StaffScopeSchema } from "#app/venues/staff-import.ts";
import { commitStaffImport, previewStaffImport } from "#app/venues/staff-import.server.ts";
import { STAFF_ROW_LAYOUT } from "#app/venues/staff-import-view.tsx";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Import the staff list: ${data?.venue.name ?? ""} · NeverOK Training` }];

// The preview lists staff members' names and emails.
export const headers: HeadersFunction = () => ({ "Cache-Control": "no-store" });

const VENUE_ROLES = ["coordinator", "booker"] as const;
const NOT_FOUND = "We could not find that venue or staff team.";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireRole(request, VENUE_ROLES);
  const organisationId = parseId(params.organisationId);
  const venue = organisationId ? await venueFor(getDb(), actor, organisationId) : null;
  if (!venue) throw notFound(NOT_FOUND);
  return { venue, maxBytes: MAX_IMPORT_BYTES, columns: importColumnsHelp(STAFF_COLUMNS) };
}

const leftOut = (rows: number[]) => (rows.length ? `, ${plural(rows.length, "row")} with errors left out` : "");

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireRole(request, VENUE_ROLES);
  const organisationId = parseId(params.organisationId);
  if (!organisationId || !(await venueFor(getDb(), actor, organisationId))) throw notFound(NOT_FOUND);
  return importSubmission(request, {
    scope: StaffScopeSchema,
    preview: (_scope, csv) => previewStaffImport(getDb(), actor, organisationId, csv),
    async commit(_scope, csv, { skipErrors }) {
      const result = await commitStaffImport(getDb(), actor, organisationId, csv, { skipErrors });
      return redirectWithFlash(`/venues/${organisationId}`, {
        kind: "success",
        message: `Imported the staff list: ${result.added} added, ${result.changed} changed, ${result.unchanged} unchanged${leftOut(result.skipped)}.`,
      });
    },
    changedNotice:
      "The staff list has changed since this file was checked (someone may have imported or edited it). Here is what importing it would do now. Check it and confirm again.",
  });
}

const COLUMN_LABELS = Object.fromEntries(Object.entries(STAFF_COLUMNS).map(([field, c]) => [field, c.label]));

export default function StaffImportPage() {
  const { venue } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  if (actionData?.step !== "preview") return <UploadStep result={actionData?.step === "upload" ? actionData.result : undefined} />;
  return (
    <ImportPreviewPage
      key={actionData.fingerprint}
      step={actionData}
      title={`Check the import: ${venue.name}`}
      words={{
        person: "person",
        list: "the staff list",
        thisList: `the staff list of ${venue.name}`,
        notInFileAdvice: "To take someone off the list, record that they left on their page.",
      }}
      layout={STAFF_ROW_LAYOUT}
      columnLabels={COLUMN_LABELS}
      startOverHref={`/venues/${venue.id}/import`}
      templateHref="/venues/template"
      submitLabel="Import the staff list"
    />
  );
}

function UploadStep({ result }: { result: SubmissionResult<string[]> | undefined }) {
  const { venue, maxBytes, columns } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const schema = importUploadSchema(StaffScopeSchema, maxBytes);
  const [form, fields] = useForm({
    id: "staff-upload",
    lastResult: result,
    constraint: getZodConstraint(schema),
    shouldValidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
  });
  return (
    <>
      <p className="mb-3 text-sm">
        <Link to={`/venues/${venue.id}`}>← {venue.name}</Link>
      </p>
      <PageHeader
        title="Import the staff list"
        description={`Upload the staff list of ${venue.name} from a spreadsheet, contracted staff included. You see what it would add and change, row by row, before anything is saved.`}
        actions={
          <a href="/venues/template" download className={buttonClass("secondary")}>
            Download the template (CSV)
          </a>
        }
      />
      <div className="grid gap-6 lg:grid-cols-5">
        <Card title="Choose the file" className="lg:col-span-3">
          <Form method="post" encType="multipart/form-data" {...getFormProps(form)} className="space-y-5">
            <input type="hidden" name="intent" value="preview" />
            <FormErrors id={form.errorId} errors={form.errors} />
            <ImportFileField meta={fields.file} label="Staff list (CSV)" maxBytes={maxBytes} />
            <Button type="submit" pending={navigation.state === "submitting"}>
              Check the file
            </Button>
            <p className="text-sm text-slate-700">Checking saves nothing. Importing adds and updates people; it never takes anyone off the list.</p>
          </Form>
        </Card>
        <ImportColumnsHelp columns={columns} className="lg:col-span-2" />
      </div>
    </>
  );
}
