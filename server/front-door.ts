import type { NextFunction, Request as ExpressRequest, Response as ExpressResponse } from "express";
import { CROSS_SITE_MESSAGE, isCrossSiteRequest } from "#app/auth/csrf.server.ts";
import { MAX_REQUEST_BODY_BYTES } from "#app/utils/request-body.server.ts";
import { baseSecurityHeaders, PAGE_CSP } from "./security-headers.ts";

/**
 * Checks made before Remix sees a request, for requests Remix itself would answer with a server
 * error (or not at all): a path it cannot decode, a Host it cannot build a URL from, a method its
 * Request cannot carry, a forged Origin (Remix's own check throws, which is a bare 500), a body
 * larger than any form takes. Each gets a small, clear page with a 4xx status instead.
 */

/** Methods a browser's form or a script of ours sends; the rest (TRACE, CONNECT, WebDAV's) are refused. */
const ALLOWED_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

type Refusal = { status: number; title: string; message: string; headers?: Record<string, string> };

export const REFUSALS = {
  badAddress: {
    status: 400,
    title: "This address is not valid",
    message: "Part of the address could not be read. If you followed a link from an email, copy the whole link from the email into the address bar.",
  },
  badMethod: {
    status: 405,
    title: "This request is not supported",
    message: "This site only takes pages and forms sent by a web browser.",
    headers: { Allow: "GET, HEAD, POST" },
  },
  tooLarge: {
    status: 413,
    title: "What was sent is too large",
    message:
      "It is larger than anything this site accepts, so it was not read and nothing was saved. If you were uploading a file, split it into smaller files.",
  },
  crossSite: { status: 403, title: "This request was refused", message: CROSS_SITE_MESSAGE },
} satisfies Record<string, Refusal>;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A page that stands on its own: no scripts, no stylesheet to fetch, readable on a phone. */
export function refusalPage(r: Refusal): string {
  return `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(r.title)} · NeverOK Training</title>
<style>
body{font-family:system-ui,sans-serif;margin:0;padding:3rem 1rem;color:#0f172a;background:#f8fafc;line-height:1.5}
main{max-width:36rem;margin:0 auto;text-align:center}
p.code{font-size:.875rem;font-weight:600;color:#6d28d9}
h1{font-size:1.875rem;margin:.5rem 0 0}
a{display:inline-block;margin-top:2rem;padding:.625rem 1rem;border-radius:.375rem;background:#6d28d9;color:#fff;font-weight:600;text-decoration:none}
a:focus-visible{outline:3px solid #0f172a;outline-offset:2px}
</style>
</head>
<body>
<main>
<p class="code">Error ${r.status}</p>
<h1>${escapeHtml(r.title)}</h1>
<p>${escapeHtml(r.message)}</p>
<a href="/">Go to your home page</a>
</main>
</body>
</html>
`;
}

export function sendRefusal(res: ExpressResponse, r: Refusal): void {
  res.status(r.status);
  res.set({ ...baseSecurityHeaders(), "Content-Security-Policy": PAGE_CSP, "Cache-Control": "no-store", ...r.headers });
  res.type("html").send(refusalPage(r));
}

/**
 * The address Remix will be given, built as @remix-run/express builds it (req.hostname and
 * req.protocol follow the "trust proxy" setting); null when it is not a valid URL.
 */
export function remixUrl(req: ExpressRequest): URL | null {
  const forwardedPort = req.get("X-Forwarded-Host")?.split(":")[1];
  const hostPort = req.get("Host")?.split(":")[1];
  const port = [forwardedPort, hostPort].map((p) => Number.parseInt(p ?? "", 10)).find(Number.isSafeInteger);
  try {
    return new URL(`${req.protocol}://${req.hostname}${port ? `:${port}` : ""}${req.originalUrl}`);
  } catch {
    return null;
  }
}

/** A path whose percent escapes do not decode (a bad `%`, or bytes that are not UTF-8). */
function hasBadEscape(url: string): boolean {
  try {
    decodeURIComponent(url.split("?")[0]!);
    return false;
  } catch {
    return true;
  }
}

/**
 * Remix's own check before an action (throwIfPotentialCSRFAttack): an Origin whose host is not the
 * X-Forwarded-Host (or else the Host) makes it throw, and an Origin it cannot parse makes `new URL`
 * throw. Either way the answer would be a 500.
 */
function remixWouldRefuse(headers: Headers): boolean {
  const origin = headers.get("Origin");
  if (!origin) return false;
  let originHost: string;
  if (origin === "null") originHost = origin;
  else {
    try {
      originHost = new URL(origin).host;
    } catch {
      return true;
    }
  }
  const host = headers.get("X-Forwarded-Host")?.split(",")[0]?.trim() || headers.get("Host");
  return !host || originHost !== host;
}

function headersOf(req: ExpressRequest): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  return headers;
}

export function frontDoor(options: { maxBodyBytes?: number } = {}) {
  const maxBodyBytes = options.maxBodyBytes ?? MAX_REQUEST_BODY_BYTES;
  return (req: ExpressRequest, res: ExpressResponse, next: NextFunction) => {
    if (!ALLOWED_METHODS.has(req.method)) return sendRefusal(res, REFUSALS.badMethod);
    if (hasBadEscape(req.originalUrl)) return sendRefusal(res, REFUSALS.badAddress);
    const url = remixUrl(req);
    if (!url) return sendRefusal(res, REFUSALS.badAddress);
    const declared = req.get("Content-Length");
    if (declared !== undefined && Number(declared) > maxBodyBytes) return sendRefusal(res, REFUSALS.tooLarge);
    if (!SAFE_METHODS.has(req.method)) {
      const headers = headersOf(req);
      if (isCrossSiteRequest({ method: req.method, url: url.href, headers }) || remixWouldRefuse(headers)) {
        return sendRefusal(res, REFUSALS.crossSite);
      }
    }
    next();
  };
}
