import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "#app/auth/guards.server.ts";
import { complianceForYear } from "#app/compliance/roster.server.ts";
import { complianceFilter, parseDashboardQuery } from "#app/compliance/dashboard.ts";
import { chooseLeaderYear } from "#app/compliance/dashboard.server.ts";
import { complianceCsv } from "#app/compliance/export.ts";
import { getDb } from "#app/db.server.ts";
import { fileSlug } from "#app/utils/csv.ts";
import { resourceHeaders, secureResource } from "#app/utils/security-headers.server.ts";
import { contentDispositionHeader } from "#app/utils/content-disposition.server.ts";

/** The dashboard's current view (same query string, every page of it) as a spreadsheet. */
export const loader = secureResource(async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "manage:leaders");
  const query = parseDashboardQuery(new URL(request.url).searchParams);
  const db = getDb();
  const { year } = await chooseLeaderYear(db, query.year);
  if (!year) throw new Response("There is no roster to download yet.", { status: 404 });
  const report = await complianceForYear(db, year.startYear, { filters: complianceFilter(query) });
  const name = ["leader-training", year.label, query.group, query.status?.replace("_", "-")]
    .filter(Boolean)
    .map((p) => fileSlug(p!))
    .join("-");
  return new Response(complianceCsv(report.rows), {
    headers: resourceHeaders(request, {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": contentDispositionHeader(`${name}.csv`),
      "Cache-Control": "no-store",
    }),
  });
});
