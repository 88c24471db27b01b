import type { ReactNode } from "react";

/**
 * A table that scrolls sideways on a phone instead of squashing its columns. The scrolling box can
 * take focus, so it can be scrolled with the keyboard too.
 */
export function DataTable({ caption, head, children, bodyClassName = "" }: { caption: string; head: ReactNode; children: ReactNode; bodyClassName?: string }) {
  return (
    <div
      role="region"
      aria-label={caption}
      tabIndex={0}
      className="overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-700"
    >
      <table className="min-w-full divide-y divide-slate-200 text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-50 text-xs font-semibold uppercase tracking-wide text-slate-700">
          <tr>{head}</tr>
        </thead>
        <tbody className={`divide-y divide-slate-100 ${bodyClassName}`}>{children}</tbody>
      </table>
    </div>
  );
}

export function Th({ children, className = "" }: { children?: ReactNode; className?: string }) {
  return (
    <th scope="col" className={`px-4 py-3 ${className}`}>
      {children}
    </th>
  );
}

export function Td({ children, className = "" }: { children?: ReactNode; className?: string }) {
  return <td className={`px-4 py-3 align-top text-slate-800 ${className}`}>{children}</td>;
}

/**
 * For a long table: the look of `Td` given once, on the body, so that each of hundreds of cells is a
 * bare `<td>` (with only what differs) rather than repeating it.
 */
export const CELLS = "[&>tr>td]:px-4 [&>tr>td]:py-3 [&>tr>td]:align-top [&>tr>td]:text-slate-800";
