import type { ImportRowLayout } from "#app/roster/import-preview-view.tsx";
import { formatDay } from "#app/utils/dates.ts";
import { STAFF_CHANGE_LABELS } from "./staff-import.ts";
import type { StaffChange, StaffEntry } from "./staff-import.server.ts";

/** A row of the staff file in the import's preview: the person, their role and employer, when they start. */

export const STAFF_ROW_LAYOUT: ImportRowLayout<StaffEntry, StaffChange> = {
  headings: ["Person", "Role"],
  who: (row) => (
    <>
      <span className="block font-medium text-slate-900">{row.name || <em className="text-slate-600">no name</em>}</span>
      <span className="block text-slate-700 [overflow-wrap:anywhere]">{row.email || <em>no email</em>}</span>
      {row.staffNumber ? <span className="block text-slate-700">{row.staffNumber}</span> : null}
    </>
  ),
  what: (row) => (
    <>
      <span className="block">{row.roleName || <em className="text-slate-600">no role</em>}</span>
      {row.employer ? <span className="block text-slate-700">Employed by {row.employer}</span> : null}
    </>
  ),
  adding: {
    note: () => "New to the staff list",
    heading: "Starts",
    show: (row) => (row.startedOn ? formatDay(row.startedOn) : "The day of the import"),
  },
  changeLabels: STAFF_CHANGE_LABELS,
  changeValue: (field, value) => (field === "startedOn" ? formatDay(value) : value),
};
