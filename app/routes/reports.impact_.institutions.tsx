import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "#app/auth/guards.server.ts";
import { buttonClass } from "#app/components/button.tsx";
import { EmptyState, PageHeader } from "#app/components/layout.tsx";
import { getDb } from "#app/db.server.ts";
import { impactFilterChoices } from "#app/reports/impact-page.server.ts";
import { compareInstitutions } from "#app/reports/institutions.server.ts";
import { describeScope } from "#app/reports/period.ts";
import { AcademicYearSelect, FigureTable, SmallNumberNote } from "#app/reports/report-view.tsx";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Institutions compared ${data?.comparison.scope.period.label ?? ""} · NeverOK Training` },
];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "read:impact-report");
  const db = getDb();
  const params = new URL(request.url).searchParams;
  const [comparison, choices] = await Promise.all([compareInstitutions(db, params), impactFilterChoices(db)]);
  const chosen = comparison.chosen.map((id) => `&institution=${id}`).join("");
  return { comparison, years: choices.years, exportHref: `/reports/impact/institutions/export?${comparison.query}${chosen}` };
}

const labelClass = "block text-sm font-semibold text-slate-900";

export default function InstitutionsComparisonPage() {
  const { comparison, years, exportHref } = useLoaderData<typeof loader>();
  const { scope, institutions, chosen, table, hasLeaderFigures } = comparison;
  return (
    <>
      <PageHeader
        title="Institutions compared"
        description={describeScope(scope, { compared: false })}
        actions={
          <Link to={`/reports/impact?${comparison.query}`} className={buttonClass("secondary")}>
            Back to the impact report
          </Link>
        }
      />
      {institutions.length === 0 ? (
        <EmptyState>No organisation belongs to an institution of a partnership, so there is nothing to compare.</EmptyState>
      ) : (
        <>
          <Form method="get" className="mb-8 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200" aria-label="Choose what the comparison covers">
            <div className="grid gap-4 sm:grid-cols-2">
              <AcademicYearSelect years={years} value={scope.academicYear === null ? "" : String(scope.academicYear)} />
              <fieldset>
                <legend className={labelClass}>Institutions</legend>
                <p id="institutions-hint" className="text-sm text-slate-700">
                  Tick those to compare; none ticked compares them all.
                </p>
                <div className="mt-2 space-y-1">
                  {institutions.map((i) => (
                    <label key={i.id} className="flex min-h-11 items-center gap-3 sm:min-h-0">
                      <input
                        type="checkbox"
                        name="institution"
                        value={i.id}
                        defaultChecked={chosen.includes(i.id)}
                        aria-describedby="institutions-hint"
                        className="h-5 w-5 accent-brand-700"
                      />
                      <span className="text-sm text-slate-900">{i.name}</span>
                    </label>
                  ))}
                </div>
              </fieldset>
            </div>
            <div className="mt-4 flex flex-wrap gap-3">
              <button type="submit" className={buttonClass("primary")}>
                Compare
              </button>
              <Link to="/reports/impact/institutions" className={buttonClass("secondary")}>
                Clear
              </Link>
            </div>
          </Form>
          <div className="space-y-4">
            <FigureTable
              table={table}
              exportHref={exportHref}
              caption={
                <p className="mb-3 text-sm text-slate-700">
                  Each institution’s figures come from the sessions its organisations booked; open sign-up sessions belong to no institution.{" "}
                  {hasLeaderFigures
                    ? "Student leaders trained counts each leader role in a group of the institution at the year’s deadline (today, while it is ahead)."
                    : "Student leaders trained is shown for an academic year with a leader roster."}{" "}
                  A cell that reads “fewer than 5” rests on fewer than 5 people, so it is hidden to keep them from being picked out.
                </p>
              }
            />
            <SmallNumberNote />
          </div>
        </>
      )}
    </>
  );
}
