import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "#app/auth/guards.server.ts";
import { ROSTER_TEMPLATE_CSV } from "#app/compliance/roster-import.server.ts";
import { resourceHeaders, secureResource } from "#app/utils/security-headers.server.ts";
import { contentDispositionHeader } from "#app/utils/content-disposition.server.ts";

/** The roster template: the headings the import reads and three example rows. */
export const loader = secureResource(async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "manage:leaders");
  return new Response(ROSTER_TEMPLATE_CSV, {
    headers: resourceHeaders(request, {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": contentDispositionHeader("leader-roster-template.csv"),
      "Cache-Control": "no-store",
    }),
  });
});
