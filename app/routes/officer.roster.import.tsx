import { getFormProps, getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { z } from "zod";
import { requirePermission } from "#app/auth/guards.server.ts";
import { Button, ButtonLink, buttonClass } from "#app/components/button.tsx";
import { FieldErrors, FormErrors, SelectField } from "#app/components/field.tsx";
import { Card, EmptyState, PageHeader } from "#app/components/layout.tsx";
import { ROSTER_FIELD_LABELS, RosterColumns, RosterPreviewRows, RosterPreviewSummary } from "#app/roster/import-preview-view.tsx";
import { currentLeaderYear, listLeaderYears } from "#app/compliance/roles.server.ts";
import {
  commitRosterImport,
  HEADER_ALIASES,
  MAX_ROSTER_BYTES,
  previewRosterImport,
  type RosterField,
  type RosterPreview,
} from "#app/compliance/roster-import.server.ts";
import { decodeRosterFile, isUploadedFile, previewFingerprint, readRosterForm, tooLargeMessage } from "#app/roster/import-upload.server.ts";
import { academicYearLabel } from "#app/compliance/rules.ts";
import { StartYearSchema } from "#app/compliance/schemas.ts";
import { getDb } from "#app/db.server.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { redirectWithFlash } from "#app/utils/flash.server.ts";
import { useHydrated } from "#app/utils/use-hydrated.ts";

export const meta: MetaFunction = () => [{ title: "Import the roster · NeverOK Training" }];

// The preview lists students' names and emails.
export const headers: HeadersFunction = () => ({ "Cache-Control": "no-store" });

/** The upload form, checked the same way in the browser (with the limit from the loader) and on the server. */
const uploadSchema = (maxBytes: number) =>
  z.object({
    intent: z.literal("preview"),
    startYear: StartYearSchema,
    file: z
      .custom<Blob & { name?: string }>((v) => typeof v === "object" && v !== null && typeof (v as Blob).size === "number", {
        error: "Choose the CSV file to import",
      })
      .refine((f) => f.size > 0, { error: "The file is empty" })
      .refine((f) => f.size <= maxBytes, { error: `The file is larger than ${maxBytes / 1024 / 1024} MB. Split it into smaller files and import each.` }),
  });

const REQUIRED_NOTE: Partial<Record<RosterField, string>> = {
  email: "required",
  role: "required; the role's name as on the Roles page",
  name: "required, or First name and Last name",
  president: "yes or no; empty is no",
  startedOn: "2026-09-01 or 01/09/2026; empty is the day of the import",
  studentId: "optional; an empty cell keeps the one already known",
  group: "the club, society, hall or programme; linked to the organisation of the same name",
};

/** The headings as a person would write them: "E-mail", not the "e mail" they are compared as. */
const HEADING_SPELLING: Record<string, string> = {
  "e mail": "E-mail",
  "e mail address": "E-mail address",
  "club society": "Club/Society",
  "president chair": "President/Chair",
};
function headingsToShow(aliases: readonly string[]): string[] {
  // "firstname" is "first name" without its space, not worth a line; "email" and "e mail" (E-mail) are both shown.
  const squashed = new Set(aliases.filter((a) => a.includes(" ") && !HEADING_SPELLING[a]).map((a) => a.replace(/ /g, "")));
  return aliases
    .filter((a) => a.includes(" ") || !squashed.has(a))
    .map((a) => HEADING_SPELLING[a] ?? (a.charAt(0).toUpperCase() + a.slice(1)).replace(/\bid\b/gi, "ID"));
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "manage:leaders");
  const db = getDb();
  const url = new URL(request.url);
  const [years, current] = await Promise.all([listLeaderYears(db), currentLeaderYear(db)]);
  const asked = Number(url.searchParams.get("year"));
  const selected = years.find((y) => y.startYear === asked)?.startYear ?? current?.startYear ?? years[0]?.startYear ?? null;
  return {
    years: years.map((y) => ({ value: String(y.startYear), label: `${y.label} (${y.leaders} ${y.leaders === 1 ? "leader" : "leaders"})` })),
    selected,
    imported: url.searchParams.get("imported") === "1" && selected !== null ? { startYear: selected, label: academicYearLabel(selected) } : null,
    maxBytes: MAX_ROSTER_BYTES,
    columns: (Object.keys(HEADER_ALIASES) as RosterField[]).map((field) => ({
      field,
      label: ROSTER_FIELD_LABELS[field],
      headings: headingsToShow(HEADER_ALIASES[field]),
      note: REQUIRED_NOTE[field] ?? null,
    })),
  };
}

