import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "#app/auth/guards.server.ts";
import { getDb } from "#app/db.server.ts";
import { impactCsv } from "#app/reports/export.ts";
import { loadImpactReport } from "#app/reports/impact-page.server.ts";
import { resourceHeaders, secureResource } from "#app/utils/security-headers.server.ts";
import { contentDispositionHeader } from "#app/utils/content-disposition.server.ts";

/** One table of the report, or all of them, as CSV a spreadsheet opens cleanly. */
export const loader = secureResource(async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "read:impact-report");
  const params = new URL(request.url).searchParams;
  const page = await loadImpactReport(getDb(), params);
  const file = impactCsv(page.report, params.get("table") ?? "all");
  if (!file) throw new Response("There is no such table in the report.", { status: 404 });
  return new Response(file.body, {
    headers: resourceHeaders(request, {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": contentDispositionHeader(file.filename),
      "Cache-Control": "no-store",
    }),
  });
});
