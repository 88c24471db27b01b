import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "#app/auth/guards.server.ts";
import { buttonClass } from "#app/components/button.tsx";
import { filterControlClass, FilterDate, FilterSelect, recordOptions } from "#app/components/filters.tsx";
import { PageHeader } from "#app/components/layout.tsx";
import { getDb } from "#app/db.server.ts";
import { ORGANISATION_KIND_LABELS, ORGANISATION_KINDS } from "#app/reference/schemas.ts";
import { impactFilterChoices, loadImpactReport, resolveOrganisationField } from "#app/reports/impact-page.server.ts";
import { reportForPage } from "#app/reports/impact-report.ts";
import { listInstitutions } from "#app/reference/institutions.server.ts";
import { describeScope, rangeProblem } from "#app/reports/period.ts";
import { AcademicYearSelect, ReportBody } from "#app/reports/report-view.tsx";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Impact report ${data?.report.label ?? ""} · NeverOK Training` }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "read:impact-report");
  const db = getDb();
  // What the person typed stays in the form, even when it could not be used.
  const { params, field: organisation } = await resolveOrganisationField(db, new URL(request.url).searchParams);
  const [page, choices, institutions] = await Promise.all([loadImpactReport(db, params), impactFilterChoices(db), listInstitutions(db)]);
  const problem = rangeProblem(params);
  const typed = problem ? { from: params.get("from") ?? "", to: params.get("to") ?? "" } : null;
  return {
    ...page,
    report: reportForPage(page.report),
    choices,
    problem,
    typed,
    organisation,
    customChosen: params.get("year") === "",
    comparesInstitutions: institutions.length > 1,
  };
}

const labelClass = "block text-sm font-semibold text-slate-900";

const KIND_OPTIONS = [
  ...ORGANISATION_KINDS.map((k) => ({ value: k, label: ORGANISATION_KIND_LABELS[k] })),
  { value: "open", label: "Open sign-up (no organisation)" },
];

export default function ImpactReportPage() {
  const { report, scope, query, choices, problem, typed, organisation, customChosen, comparesInstitutions } = useLoaderData<typeof loader>();
  const f = scope.filters;
  const exportHref = (table: string) => `/reports/impact/export?${query}&table=${table}`;
  return (
    <>
      <PageHeader
        title={`Impact report ${report.label}`}
        description={describeScope(scope)}
        actions={
          <>
            {comparesInstitutions ? (
              <Link to={`/reports/impact/institutions?${query}`} className={buttonClass("secondary")}>
                Compare institutions
              </Link>
            ) : null}
            <Link to={`/reports/impact/print?${query}`} className={buttonClass("secondary")}>
              Printable page
            </Link>
            <a href={exportHref("all")} className={buttonClass("secondary")} download>
              Download all tables (CSV)
            </a>
          </>
        }
      />

      <Form method="get" className="no-print mb-8 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200" aria-label="Choose what the report covers">
        <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
          <AcademicYearSelect years={choices.years} value={customChosen || scope.academicYear === null ? "" : String(scope.academicYear)} withDates />
          <FilterDate name="from" label="From" value={typed?.from ?? scope.from} problem={problem?.from} hintId="dates-hint" />
          <FilterDate name="to" label="To" value={typed?.to ?? scope.to} problem={problem?.to} hintId="dates-hint" />
          <p id="dates-hint" className="self-end text-sm text-slate-700 sm:col-span-2 lg:col-span-1">
            For any dates, choose “Dates below” as the year. The comparison is the same dates a year earlier.
          </p>
          <FilterSelect name="course" label="Course" anyLabel="All courses" value={f.courseId} options={recordOptions(choices.courses)} />
          <FilterSelect name="kind" label="Kind of organisation" anyLabel="All kinds" value={f.orgKind} options={KIND_OPTIONS} />
          <div>
            <label htmlFor="organisation_name" className={labelClass}>
              Organisation
            </label>
            <input
              // A new value from the server (a suggestion followed, a name completed) replaces what the field holds.
              key={organisation.value}
              id="organisation_name"
              name="organisation_name"
              type="text"
              autoComplete="off"
              defaultValue={organisation.value}
              className={filterControlClass}
              aria-invalid={organisation.problem ? true : undefined}
              aria-describedby={organisation.problem ? "organisation-error" : "organisation-hint"}
            />
            {organisation.problem ? (
              <div id="organisation-error" className="mt-1 text-sm font-medium text-red-800">
                <p>{organisation.problem}</p>
                {organisation.matches.length ? (
                  <ul className="mt-1 list-disc space-y-0.5 pl-5 font-normal">
                    {organisation.matches.map((m) => (
                      <li key={m.id}>
                        <Link to={`?${query}&organisation=${m.id}`}>{m.name}</Link>
                      </li>
                    ))}
                  </ul>
                ) : null}
              </div>
            ) : (
              <p id="organisation-hint" className="mt-1 text-sm text-slate-700">
                All or part of its name; empty for all organisations.
              </p>
            )}
          </div>
          <FilterSelect name="trainer" label="Trainer" anyLabel="All trainers" value={f.trainerId} options={recordOptions(choices.trainers)} />
        </div>
        <div className="mt-4 flex flex-wrap gap-3">
          <button type="submit" className={buttonClass("primary")}>
            Show report
          </button>
          <Link to="/reports/impact" className={buttonClass("secondary")}>
            Clear filters
          </Link>
        </div>
      </Form>

      <ReportBody report={report} exportHref={exportHref} />
    </>
  );
}