async function showPreview(
  startYear: number,
  csv: string,
  fileName: string,
  extra: { notice?: string; confirmError?: string; preview?: RosterPreview } = {},
  status = 200,
) {
  const preview = extra.preview ?? (await previewRosterImport(getDb(), startYear, csv));
  return data(
    {
      step: "preview" as const,
      preview,
      yearLabel: academicYearLabel(startYear),
      csv,
      fileName,
      fingerprint: previewFingerprint(preview),
      notice: extra.notice ?? null,
      confirmError: extra.confirmError ?? null,
    },
    { status },
  );
}

/** ", 3 rows with errors left out (rows 6, 7, 8)", or nothing. */
function leftOut(rows: number[]): string {
  if (rows.length === 0) return "";
  const listed = rows.length > 10 ? `${rows.slice(0, 10).join(", ")}…` : rows.join(", ");
  return `, ${rows.length} ${rows.length === 1 ? "row" : "rows"} with errors left out (${rows.length === 1 ? "row" : "rows"} ${listed})`;
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requirePermission(request, "manage:leaders");
  const formData = await readRosterForm(request);
  const schema = uploadSchema(MAX_ROSTER_BYTES);
  if (!formData) {
    const submission = parseWithZod(new FormData(), { schema });
    return data({ step: "upload" as const, result: submission.reply({ fieldErrors: { file: [tooLargeMessage()] } }) }, { status: 413 });
  }

  if (formData.get("intent") === "confirm") {
    const startYear = StartYearSchema.safeParse(formData.get("startYear"));
    const csv = formData.get("csv");
    if (!startYear.success || typeof csv !== "string") throw data({ message: "Choose the file again." }, { status: 400 });
    const fileName = String(formData.get("fileName") ?? "roster.csv");
    const preview = await previewRosterImport(getDb(), startYear.data, csv);
    if (previewFingerprint(preview) !== formData.get("fingerprint")) {
      return showPreview(
        startYear.data,
        csv,
        fileName,
        {
          notice:
            "The roster has changed since this file was checked (someone may have imported or edited leaders). Here is what importing it would do now. Check it and confirm again.",
          preview,
        },
        409,
      );
    }
    const skipErrors = formData.get("skipErrors") === "on";
    try {
      const result = await commitRosterImport(getDb(), actor, startYear.data, csv, { skipErrors });
      return redirectWithFlash(`/officer/roster/import?year=${startYear.data}&imported=1`, {
        kind: "success",
        message: `Imported the ${academicYearLabel(startYear.data)} roster: ${result.added} added, ${result.changed} changed, ${result.unchanged} unchanged${leftOut(result.skipped)}.`,
      });
    } catch (err) {
      if (err instanceof RuleViolation) return showPreview(startYear.data, csv, fileName, { confirmError: err.message }, 400);
      throw err;
    }
  }

  const submission = parseWithZod(formData, { schema });
  if (submission.status !== "success") return data({ step: "upload" as const, result: submission.reply() }, { status: 400 });
  const { startYear, file } = submission.value;
  let csv: string;
  try {
    csv = decodeRosterFile(new Uint8Array(await file.arrayBuffer()));
  } catch (err) {
    if (err instanceof RuleViolation)
      return data({ step: "upload" as const, result: submission.reply({ fieldErrors: { file: [err.message] } }) }, { status: 400 });
    throw err;
  }
  try {
    return await showPreview(startYear, csv, isUploadedFile(file) && file.name ? file.name : "roster.csv");
  } catch (err) {
    if (err instanceof RuleViolation)
      return data({ step: "upload" as const, result: submission.reply({ fieldErrors: { [err.field]: [err.message] } }) }, { status: 400 });
    throw err;
  }
}

