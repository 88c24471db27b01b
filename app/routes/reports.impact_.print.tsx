import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "#app/auth/guards.server.ts";
import { buttonClass } from "#app/components/button.tsx";
import { getDb } from "#app/db.server.ts";
import { ORGANISATION_KIND_LABELS } from "#app/reference/schemas.ts";
import { impactFilterChoices, loadImpactReport } from "#app/reports/impact-page.server.ts";
import { reportForPage } from "#app/reports/impact-report.ts";
import { organisationName } from "#app/reports/impact.server.ts";
import { ReportBody } from "#app/reports/report-view.tsx";
import { formatDay } from "#app/utils/dates.ts";
import { now } from "#app/utils/time.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `#NeverOK impact report ${data?.report.label ?? ""}` }];

/** The report as a document: no navigation or filters, ready to print or save as PDF. */
export const handle = { bare: true };

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "read:impact-report");
  const db = getDb();
  const [page, options] = await Promise.all([loadImpactReport(db, new URL(request.url).searchParams), impactFilterChoices(db)]);
  const f = page.scope.filters;
  const organisation = f.organisationId ? await organisationName(db, f.organisationId) : null;
  const narrowed = [
    f.courseId ? `course: ${options.courses.find((c) => c.id === f.courseId)?.name ?? "unknown"}` : null,
    f.orgKind ? `kind of organisation: ${f.orgKind === "open" ? "open sign-up" : ORGANISATION_KIND_LABELS[f.orgKind].toLowerCase()}` : null,
    f.organisationId ? `organisation: ${organisation ?? "unknown"}` : null,
    f.trainerId ? `trainer: ${options.trainers.find((t) => t.id === f.trainerId)?.name ?? "unknown"}` : null,
  ].filter(Boolean);
  return { ...page, report: reportForPage(page.report), narrowed, producedOn: formatDay(now()) };
}

export default function PrintableImpactReport() {
  const { report, query, narrowed, producedOn } = useLoaderData<typeof loader>();
  return (
    <article className="mx-auto max-w-4xl">
      <div className="no-print mb-6 flex flex-wrap gap-3">
        <button type="button" onClick={() => window.print()} className={buttonClass("primary")}>
          Print or save as PDF
        </button>
        <Link to={`/reports/impact?${query}`} className={buttonClass("secondary")}>
          Back to the report
        </Link>
      </div>
      <header className="mb-6 border-b-2 border-brand-700 pb-4">
        <p className="text-sm font-semibold uppercase tracking-wide text-brand-700">#NeverOK campaign</p>
        <h1 className="mt-1 text-3xl font-bold text-slate-900">Training impact report {report.label}</h1>
        <p className="mt-1 text-slate-700">
          Compared with {report.previousLabel}. {narrowed.length ? `Only ${narrowed.join("; ")}.` : "All courses and organisations."} Produced {producedOn}.
        </p>
      </header>
      <ReportBody report={report} />
    </article>
  );
}
