import type { HeadersFunction } from "@remix-run/node";

/**
 * For a page whose address carries a secret (an emailed link, the feedback QR code): the address
 * must never reach another site in a Referer header, the page must never be kept in a cache, and
 * no search engine may list it. Sent with every answer the page gives, refusals included.
 */
export const TOKEN_PAGE_HEADERS = {
  "Cache-Control": "no-store",
  "Referrer-Policy": "no-referrer",
  "X-Robots-Tag": "noindex",
};

export const tokenPageHeaders: HeadersFunction = () => TOKEN_PAGE_HEADERS;

/** The page's title, and the same two rules again for browsers and robots that read only the page. */
export function tokenPageMeta(title: string) {
  return [{ title }, { name: "referrer", content: "no-referrer" }, { name: "robots", content: "noindex" }];
}