export default function RosterImportPage() {
  const actionData = useActionData<typeof action>();
  if (actionData?.step === "preview") return <PreviewStep key={actionData.fingerprint} {...actionData} />;
  return <UploadStep result={actionData?.step === "upload" ? actionData.result : undefined} />;
}

function UploadStep({ result }: { result: SubmissionResult<string[]> | undefined }) {
  const { years, selected, imported, maxBytes, columns } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const schema = uploadSchema(maxBytes);
  const [form, fields] = useForm({
    id: "roster-upload",
    lastResult: result,
    constraint: getZodConstraint(schema),
    shouldValidate: "onInput",
    defaultValue: { startYear: selected ? String(selected) : "" },
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
  });
  const fileProps = getInputProps(fields.file, { type: "file" });
  const fileDescribedBy = ["file-hint", fields.file.errors?.length ? fields.file.errorId : null].filter(Boolean).join(" ");
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
              <div>
                <label htmlFor={fields.file.id} className="block text-sm font-semibold text-slate-900">
                  Roster file (CSV)
                </label>
                <p id="file-hint" className="mt-1 text-sm text-slate-600">
                  In Excel or Google Sheets, save or download the sheet as “CSV UTF-8”. At most {maxBytes / 1024 / 1024} MB.
                </p>
                <input
                  {...fileProps}
                  key={fileProps.key}
                  accept=".csv,text/csv"
                  aria-describedby={fileDescribedBy}
                  className="mt-1.5 block w-full rounded-md bg-white text-sm text-slate-900 ring-1 ring-inset ring-slate-400 file:mr-3 file:min-h-11 file:cursor-pointer file:border-0 file:bg-brand-700 file:px-4 file:py-2 file:text-sm file:font-semibold file:text-white hover:file:bg-brand-800 aria-[invalid=true]:ring-2 aria-[invalid=true]:ring-red-700"
                />
                <FieldErrors id={fields.file.errorId} errors={fields.file.errors} />
              </div>
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
          <Card title="Columns the file can have" className="lg:col-span-2">
            <p className="text-sm text-slate-700">
              The first row holds the headings, in any order. Capitals, spaces and punctuation do not matter. Other columns are ignored.
            </p>
            <dl className="mt-3 space-y-3 text-sm">
              {columns.map((c) => (
                <div key={c.field}>
                  <dt className="font-semibold text-slate-900">
                    {c.label}
                    {c.note ? <span className="font-normal text-slate-700"> ({c.note})</span> : null}
                  </dt>
                  <dd className="text-slate-700">{c.headings.map((h) => `“${h}”`).join(", ")}</dd>
                </div>
              ))}
            </dl>
          </Card>
        </div>
      )}
    </>
  );
}

