/**
 * The one check on a return address taken from a request (sign-in's redirectTo, the second-factor
 * pages). Only a path on this site passes, returned in its normalised, percent-encoded form, so the
 * Location header can never carry a line break, another host or a scheme. Anything else becomes the
 * fallback.
 *
 * Refused: anything not starting with one "/", control characters and backslashes anywhere (browsers
 * read "\" as "/" and drop tabs and line breaks), the same after percent-decoding (a proxy or a later
 * redirect may decode "%2F" or "%5C"), and a path that resolves to "//host" once dot segments are
 * removed ("/..//host", "/.%2e//host").
 */
const BASE = "http://return-address.invalid";
const MAX_LENGTH = 2000;
// C0 and C1 control characters, DEL, backslash, and the invisible characters that change how a URL reads.
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\\\u00a0\u1680\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff]/;

function looksLikeAnotherSite(path: string): boolean {
  return !path.startsWith("/") || path.startsWith("//") || FORBIDDEN.test(path);
}

export function safeRedirect(to: unknown, fallback = "/"): string {
  if (typeof to !== "string" || to === "" || to.length > MAX_LENGTH) return fallback;
  if (looksLikeAnotherSite(to)) return fallback;
  // Every decoding of it must be as harmless as the address itself.
  let decoded = to;
  for (let i = 0; i < 3 && decoded.includes("%"); i++) {
    try {
      decoded = decodeURIComponent(decoded);
    } catch {
      return fallback;
    }
    if (looksLikeAnotherSite(decoded)) return fallback;
  }
  let url: URL;
  try {
    url = new URL(to, BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== BASE) return fallback;
  const normalised = `${url.pathname}${url.search}${url.hash}`;
  if (looksLikeAnotherSite(normalised)) return fallback;
  return normalised;
}
