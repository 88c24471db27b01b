import { createHash } from "node:crypto";
import { contentDispositionHeader } from "#app/utils/content-disposition.server.ts";
import { resourceHeaders } from "#app/utils/security-headers.server.ts";

/**
 * How a subscribed feed may be kept: by the calendar that subscribed (it keeps the events anyway),
 * checked with its ETag every time so a changed or revoked feed is seen at once, and never by a
 * shared cache. `no-transform` keeps compression off it, so the strong ETag names the bytes sent.
 */
export const FEED_CACHE_CONTROL = "private, no-cache, no-transform";

/** A strong validator: the same calendar text always gives the same ETag, any change another. */
export function strongEtag(body: string): string {
  return `"${createHash("sha256").update(body, "utf8").digest("base64url")}"`;
}

/** Whether an If-None-Match header names this ETag (or any, with "*"). RFC 9110 compares weakly here. */
export function ifNoneMatchHits(header: string | null, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === "*") return true;
  return header.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag);
}

/**
 * A calendar (a trainer's feed, a session's download) with its ETag: a client that already holds
 * this exact text gets 304 Not Modified and no body.
 */
export function calendarResponse(
  request: Request,
  ics: string,
  opts: { filename: string; disposition: "inline" | "attachment"; cacheControl: string; headers?: Record<string, string> },
): Response {
  const etag = strongEtag(ics);
  const common = { ...opts.headers, "Cache-Control": opts.cacheControl, ETag: etag };
  if (ifNoneMatchHits(request.headers.get("If-None-Match"), etag)) {
    return new Response(null, { status: 304, headers: resourceHeaders(request, common) });
  }
  return new Response(ics, {
    headers: resourceHeaders(request, {
      ...common,
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": contentDispositionHeader(opts.filename, opts.disposition),
    }),
  });
}
