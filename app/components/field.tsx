import { getInputProps, getSelectProps, getTextareaProps, type FieldMetadata, type FormMetadata } from "@conform-to/react";
import type { ReactNode } from "react";

const inputClass =
  "block w-full rounded-md border-0 bg-white px-3 py-2.5 text-base text-slate-900 shadow-sm ring-1 ring-inset ring-slate-400 placeholder:text-slate-500 focus:ring-2 focus:ring-inset focus:ring-brand-700 aria-[invalid=true]:ring-2 aria-[invalid=true]:ring-red-700 sm:text-sm";

export function FieldErrors({ id, errors }: { id: string; errors?: string[] }) {
  if (!errors?.length) return null;
  return (
    <ul id={id} className="mt-1.5 space-y-0.5 text-sm font-medium text-red-800">
      {errors.map((e) => (
        <li key={e}>
          <span aria-hidden="true">⚠ </span>
          {e}
        </li>
      ))}
    </ul>
  );
}

function Label({ htmlFor, children, optional }: { htmlFor: string; children: ReactNode; optional?: boolean }) {
  return (
    <label htmlFor={htmlFor} className="block text-sm font-semibold text-slate-900">
      {children}
      {optional ? <span className="ml-1 font-normal text-slate-600">(optional)</span> : null}
    </label>
  );
}

function Hint({ id, children }: { id: string; children?: ReactNode }) {
  if (!children) return null;
  return (
    <p id={id} className="mt-1 text-sm text-slate-600">
      {children}
    </p>
  );
}

type CommonProps<T> = { meta: FieldMetadata<T>; label: string; hint?: ReactNode; optional?: boolean; className?: string };

/** The ids a field is described by: its hint, and its errors while it has any. */
function describedByOf<T>(meta: FieldMetadata<T>, hint: ReactNode): string | undefined {
  return [hint ? `${meta.id}-hint` : null, meta.errors?.length ? meta.errorId : null].filter(Boolean).join(" ") || undefined;
}

/** What every single-control field has around its control: the label, the hint, and the errors below. */
function FieldFrame<T>({ meta, label, hint, optional, className = "", children }: CommonProps<T> & { children: ReactNode }) {
  return (
    <div className={className}>
      <Label htmlFor={meta.id} optional={optional}>
        {label}
      </Label>
      <Hint id={`${meta.id}-hint`}>{hint}</Hint>
      <div className="mt-1.5">{children}</div>
      <FieldErrors id={meta.errorId} errors={meta.errors} />
    </div>
  );
}

