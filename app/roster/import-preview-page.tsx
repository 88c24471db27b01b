import { Form, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { Button, ButtonLink } from "#app/components/button.tsx";
import { FieldErrors } from "#app/components/field.tsx";
import { PageHeader } from "#app/components/layout.tsx";
import { useHydrated } from "#app/utils/use-hydrated.ts";
import type { ImportChange, ImportPreview } from "./import.server.ts";
import type { ImportPreviewStep } from "./import-upload.server.ts";
import { ImportColumnsRead, ImportPreviewRows, ImportSummary, type ImportRowLayout, type ImportWords } from "./import-preview-view.tsx";
import { nounFor, plural } from "#app/utils/plural.ts";

/**
 * The preview step of a list import: what the file would do, nothing saved yet, and the form that
 * confirms it, carrying the file back with the digest of what the person read.
 */
export function ImportPreviewPage<Entry, Change extends ImportChange>({
  step,
  title,
  words,
  layout,
  columnLabels,
  startOverHref,
  templateHref,
  submitLabel,
}: {
  step: ImportPreviewStep<ImportPreview<Entry, Change>>;
  title: string;
  words: ImportWords;
  layout: ImportRowLayout<Entry, Change>;
  columnLabels: Record<string, string>;
  /** The upload page, for another file. */
  startOverHref: string;
  templateHref: string;
  /** The confirm button: "Import the roster". */
  submitLabel: string;
}) {
  const { preview, notice, fileName } = step;
  const { counts } = preview;
  const importable = counts.add + counts.change + counts.unchanged;
  const blocked = preview.fileErrors.length > 0 || importable === 0;
  return (
    <>
      <PageHeader
        title={title}
        description={
          <>
            <span className="break-all font-medium">{fileName}</span> into {words.thisList}. <strong>Nothing has been saved yet.</strong>
          </>
        }
        actions={
          <ButtonLink to={startOverHref} variant="secondary">
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
              <a href={templateHref} className="underline">
                the template
              </a>
              .
            </p>
          </div>
        ) : (
          <>
            <ImportSummary preview={preview} words={words} />
            {blocked ? null : (
              <p className="text-sm">
                <a href="#import">Go to the import button</a>
              </p>
            )}
          </>
        )}
        <ImportColumnsRead preview={preview} labels={columnLabels} />
        <ImportPreviewRows preview={preview} layout={layout} words={words} />
        {blocked ? null : <ConfirmImport step={step} startOverHref={startOverHref} submitLabel={submitLabel} />}
      </div>
    </>
  );
}

function ConfirmImport({ step, startOverHref, submitLabel }: { step: ImportPreviewStep<ImportPreview<unknown>>; startOverHref: string; submitLabel: string }) {
  const navigation = useNavigation();
  const hydrated = useHydrated();
  const [skipErrors, setSkipErrors] = useState(false);
  const { counts } = step.preview;
  const submitting = navigation.state === "submitting" && navigation.formData?.get("intent") === "confirm";
  return (
    <section id="import" aria-labelledby="import-title" className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
      <h2 id="import-title" className="mb-3 text-lg font-semibold text-slate-900">
        Import
      </h2>
      <Form method="post" encType="multipart/form-data" className="space-y-4">
        <input type="hidden" name="intent" value="confirm" />
        {Object.entries(step.scope).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        <input type="hidden" name="fileName" value={step.fileName} />
        <input type="hidden" name="fingerprint" value={step.fingerprint} />
        <input type="hidden" name="csv" value={step.csv} />
        <p className="text-slate-800">
          Importing adds {counts.add}, changes {counts.change} and leaves {counts.unchanged} as {nounFor(counts.unchanged, { one: "it is", other: "they are" })}
          {counts.error ? `; ${plural(counts.error, { one: "row has", other: "rows have" })} errors` : ""}.
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
              <span className="block text-sm font-semibold text-slate-900">Import without the {plural(counts.error, "row")} with errors</span>
              <span id="skipErrors-hint" className="block text-sm text-slate-700">
                {nounFor(counts.error, { one: "That row is", other: "Those rows are" })} left out. Fix {nounFor(counts.error, { one: "it", other: "them" })} in
                the spreadsheet and import the file again later: rows already imported are left alone.
              </span>
            </span>
          </label>
        ) : null}
        <FieldErrors id="confirm-error" errors={step.confirmError ? [step.confirmError] : undefined} />
        <div className="flex flex-wrap gap-3">
          <Button type="submit" pending={submitting} disabled={hydrated && counts.error > 0 && !skipErrors}>
            {submitLabel}
          </Button>
          <ButtonLink to={startOverHref} variant="secondary">
            Cancel
          </ButtonLink>
        </div>
      </Form>
    </section>
  );
}
