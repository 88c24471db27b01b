import { Badge } from "#app/components/layout.tsx";
import type { ImportRowLayout } from "#app/roster/import-preview-view.tsx";
import { formatDay } from "#app/utils/dates.ts";
import { ROSTER_CHANGE_LABELS } from "./roster-import.ts";
import type { RosterChange, RosterEntry } from "./roster-import.server.ts";

/** A row of the roster file in the import's preview: the leader, their role and group, when they start. */

function Leader({ row }: { row: RosterEntry }) {
  return (
    <>
      <span className="block font-medium text-slate-900">{row.name || <em className="text-slate-600">no name</em>}</span>
      <span className="block text-slate-700 [overflow-wrap:anywhere]">{row.email || <em>no email</em>}</span>
      {row.studentId ? <span className="block text-slate-700">{row.studentId}</span> : null}
    </>
  );
}

function RoleAndGroup({ row }: { row: RosterEntry }) {
  return (
    <>
      <span className="block">{row.roleName || <em className="text-slate-600">no role</em>}</span>
      {row.groupName ? <span className="block text-slate-700">{row.groupName}</span> : null}
      {row.isPresident ? (
        <span className="mt-1 block">
          <Badge tone="brand">President</Badge>
        </span>
      ) : null}
    </>
  );
}

export const ROSTER_ROW_LAYOUT: ImportRowLayout<RosterEntry, RosterChange> = {
  headings: ["Leader", "Role and group"],
  who: (row) => <Leader row={row} />,
  what: (row) => <RoleAndGroup row={row} />,
  adding: {
    note: (row) => (row.newPerson ? "New to the roster" : "Already known: a new role"),
    heading: "Starts",
    show: (row) => (row.startedOn ? formatDay(row.startedOn) : "The day of the import"),
  },
  changeLabels: ROSTER_CHANGE_LABELS,
  changeValue: (field, value) => (field === "startedOn" ? formatDay(value) : value),
};
