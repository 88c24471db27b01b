import { getFormProps, type SubmissionResult } from "@conform-to/react";
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requirePermission } from "#app/auth/guards.server.ts";
import { Button, buttonClass } from "#app/components/button.tsx";
import { FormErrors, SelectField } from "#app/components/field.tsx";
import { Card, EmptyState, PageHeader } from "#app/components/layout.tsx";
import { useSchemaForm } from "#app/components/schema-form.ts";
import { currentLeaderYear, listLeaderYears } from "#app/compliance/roles.server.ts";
import { ROSTER_COLUMNS, RosterScopeSchema } from "#app/compliance/roster-import.ts";
import { commitRosterImport, previewRosterImport } from "#app/compliance/roster-import.server.ts";
import { ROSTER_ROW_LAYOUT } from "#app/compliance/roster-import-view.tsx";
import { academicYearLabel } from "#app/utils/dates.ts";
import { getDb } from "#app/db.server.ts";
import { importColumnsHelp, importUploadSchema, MAX_IMPORT_BYTES } from "#app/roster/import.ts";
import { ImportPreviewPage } from "#app/roster/import-preview-page.tsx";
import { importSubmission } from "#app/roster/import-upload.server.ts";
import { ImportColumnsHelp, ImportFileField } from "#app/roster/import-upload-view.tsx";
import { redirectWithFlash } from "#app/utils/flash.server.ts";
import { nounFor, plural } from "#app/utils/plural.ts";

export const meta: MetaFunction = () => [{ title: "Import the roster · NeverOK Training" }];

// The preview lists students' names and emails.
export const headers: HeadersFunction = () => ({ "Cache-Control": "no-store" });

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "manage:leaders");
  const db = getDb();
  const url = new URL(request.url);
  const [years, current] = await Promise.all([listLeaderYears(db), currentLeaderYear(db)]);
  const asked = Number(url.searchParams.get("year"));
  const selected = years.find((y) => y.startYear === asked)?.startYear ?? current?.startYear ?? years[0]?.startYear ?? null;
  return {
    years: years.map((y) => ({ value: String(y.startYear), label: `${y.label} (${plural(y.leaders, "leader")})` })),
    selected,
    imported: url.searchParams.get("imported") === "1" && selected !== null ? { startYear: selected, label: academicYearLabel(selected) } : null,
    maxBytes: MAX_IMPORT_BYTES,
    columns: importColumnsHelp(ROSTER_COLUMNS),
  };
}

/** ", 3 rows with errors left out (rows 6, 7, 8)", or nothing. */
function leftOut(rows: number[]): string {
  if (rows.length === 0) return "";
  const listed = rows.length > 10 ? `${rows.slice(0, 10).join(", ")}…` : rows.join(", ");
  return `, ${plural(rows.length, "row")} with errors left out (${nounFor(rows.length, "row")} ${listed})`;
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requirePermission(request, "manage:leaders");
  return importSubmission(request, {
    scope: RosterScopeSchema,
    preview: ({ startYear }, csv) => previewRosterImport(getDb(), startYear, csv),
    async commit({ startYear }, csv, { skipErrors }) {
      const result = await commitRosterImport(getDb(), actor, startYear, csv, { skipErrors });
      return redirectWithFlash(`/officer/roster/import?year=${startYear}&imported=1`, {
        kind: "success",
        message: `Imported the ${academicYearLabel(startYear)} roster: ${result.added} added, ${result.changed} changed, ${result.unchanged} unchanged${leftOut(result.skipped)}.`,
      });
    },
    changedNotice:
      "The roster has changed since this file was checked (someone may have imported or edited leaders). Here is what importing it would do now. Check it and confirm again.",
  });
}

const COLUMN_LABELS = Object.fromEntries(Object.entries(ROSTER_COLUMNS).map(([field, c]) => [field, c.label]));

export default function RosterImportPage() {
  const actionData = useActionData<typeof action>();
  if (actionData?.step !== "preview") return <UploadStep result={actionData?.step === "upload" ? actionData.result : undefined} />;
  const yearLabel = academicYearLabel(actionData.preview.startYear);
  return (
    <ImportPreviewPage
      key={actionData.fingerprint}
      step={actionData}
      title={`Check the import: ${yearLabel}`}
      words={{ person: "leader", list: "the roster", thisList: `the ${yearLabel} roster`, notInFileAdvice: "To end someone's role, do it from their page." }}
      layout={ROSTER_ROW_LAYOUT}
      columnLabels={COLUMN_LABELS}
      startOverHref="/officer/roster/import"
      templateHref="/officer/roster/template"
      submitLabel="Import the roster"
    />
  );
}

function UploadStep({ result }: { result: SubmissionResult<string[]> | undefined }) {
  const { years, selected, imported, maxBytes, columns } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const schema = importUploadSchema(RosterScopeSchema, maxBytes);
  const [form, fields] = useSchemaForm(schema, {
    id: "roster-upload",
    lastResult: result,
    shouldValidate: "onInput",
    defaultValue: { startYear: selected ? String(selected) : "" },
  });
  return (
    <>
      <PageHeader
        title="Import the roster"
        description="Upload the year's list of student leaders from a spreadsheet. You see what it would add and change, row by row, before anything is saved."
        actions={
          <a href="/officer/roster/template" download className={buttonClass("secondary")}>
            Download the template (CSV)
          </a>
        }
      />
      {imported ? (
        <Card className="mb-6">
          <p className="text-slate-900">
            The {imported.label} roster is saved.{" "}
            <Link to={`/officer/leaders?year=${imported.startYear}`} className="font-semibold">
              See who has done their training
            </Link>
          </p>
        </Card>
      ) : null}
      {years.length === 0 ? (
        <EmptyState>
          There is no academic year to import into yet.{" "}
          <Link to="/officer/roles" className="underline">
            Set up the year and its deadline
          </Link>{" "}
          first.
        </EmptyState>
      ) : (
        <div className="grid gap-6 lg:grid-cols-5">
          <Card title="Choose the file" className="lg:col-span-3">
            <Form method="post" encType="multipart/form-data" {...getFormProps(form)} className="space-y-5">
              <input type="hidden" name="intent" value="preview" />
              <FormErrors id={form.errorId} errors={form.errors} />
              <SelectField meta={fields.startYear} label="Academic year" options={years} hint="The roster is for one academic year (1 August to 31 July)." />
              <ImportFileField meta={fields.file} label="Roster file (CSV)" maxBytes={maxBytes} />
              <Button type="submit" pending={navigation.state === "submitting"}>
                Check the file
              </Button>
              <p className="text-sm text-slate-700">
                Checking saves nothing. Importing adds and updates leaders; it never ends anyone's role. To add one leader, use{" "}
                <Link to="/officer/leaders/new" className="underline">
                  Add a leader
                </Link>
                .
              </p>
            </Form>
          </Card>
          <ImportColumnsHelp columns={columns} className="lg:col-span-2" />
        </div>
      )}
    </>
  );
}
