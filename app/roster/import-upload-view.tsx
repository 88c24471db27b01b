import { getInputProps, type FieldMetadata } from "@conform-to/react";
import { FieldErrors } from "#app/components/field.tsx";
import { Card } from "#app/components/layout.tsx";
import type { ImportColumnHelp } from "./import.ts";

/** The parts of an import's upload page: the file field and the list of columns the file can have. */

export function ImportFileField({ meta, label, maxBytes }: { meta: FieldMetadata<Blob & { name?: string }>; label: string; maxBytes: number }) {
  const props = getInputProps(meta, { type: "file" });
  const hintId = `${meta.id}-hint`;
  const describedBy = [hintId, meta.errors?.length ? meta.errorId : null].filter(Boolean).join(" ");
  return (
    <div>
      <label htmlFor={meta.id} className="block text-sm font-semibold text-slate-900">
        {label}
      </label>
      <p id={hintId} className="mt-1 text-sm text-slate-600">
        In Excel or Google Sheets, save or download the sheet as “CSV UTF-8”. At most {maxBytes / 1024 / 1024} MB.
      </p>
      <input
        {...props}
        key={props.key}
        accept=".csv,text/csv"
        aria-describedby={describedBy}
        className="mt-1.5 block w-full rounded-md bg-white text-sm text-slate-900 ring-1 ring-inset ring-slate-400 file:mr-3 file:min-h-11 file:cursor-pointer file:border-0 file:bg-brand-700 file:px-4 file:py-2 file:text-sm file:font-semibold file:text-white hover:file:bg-brand-800 aria-[invalid=true]:ring-2 aria-[invalid=true]:ring-red-700"
      />
      <FieldErrors id={meta.errorId} errors={meta.errors} />
    </div>
  );
}

export function ImportColumnsHelp({ columns, className = "" }: { columns: ImportColumnHelp[]; className?: string }) {
  return (
    <Card title="Columns the file can have" className={className}>
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
  );
}
