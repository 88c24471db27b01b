import { randomBytes } from "node:crypto";
import { SESSION_COOKIE } from "#app/auth/session.server.ts";

/**
 * Response headers that every answer carries: a Content-Security-Policy with a per-request nonce for
 * documents, no framing, no sniffing, a careful referrer, and no caching of anything personal.
 */

const isProduction = () => process.env.NODE_ENV === "production";

/** 128 random bits, base64: fresh for every document. */
export function createNonce(): string {
  return randomBytes(16).toString("base64");
}

/**
 * Pages whose address carries a secret token (emailed links, the calendar feed): the address must never
 * reach another site in a Referer header and the page must never be kept in a cache.
 */
const TOKEN_PATHS = [/^\/set-password\//, /^\/registrations\//, /^\/feedback\//, /^\/leaders\/access\/./, /^\/feeds\//];

export function isTokenPath(pathname: string): boolean {
  return TOKEN_PATHS.some((re) => re.test(pathname));
}

function hasSessionCookie(request: Request): boolean {
  const cookie = request.headers.get("Cookie") ?? "";
  return cookie.split(";").some((part) => part.trim().startsWith(`${SESSION_COOKIE}=`));
}

export function contentSecurityPolicy(nonce: string, opts: { production?: boolean } = {}): string {
  const production = opts.production ?? isProduction();
  const directives: Record<string, string> = {
    "default-src": "'self'",
    // The Vite dev server injects its own inline module scripts and talks over a WebSocket; a nonce
    // would make browsers ignore 'unsafe-inline', so development goes without one.
    "script-src": production ? `'self' 'nonce-${nonce}'` : "'self' 'unsafe-inline' 'unsafe-eval'",
    // React style attributes (colour dots, progress bars) and the emails shown in the outbox need inline styles.
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": production ? "'self'" : "'self' ws: wss:",
    // The outbox shows an email in a sandboxed srcdoc frame, which is same-origin content.
    "frame-src": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "base-uri": "'none'",
    "object-src": "'none'",
  };
  return Object.entries(directives)
    .map(([k, v]) => `${k} ${v}`)
    .join("; ");
}

/** For answers that are not HTML documents (downloads, feeds, data): nothing in them may run. */
const NON_DOCUMENT_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; sandbox";

type Kind = "document" | "data" | "resource";

/**
 * Sets the security headers on `headers` in place. A route's own Referrer-Policy is kept when stricter;
 * token pages always get `no-referrer`; signed-in and token answers are never stored by a cache.
 */
export function applySecurityHeaders(headers: Headers, request: Request, opts: { kind: Kind; nonce?: string }): Headers {
  const { pathname } = new URL(request.url);
  const token = isTokenPath(pathname);

  if (opts.kind === "document") {
    headers.set("Content-Security-Policy", contentSecurityPolicy(opts.nonce ?? createNonce()));
  } else if (!headers.has("Content-Security-Policy")) {
    headers.set("Content-Security-Policy", NON_DOCUMENT_CSP);
  }
  headers.set("X-Content-Type-Options", "nosniff");
  headers.set("X-Frame-Options", "DENY");
  if (token) headers.set("Referrer-Policy", "no-referrer");
  else if (headers.get("Referrer-Policy") !== "no-referrer") headers.set("Referrer-Policy", "strict-origin-when-cross-origin");
  if (isProduction()) headers.set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");

  if (token || hasSessionCookie(request)) {
    // A calendar feed that says it may be kept, checked each time (FEED_CACHE_CONTROL), keeps that: the
    // calendar that subscribed holds its events anyway, and its ETag spares fetching them again.
    if (!(/^\/feeds\//.test(pathname) && /^private, no-cache\b/.test(headers.get("Cache-Control") ?? ""))) headers.set("Cache-Control", "no-store");
  } else if (!headers.has("Cache-Control")) {
    // Public pages (the open-session listing, sign-in): a browser may keep them but must check first.
    headers.set("Cache-Control", "private, no-cache");
  }
  return headers;
}

/** Headers for a resource route's own Response (downloads, feeds), merged with the route's own. */
export function resourceHeaders(request: Request, own: Record<string, string>): Headers {
  return applySecurityHeaders(new Headers(own), request, { kind: "resource" });
}

type DataWithInit = { type: "DataWithResponseInit"; data: unknown; init: ResponseInit | null };
const isDataWithInit = (v: unknown): v is DataWithInit =>
  typeof v === "object" && v !== null && (v as { type?: unknown }).type === "DataWithResponseInit" && "data" in v;

/** A copy of the response with the security headers, for answers whose headers may not be writable. */
function secured(response: Response, request: Request): Response {
  const headers = applySecurityHeaders(new Headers(response.headers), request, { kind: "resource" });
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/**
 * Remix sends a resource route's Response (and whatever its loader or action throws: a guard's 403, a sign-in
 * redirect, a 404) straight out, past entry.server. Wrapping the loader and action gives every one of those
 * answers the same headers as pages. A guard's `data({ message }, { status })` becomes a plain-text
 * answer with that status, readable when a download link is opened in a tab.
 */
export function secureResource<Args extends { request: Request }>(load: (args: Args) => Response | Promise<Response>) {
  return async (args: Args): Promise<Response> => {
    let response: Response;
    try {
      response = await load(args);
    } catch (thrown) {
      if (thrown instanceof Response) throw secured(thrown, args.request);
      if (isDataWithInit(thrown)) {
        const message = (thrown.data as { message?: unknown } | null)?.message;
        const headers = new Headers(thrown.init?.headers);
        headers.set("Content-Type", "text/plain; charset=utf-8");
        throw secured(new Response(typeof message === "string" ? message : "", { status: thrown.init?.status ?? 500, headers }), args.request);
      }
      throw thrown;
    }
    return secured(response, args.request);
  };
}
