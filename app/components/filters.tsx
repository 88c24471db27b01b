import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import { Button } from "./button.tsx";

/** The look of a filter's control, for a filter these components do not cover. */
export const filterControlClass =
  "mt-1.5 block w-full rounded-md border-0 bg-white px-3 py-2.5 text-base text-slate-900 ring-1 ring-inset ring-slate-400 focus:ring-2 focus:ring-brand-700 sm:text-sm";

/** A GET form above a list: its values live in the address, so a filtered list can be bookmarked and shared. */
export function FilterBar({ children }: { children: ReactNode }) {
  return (
    <Form method="get" className="mb-4 flex flex-col gap-3 sm:flex-row sm:items-end" role="search">
      {children}
      <Button type="submit" variant="secondary">
        Filter
      </Button>
    </Form>
  );
}

export function FilterSearch({ name, label, value }: { name: string; label: string; value: string | undefined }) {
  return (
    <div className="flex-1">
      <label htmlFor={name} className="block text-sm font-semibold text-slate-900">
        {label}
      </label>
      <input id={name} name={name} type="search" defaultValue={value ?? ""} className={filterControlClass} />
    </div>
  );
}

/** Records (courses, trainers) as the options of a choice. */
export function recordOptions(records: { id: number; name: string }[]) {
  return records.map((r) => ({ value: String(r.id), label: r.name }));
}

/** A choice that narrows a list; the first option, `anyLabel`, leaves it unfiltered. */
export function FilterSelect({
  name,
  id = name,
  label,
  value,
  anyLabel,
  options,
}: {
  /** Where the same filter stands twice on a page (a phone's and a wide screen's copy), each needs its own. */
  id?: string;
  name: string;
  label: string;
  /** The choice in the address, if any. */
  value: string | number | null | undefined;
  anyLabel: string;
  options: { value: string; label: string }[];
}) {
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-semibold text-slate-900">
        {label}
      </label>
      <select id={id} name={name} defaultValue={value == null ? "" : String(value)} className={filterControlClass}>
        <option value="">{anyLabel}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** One end of a date range that narrows a list; a date that could not be used stays in it, with why beside it. */
export function FilterDate({
  name,
  label,
  value,
  problem,
  hintId,
}: {
  name: string;
  label: string;
  value: string | undefined;
  problem?: string;
  /** A hint shared by the range's two ends, read with the field while there is no problem to read. */
  hintId?: string;
}) {
  return (
    <div>
      <label htmlFor={name} className="block text-sm font-semibold text-slate-900">
        {label}
      </label>
      <input
        id={name}
        name={name}
        type="date"
        defaultValue={value ?? ""}
        className={filterControlClass}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? `${name}-error` : hintId}
      />
      {problem ? (
        <p id={`${name}-error`} className="mt-1 text-sm font-medium text-red-800">
          {problem}
        </p>
      ) : null}
    </div>
  );
}
