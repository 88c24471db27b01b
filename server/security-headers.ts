/**
 * Headers for what the server answers itself: static files and its own refusal pages. The pages
 * Remix renders get theirs from app/utils/security-headers.server.ts; these are the same values.
 */

/** Nothing in a static file or a download may run or be framed, even when opened on its own (an SVG). */
export const STATIC_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; sandbox";

/** The server's own small pages: inline styles only, no scripts, no forms. */
export const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export function baseSecurityHeaders(production = process.env.NODE_ENV === "production"): Record<string, string> {
  return {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    ...(production ? { "Strict-Transport-Security": "max-age=31536000; includeSubDomains" } : {}),
  };
}
