import type { LoaderFunctionArgs } from "@remix-run/node";
import { calendarResponse, FEED_CACHE_CONTROL } from "#app/calendar/calendar-response.server.ts";
import { getDb } from "#app/db.server.ts";
import { feedForToken } from "#app/trainers/trainers.server.ts";
import { resourceHeaders, secureResource } from "#app/utils/security-headers.server.ts";

const headers = { "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex" };

/**
 * A trainer's calendar feed. Calendar apps have no session cookie: the long random token in the
 * address is the credential, so a wrong, replaced or revoked token gets the same plain 404. A
 * calendar that already holds the current feed is told so (304) by its ETag.
 */
export const loader = secureResource(async function loader({ request, params }: LoaderFunctionArgs) {
  const calendar = await feedForToken(getDb(), params.token ?? "");
  if (!calendar) {
    return new Response("This calendar feed link does not work any more. Make a new one in NeverOK Training.", {
      status: 404,
      headers: resourceHeaders(request, { ...headers, "Cache-Control": "no-store", "Content-Type": "text/plain; charset=utf-8" }),
    });
  }
  return calendarResponse(request, calendar, { filename: "neverok-training.ics", disposition: "inline", cacheControl: FEED_CACHE_CONTROL, headers });
});
