import { Link, useLocation } from "@remix-run/react";
import { pageHref, type PageWindow } from "#app/utils/paging.ts";

const link = "inline-flex min-h-11 items-center rounded-md bg-white px-3 font-semibold no-underline ring-1 ring-inset ring-slate-300 hover:bg-slate-50";

/**
 * "Showing 51–100 of 2,400 people · page 2 of 48" and Previous / Next links that keep the filters
 * (or go where `hrefFor` says, for lists whose address is built another way).
 */
export function Pager({
  page,
  noun,
  label = "Pages",
  param = "page",
  hrefFor,
  className = "",
}: {
  page: Pick<PageWindow, "first" | "last" | "total" | "current" | "pages">;
  noun: string;
  label?: string;
  param?: string;
  hrefFor?: (page: number) => string;
  className?: string;
}) {
  const { search } = useLocation();
  const href = hrefFor ?? ((n: number) => pageHref(search, n, param));
  return (
    <nav aria-label={label} className={`mt-4 flex flex-col gap-3 text-sm sm:flex-row sm:items-center sm:justify-between ${className}`}>
      <p className="text-slate-700">
        {page.total === 0
          ? `No ${noun}`
          : `Showing ${page.first.toLocaleString("en-GB")}–${page.last.toLocaleString("en-GB")} of ${page.total.toLocaleString("en-GB")} ${noun}`}
        {page.pages > 1 ? ` · page ${page.current} of ${page.pages.toLocaleString("en-GB")}` : ""}
      </p>
      {page.pages > 1 ? (
        <div className="flex gap-2">
          {page.current > 1 ? (
            <Link to={href(page.current - 1)} className={link} rel="prev">
              Previous<span className="sr-only"> page</span>
            </Link>
          ) : null}
          {page.current < page.pages ? (
            <Link to={href(page.current + 1)} className={link} rel="next">
              Next<span className="sr-only"> page</span>
            </Link>
          ) : null}
        </div>
      ) : null}
    </nav>
  );
}
