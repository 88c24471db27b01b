import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "#app/auth/guards.server.ts";
import { ButtonLink } from "#app/components/button.tsx";
import { EmptyState, PageHeader } from "#app/components/layout.tsx";
import { parseDashboardQuery } from "#app/compliance/dashboard.ts";
import { YearPicker } from "#app/compliance/leader-ui.tsx";
import { LeaderFilters } from "#app/compliance/leaders-filters.tsx";
import { leadersPage } from "#app/compliance/leaders-page.server.ts";
import { Breakdowns, NextSessionsCard, YearFigures } from "#app/compliance/leaders-summary.tsx";
import { LeadersTable } from "#app/compliance/leaders-table.tsx";
import { getDb } from "#app/db.server.ts";
import { formatDay } from "#app/utils/dates.ts";

/** Who among the student leaders has done the training their role requires, for a roster year. */

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Leader training${data && "year" in data && data.year ? ` ${data.year.label}` : ""} · NeverOK Training` },
];

// Names, emails and training records of students.
export const headers: HeadersFunction = () => ({ "Cache-Control": "no-store" });

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "manage:leaders");
  return leadersPage(getDb(), parseDashboardQuery(new URL(request.url).searchParams));
}

export default function LeadersDashboard() {
  const data = useLoaderData<typeof loader>();
  if (data.state === "no-roster") {
    return (
      <>
        <PageHeader title="Leader training" description="Who among the student leaders has done the training their role requires." />
        <EmptyState>
          There is no roster yet.{" "}
          <Link to="/officer/roles" className="underline">
            Set up the academic year and its roles
          </Link>
          , then{" "}
          <Link to="/officer/roster/import" className="underline">
            import the roster
          </Link>
          .
        </EmptyState>
      </>
    );
  }
  const { query, years, year, asOf, yearOver, page, rows, summary, byGroup, roles, groups, sessions } = data;
  return (
    <>
      <PageHeader
        title="Leader training"
        description={
          <>
            {year.label} roster · training due by {formatDay(year.deadline)}
            {yearOver ? ` · as it stood on ${formatDay(asOf)}` : ""}
          </>
        }
        actions={
          <div className="flex flex-col gap-3 sm:flex-row sm:items-end">
            <YearPicker years={years} value={year.startYear} />
            {/* A year that is over is for looking back; reminders are for the current one. */}
            {yearOver ? null : <ButtonLink to={`/officer/reminders?year=${year.startYear}`}>Send reminders</ButtonLink>}
          </div>
        }
      />
      <YearFigures query={query} summary={summary} deadline={year.deadline} />
      <Breakdowns query={query} summary={summary} byGroup={byGroup} />
      <LeaderFilters query={query} roles={roles} groups={groups} />

      {/* The sessions come first for a phone, and sit beside the list on a wide screen. */}
      <div className="grid gap-6 lg:grid-cols-4">
        <aside aria-labelledby="sessions-heading" className="lg:col-start-4 lg:row-start-1">
          <NextSessionsCard sessions={sessions} />
        </aside>
        <section aria-labelledby="leaders-heading" className="min-w-0 lg:col-span-3 lg:col-start-1 lg:row-start-1">
          <LeadersTable query={query} rows={rows} page={page} canRemind={!yearOver} />
        </section>
      </div>
    </>
  );
}
