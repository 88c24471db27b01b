import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "#app/db.server.ts";
import { feedForToken } from "#app/trainers/trainers.server.ts";
import { resourceHeaders, secureResource } from "#app/utils/security-headers.server.ts";
import { contentDispositionHeader } from "#app/utils/content-disposition.server.ts";

/**
 * A trainer's calendar feed. Calendar apps have no session cookie: the long random token in the
 * address is the credential, so a wrong, replaced or revoked token gets the same plain 404.
 */
export const loader = secureResource(async function loader({ request, params }: LoaderFunctionArgs) {
  const calendar = await feedForToken(getDb(), params.token ?? "");
  const headers = { "Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex" };
  if (!calendar) {
    return new Response("This calendar feed link does not work any more. Make a new one in NeverOK Training.", {
      status: 404,
      headers: resourceHeaders(request, { ...headers, "Content-Type": "text/plain; charset=utf-8" }),
    });
  }
  return new Response(calendar, {
    headers: resourceHeaders(request, {
      ...headers,
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": contentDispositionHeader("neverok-training.ics", "inline"),
    }),
  });
});
