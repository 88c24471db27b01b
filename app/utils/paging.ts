import { z } from "zod";

/** Lists a person reads through: one page of this many rows at a time. */
export const PAGE_SIZE = 50;

/** `?page=N` from the address; anything unreadable is the first page. */
export const PageParam = z.coerce.number().int().positive().max(100_000).catch(1).default(1);

/** Which rows a page shows, clamped to the pages there are: "Showing 51–100 of 2,400". */
export function pageWindow(total: number, page: number, size = PAGE_SIZE) {
  const pages = Math.max(1, Math.ceil(total / size));
  const current = Math.min(Math.max(1, page), pages);
  const first = total === 0 ? 0 : (current - 1) * size + 1;
  const last = Math.min(total, current * size);
  return { total, pages, current, first, last, offset: (current - 1) * size, size };
}

export type PageWindow = ReturnType<typeof pageWindow>;

/** The address of another page of a list, keeping the filters in the query string. */
export function pageHref(search: URLSearchParams | string, page: number, param = "page"): string {
  const params = new URLSearchParams(search);
  if (page <= 1) params.delete(param);
  else params.set(param, String(page));
  const query = params.toString();
  return query ? `?${query}` : "?";
}
