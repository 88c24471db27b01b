import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "#app/auth/guards.server.ts";
import { getDb } from "#app/db.server.ts";
import { tableCsv } from "#app/reports/export.ts";
import { compareInstitutions } from "#app/reports/institutions.server.ts";
import { contentDispositionHeader } from "#app/utils/content-disposition.server.ts";
import { resourceHeaders, secureResource } from "#app/utils/security-headers.server.ts";

/** The institutions compared, as on the page, as CSV; small numbers stay hidden. */
export const loader = secureResource(async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "read:impact-report");
  const comparison = await compareInstitutions(getDb(), new URL(request.url).searchParams);
  const file = tableCsv(comparison.table, comparison.scope.period.label);
  return new Response(file.body, {
    headers: resourceHeaders(request, {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": contentDispositionHeader(file.filename),
      "Cache-Control": "no-store",
    }),
  });
});
