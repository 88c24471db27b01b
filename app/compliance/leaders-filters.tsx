import { Form, Link } from "@remix-run/react";
import { Button } from "#app/components/button.tsx";
import { FilterSearch, FilterSelect } from "#app/components/filters.tsx";
import { dashboardSearch, LEADER_STATUSES, SORT_LABELS } from "./dashboard.ts";
import type { LeadersPage } from "./leaders-page.server.ts";
import { STATUS_LABELS } from "./rules.ts";
import { COMPLIANCE_SORTS } from "./schemas.ts";

const control = "mt-1.5 block w-full rounded-md border-0 px-3 py-2.5 ring-1 ring-inset ring-slate-400 focus:ring-2 focus:ring-brand-700";

/** The dashboard's search, filters and order: a GET form, so a filtered list can be bookmarked and shared. */
export function LeaderFilters({ query, roles, groups }: { query: LeadersPage["query"]; roles: LeadersPage["roles"]; groups: LeadersPage["groups"] }) {
  return (
    // Keyed on the query, so the fields show the filters in force after a link changes them.
    <Form
      key={dashboardSearch(query)}
      method="get"
      role="search"
      aria-label="Filter the leaders"
      className="no-print mb-4 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200"
    >
      <input type="hidden" name="year" value={query.year} />
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-6 lg:items-end">
        <div className="sm:col-span-2 lg:col-span-2">
          <FilterSearch name="q" label="Search by name, email, student ID or group" value={query.q} />
        </div>
        <FilterSelect
          name="role"
          label="Role"
          value={query.role ? String(query.role) : undefined}
          anyLabel="Any role"
          options={roles.map((r) => ({ value: String(r.id), label: r.isArchived ? `${r.name} (archived)` : r.name }))}
        />
        {groups ? (
          <FilterSelect name="group" label="Group" value={query.group} anyLabel="Any group" options={groups.map((g) => ({ value: g, label: g }))} />
        ) : (
          <div>
            <label htmlFor="group" className="block text-sm font-semibold text-slate-900">
              Group (full name)
            </label>
            <input id="group" name="group" type="search" defaultValue={query.group ?? ""} className={control} />
          </div>
        )}
        <FilterSelect
          name="status"
          label="Status"
          value={query.status}
          anyLabel="Any status"
          options={LEADER_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] }))}
        />
        <div>
          <label htmlFor="sort" className="block text-sm font-semibold text-slate-900">
            Sort by
          </label>
          <select id="sort" name="sort" defaultValue={query.sort} className={control}>
            {COMPLIANCE_SORTS.map((s) => (
              <option key={s} value={s}>
                {SORT_LABELS[s]}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="mt-3 flex flex-wrap items-center gap-3">
        <Button type="submit" variant="secondary">
          Filter
        </Button>
        {query.q || query.role || query.group || query.status || query.sort !== "status" ? (
          <Link to={`/officer/leaders?year=${query.year}`} className="text-sm font-semibold">
            Clear the filters
          </Link>
        ) : null}
      </div>
    </Form>
  );
}
