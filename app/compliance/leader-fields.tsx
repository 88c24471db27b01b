import { getInputProps, type FieldMetadata } from "@conform-to/react";
import { FieldErrors } from "#app/components/field.tsx";

/** Form pieces the leader pages share and the common field components do not cover. */

const inputClass =
  "block w-full rounded-md border-0 bg-white px-3 py-2.5 text-base text-slate-900 shadow-sm ring-1 ring-inset ring-slate-400 placeholder:text-slate-500 focus:ring-2 focus:ring-inset focus:ring-brand-700 aria-[invalid=true]:ring-2 aria-[invalid=true]:ring-red-700 sm:text-sm";

/** A text field that suggests values already in use (groups), while accepting a new one. */
export function SuggestField<T>({
  meta,
  label,
  hint,
  suggestions,
  optional,
}: {
  meta: FieldMetadata<T>;
  label: string;
  hint?: string;
  suggestions: string[];
  optional?: boolean;
}) {
  const props = getInputProps(meta, { type: "text" });
  const listId = `${meta.id}-suggestions`;
  const describedBy = [hint ? `${meta.id}-hint` : null, meta.errors?.length ? meta.errorId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div>
      <label htmlFor={meta.id} className="block text-sm font-semibold text-slate-900">
        {label}
        {optional ? <span className="ml-1 font-normal text-slate-600">(optional)</span> : null}
      </label>
      {hint ? (
        <p id={`${meta.id}-hint`} className="mt-1 text-sm text-slate-600">
          {hint}
        </p>
      ) : null}
      <input {...props} key={props.key} list={listId} autoComplete="off" aria-describedby={describedBy} className={`mt-1.5 ${inputClass}`} />
      <datalist id={listId}>
        {suggestions.map((s) => (
          <option key={s} value={s} />
        ))}
      </datalist>
      <FieldErrors id={meta.errorId} errors={meta.errors} />
    </div>
  );
}

/** One yes/no question as a checkbox with its label beside it. */
export function CheckboxField<T>({ meta, label, hint }: { meta: FieldMetadata<T>; label: string; hint?: string }) {
  const { key, ...props } = getInputProps(meta, { type: "checkbox" });
  const describedBy = [hint ? `${meta.id}-hint` : null, meta.errors?.length ? meta.errorId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div>
      <label htmlFor={meta.id} className="flex cursor-pointer items-start gap-3">
        <input {...props} key={key} aria-describedby={describedBy} className="mt-0.5 h-5 w-5 shrink-0 accent-brand-700" />
        <span>
          <span className="block text-sm font-semibold text-slate-900">{label}</span>
          {hint ? (
            <span id={`${meta.id}-hint`} className="block text-sm text-slate-600">
              {hint}
            </span>
          ) : null}
        </span>
      </label>
      <FieldErrors id={meta.errorId} errors={meta.errors} />
    </div>
  );
}
