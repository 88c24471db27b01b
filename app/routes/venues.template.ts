import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "#app/auth/guards.server.ts";
import { contentDispositionHeader } from "#app/utils/content-disposition.server.ts";
import { resourceHeaders, secureResource } from "#app/utils/security-headers.server.ts";
import { STAFF_TEMPLATE_CSV } from "#app/venues/staff-import.server.ts";

/** The staff list template: the headings the import reads and two example rows. */
export const loader = secureResource(async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ["coordinator", "booker"]);
  return new Response(STAFF_TEMPLATE_CSV, {
    headers: resourceHeaders(request, {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": contentDispositionHeader("staff-list-template.csv"),
      "Cache-Control": "no-store",
    }),
  });
});
