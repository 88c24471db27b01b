import { Form, Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { Button } from "#app/components/button.tsx";
import { academicYearLabel } from "#app/utils/dates.ts";
import { plural } from "#app/utils/plural.ts";

/** Pieces the officer's leader pages share. */

const control =
  "mt-1.5 block w-full rounded-md border-0 bg-white px-3 py-2.5 text-slate-900 ring-1 ring-inset ring-slate-400 focus:ring-2 focus:ring-brand-700";

/** A small GET form that changes the roster year and keeps whatever else the page was showing. */
export function YearPicker({
  years,
  value,
  keep = {},
}: {
  years: readonly { startYear: number; label: string; leaders: number }[];
  value: number;
  keep?: Record<string, string | number | undefined>;
}) {
  return (
    <Form key={value} method="get" className="no-print flex items-end gap-2" aria-label="Choose the roster year">
      {Object.entries(keep).map(([k, v]) => (v === undefined || v === "" ? null : <input key={k} type="hidden" name={k} value={String(v)} />))}
      <div>
        <label htmlFor="year-picker" className="block text-sm font-semibold text-slate-900">
          Roster year
        </label>
        <select id="year-picker" name="year" defaultValue={String(value)} className={control}>
          {years.map((y) => (
            <option key={y.startYear} value={y.startYear}>
              {y.label} ({plural(y.leaders, "leader")})
            </option>
          ))}
        </select>
      </div>
      <Button type="submit" variant="secondary">
        Show
      </Button>
    </Form>
  );
}

/** Links to the same page in each roster year, newest first; nothing when there is only the one. */
export function RosterYearLinks({ years, current }: { years: readonly number[]; current: number }) {
  if (years.length < 2) return null;
  return (
    <nav aria-label="Roster years" className="flex flex-wrap items-center gap-2 text-sm">
      {years.map((y) =>
        y === current ? (
          <span key={y} aria-current="page" className="rounded-md bg-brand-100 px-3 py-1.5 font-semibold text-brand-900">
            {academicYearLabel(y)}
          </span>
        ) : (
          <Link key={y} to={`?year=${y}`} className="rounded-md px-3 py-1.5 ring-1 ring-slate-300">
            {academicYearLabel(y)}
          </Link>
        ),
      )}
    </nav>
  );
}

/** A share as a bar beside its number; the number is what a screen reader hears. `compact`: no bar on a phone. */
export function PercentBar({ value, label, compact = false }: { value: number | null; label?: ReactNode; compact?: boolean }) {
  const pct = value ?? 0;
  const tone = value === null ? "bg-slate-300" : pct >= 90 ? "bg-green-700" : pct >= 60 ? "bg-amber-500" : "bg-red-700";
  // Short tags styled by the `pct` classes in tailwind.css: the group breakdown draws one per group.
  return (
    <div className={compact ? "pct compact" : "pct"}>
      <b>{value === null ? "—" : `${value}%`}</b>
      <i aria-hidden="true">
        <i className={tone} style={{ width: `${Math.min(100, pct)}%` }} />
      </i>
      {label}
    </div>
  );
}