export function TextField<T>({
  meta,
  label,
  hint,
  optional,
  className,
  type = "text",
  ...rest
}: CommonProps<T> & {
  type?: "text" | "email" | "password" | "number" | "tel" | "date" | "time" | "color" | "url";
  autoComplete?: string;
  inputMode?: "numeric" | "email" | "tel" | "text";
  placeholder?: string;
  /** Values already in use (groups) offered as the person types, while a new one is still accepted. */
  suggestions?: string[];
}) {
  const { suggestions, ...inputRest } = rest;
  const props = getInputProps(meta, { type });
  const listId = suggestions ? `${meta.id}-suggestions` : undefined;
  return (
    <FieldFrame meta={meta} label={label} hint={hint} optional={optional} className={className}>
      <input
        {...props}
        key={props.key}
        {...inputRest}
        list={listId}
        aria-describedby={describedByOf(meta, hint)}
        className={type === "color" ? "h-11 w-20 cursor-pointer rounded-md border border-slate-400 bg-white p-1" : inputClass}
      />
      {suggestions ? (
        <datalist id={listId}>
          {suggestions.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
      ) : null}
    </FieldFrame>
  );
}

export function TextareaField<T>({ meta, label, hint, optional, className, rows = 4 }: CommonProps<T> & { rows?: number }) {
  const props = getTextareaProps(meta);
  return (
    <FieldFrame meta={meta} label={label} hint={hint} optional={optional} className={className}>
      <textarea {...props} key={props.key} rows={rows} aria-describedby={describedByOf(meta, hint)} className={inputClass} />
    </FieldFrame>
  );
}

export function SelectField<T>({
  meta,
  label,
  hint,
  optional,
  className,
  options,
  placeholder,
}: CommonProps<T> & { options: { value: string; label: string }[]; placeholder?: string }) {
  const props = getSelectProps(meta);
  return (
    <FieldFrame meta={meta} label={label} hint={hint} optional={optional} className={className}>
      <select {...props} key={props.key} aria-describedby={describedByOf(meta, hint)} className={inputClass}>
        {placeholder ? <option value="">{placeholder}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

/** One yes/no question as a checkbox with its label beside it. */
export function CheckboxField<T>({ meta, label, hint }: { meta: FieldMetadata<T>; label: string; hint?: string }) {
  const { key, ...props } = getInputProps(meta, { type: "checkbox" });
  return (
    <div>
      <label htmlFor={meta.id} className="flex cursor-pointer items-start gap-3">
        <input {...props} key={key} aria-describedby={describedByOf(meta, hint)} className="mt-0.5 h-5 w-5 shrink-0 accent-brand-700" />
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

/** A group of checkboxes for a multi-valued field (roles, organisations). */
export function CheckboxGroup<T>({
  meta,
  legend,
  hint,
  options,
}: {
  meta: FieldMetadata<T>;
  legend: string;
  hint?: ReactNode;
  options: { value: string; label: string; description?: string }[];
}) {
  const initial = meta.initialValue;
  const selected = new Set(Array.isArray(initial) ? initial.map(String) : initial ? [String(initial)] : []);
  const hintId = `${meta.id}-hint`;
  return (
    <fieldset aria-describedby={describedByOf(meta, hint)}>
      <legend className="text-sm font-semibold text-slate-900">{legend}</legend>
      <Hint id={hintId}>{hint}</Hint>
      <div className="mt-2 grid gap-2 sm:grid-cols-2">
        {options.map((o) => {
          const id = `${meta.id}-${o.value}`;
          return (
            <label
              key={o.value}
              htmlFor={id}
              className="flex cursor-pointer items-start gap-3 rounded-md bg-white p-3 ring-1 ring-slate-300 has-[:checked]:ring-2 has-[:checked]:ring-brand-700"
            >
              <input
                id={id}
                type="checkbox"
                name={meta.name}
                value={o.value}
                defaultChecked={selected.has(o.value)}
                className="mt-0.5 h-5 w-5 shrink-0 accent-brand-700"
              />
              <span>
                <span className="block text-sm font-medium text-slate-900">{o.label}</span>
                {o.description ? <span className="block text-sm text-slate-600">{o.description}</span> : null}
              </span>
            </label>
          );
        })}
      </div>
      <FieldErrors id={meta.errorId} errors={meta.errors} />
    </fieldset>
  );
}

export function FormErrors({ id, errors }: { id: string; errors?: string[] }) {
  if (!errors?.length) return null;
  return (
    <div id={id} role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-sm font-medium text-red-900">
      {errors.map((e) => (
        <p key={e}>{e}</p>
      ))}
    </div>
  );
}

/**
 * The list of problems at the top of a long form once it has been sent, each linking to its field;
 * `labels` names each field the way the list shows it, where the field's own label is out of sight.
 */
export function ErrorSummary<Schema extends Record<string, unknown>>({
  form,
  fields,
  labels,
}: {
  form: FormMetadata<Schema>;
  fields: Partial<Record<string, { id: string }>>;
  labels: Record<string, string>;
}) {
  const problems = Object.entries(form.allErrors).filter(([name]) => name !== "");
  if (form.status !== "error" || problems.length === 0) return null;
  return (
    <div className="rounded-md border border-red-300 bg-red-50 p-4 text-sm text-red-900">
      <p className="font-semibold">Some answers need another look:</p>
      <ul className="mt-2 list-disc space-y-1 pl-5">
        {problems.map(([name, errors]) => (
          <li key={name + (errors[0] ?? "")}>
            <a href={`#${fields[name]?.id ?? ""}`} className="text-red-900 underline">
              {labels[name] ? `${labels[name]}: ` : ""}
              {errors[0]}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** A date and a start time side by side; on a phone the date takes the wider share. */
export function DateAndTime<T>({
  date,
  time,
  timeLabel = "Start time",
  className = "",
}: {
  date: FieldMetadata<T>;
  time: FieldMetadata<T>;
  timeLabel?: string;
  className?: string;
}) {
  return (
    <div className={`grid grid-cols-[minmax(0,3fr)_minmax(0,2fr)] gap-3 sm:flex sm:gap-4 ${className}`}>
      <TextField meta={date} label="Date" type="date" className="sm:w-48" />
      <TextField meta={time} label={timeLabel} type="time" className="sm:w-36" />
    </div>
  );
}

/** A titled part of a long form. */
export function FormSection({ title, description, children }: { title: string; description?: string; children: ReactNode }) {
  return (
    <section className="border-t border-slate-200 pt-6 first:border-t-0 first:pt-0">
      <h2 className="text-lg font-semibold text-slate-900">{title}</h2>
      {description ? <p className="mt-1 text-sm text-slate-600">{description}</p> : null}
      <div className="mt-4 space-y-5">{children}</div>
    </section>
  );
}

/** Radio buttons as large cards: easy to hit on a phone, with an optional line of description each. */
export function RadioCards<T>({
  meta,
  legend,
  hint,
  options,
  className = "",
}: {
  meta: FieldMetadata<T>;
  legend: string;
  hint?: string;
  options: { value: string; label: string; description?: string }[];
  className?: string;
}) {
  const hintId = `${meta.id}-hint`;
  return (
    <fieldset id={meta.id} aria-describedby={describedByOf(meta, hint)}>
      <legend className="text-sm font-semibold text-slate-900">{legend}</legend>
      {hint ? (
        <p id={hintId} className="mt-1 text-sm text-slate-600">
          {hint}
        </p>
      ) : null}
      <div className={`mt-2 grid gap-2 ${className}`}>
        {options.map((o) => {
          const id = `${meta.id}-${o.value}`;
          const { key: _key, "aria-describedby": _describedBy, ...props } = getInputProps(meta, { type: "radio", value: o.value });
          return (
            <label
              key={o.value}
              htmlFor={id}
              className="flex min-h-11 cursor-pointer items-start gap-3 rounded-md bg-white px-3 py-2.5 ring-1 ring-slate-300 has-[:checked]:bg-brand-50 has-[:checked]:ring-2 has-[:checked]:ring-brand-700"
            >
              <input {...props} id={id} className="mt-0.5 h-5 w-5 shrink-0 accent-brand-700" />
              <span>
                <span className="block text-sm font-medium text-slate-900">{o.label}</span>
                {o.description ? <span className="block text-sm text-slate-600">{o.description}</span> : null}
              </span>
            </label>
          );
        })}
      </div>
      <FieldErrors id={meta.errorId} errors={meta.errors} />
    </fieldset>
  );
}
