import { data } from "@remix-run/node";
import { getEnv } from "#app/utils/env.server.ts";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** What a refused cross-site request is told, here and by the production server's front door. */
export const CROSS_SITE_MESSAGE = "This request came from another website, so it was refused. Please use the form on this site.";

/**
 * Refuses a state-changing request that a browser tells us came from another site.
 * Sec-Fetch-Site is checked first; browsers that do not send it are checked by Origin.
 */
export function isCrossSiteRequest(request: Pick<Request, "method" | "url" | "headers">): boolean {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return false;
  const site = request.headers.get("Sec-Fetch-Site");
  if (site) return site !== "same-origin";
  const origin = request.headers.get("Origin");
  if (!origin) return false;
  if (origin === "null") return true;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return true;
  }
  const allowed = new Set([new URL(request.url).host, new URL(getEnv().APP_URL).host]);
  const forwarded = request.headers.get("X-Forwarded-Host");
  if (forwarded) allowed.add(forwarded);
  return !allowed.has(originHost);
}

export function assertSameOrigin(request: Request): void {
  if (isCrossSiteRequest(request)) {
    throw data({ message: CROSS_SITE_MESSAGE }, { status: 403 });
  }
}