function PreviewStep({
  preview,
  yearLabel,
  csv,
  fileName,
  fingerprint,
  notice,
  confirmError,
}: {
  preview: RosterPreview;
  yearLabel: string;
  csv: string;
  fileName: string;
  fingerprint: string;
  notice: string | null;
  confirmError: string | null;
}) {
  const navigation = useNavigation();
  const hydrated = useHydrated();
  const [skipErrors, setSkipErrors] = useState(false);
  const { counts } = preview;
  const importable = counts.add + counts.change + counts.unchanged;
  const blocked = preview.fileErrors.length > 0 || importable === 0;
  const submitting = navigation.state === "submitting" && navigation.formData?.get("intent") === "confirm";
  return (
    <>
      <PageHeader
        title={`Check the import: ${yearLabel}`}
        description={
          <>
            <span className="break-all font-medium">{fileName}</span> into the {yearLabel} roster. <strong>Nothing has been saved yet.</strong>
          </>
        }
        actions={
          <ButtonLink to="/officer/roster/import" variant="secondary">
            Choose another file
          </ButtonLink>
        }
      />
      <div className="space-y-6">
        {notice ? (
          <div role="status" className="rounded-md border border-sky-300 bg-sky-50 p-4 text-sm font-medium text-sky-900">
            {notice}
          </div>
        ) : null}
        {preview.fileErrors.length ? (
          <div role="alert" className="rounded-md border border-red-300 bg-red-50 p-4 text-red-900">
            <h2 className="font-semibold">This file cannot be imported</h2>
            <ul className="mt-2 list-disc space-y-1 pl-5 text-sm">
              {preview.fileErrors.map((e) => (
                <li key={e}>{e}</li>
              ))}
            </ul>
            <p className="mt-2 text-sm">
              Fix it in the spreadsheet, or start from{" "}
              <a href="/officer/roster/template" className="underline">
                the template
              </a>
              .
            </p>
          </div>
        ) : (
          <>
            <RosterPreviewSummary preview={preview} yearLabel={yearLabel} />
            {blocked ? null : (
              <p className="text-sm">
                <a href="#import">Go to the import button</a>
              </p>
            )}
          </>
        )}
        <RosterColumns preview={preview} />
        <RosterPreviewRows preview={preview} />

        {blocked ? null : (
          <section id="import" aria-labelledby="import-title" className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
            <h2 id="import-title" className="mb-3 text-lg font-semibold text-slate-900">
              Import
            </h2>
            <Form method="post" encType="multipart/form-data" className="space-y-4">
              <input type="hidden" name="intent" value="confirm" />
              <input type="hidden" name="startYear" value={preview.startYear} />
              <input type="hidden" name="fileName" value={fileName} />
              <input type="hidden" name="fingerprint" value={fingerprint} />
              <input type="hidden" name="csv" value={csv} />
              <p className="text-slate-800">
                Importing adds {counts.add}, changes {counts.change} and leaves {counts.unchanged} as {counts.unchanged === 1 ? "it is" : "they are"}
                {counts.error ? `; ${counts.error} ${counts.error === 1 ? "row has" : "rows have"} errors` : ""}.
              </p>
              {counts.error ? (
                <label htmlFor="skipErrors" className="flex cursor-pointer items-start gap-3 rounded-md bg-amber-50 p-3 ring-1 ring-amber-300">
                  <input
                    id="skipErrors"
                    name="skipErrors"
                    type="checkbox"
                    checked={skipErrors}
                    onChange={(e) => setSkipErrors(e.currentTarget.checked)}
                    aria-describedby="skipErrors-hint"
                    className="mt-0.5 h-5 w-5 shrink-0 accent-brand-700"
                  />
                  <span>
                    <span className="block text-sm font-semibold text-slate-900">
                      Import without the {counts.error} {counts.error === 1 ? "row" : "rows"} with errors
                    </span>
                    <span id="skipErrors-hint" className="block text-sm text-slate-700">
                      {counts.error === 1 ? "That row is" : "Those rows are"} left out. Fix {counts.error === 1 ? "it" : "them"} in the spreadsheet and import
                      the file again later: rows already imported are left alone.
                    </span>
                  </span>
                </label>
              ) : null}
              <FieldErrors id="confirm-error" errors={confirmError ? [confirmError] : undefined} />
              <div className="flex flex-wrap gap-3">
                <Button type="submit" pending={submitting} disabled={hydrated && counts.error > 0 && !skipErrors}>
                  Import the roster
                </Button>
                <ButtonLink to="/officer/roster/import" variant="secondary">
                  Cancel
                </ButtonLink>
              </div>
            </Form>
          </section>
        )}
      </div>
    </>
  );
}
