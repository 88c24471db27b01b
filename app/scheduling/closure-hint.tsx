/** The days ahead the university is closed, as a person reads them: "Christmas closure, 24 December 2026 – 1 January 2027". */
export type UpcomingClosure = { name: string; when: string };

/**
 * Beside a date a person picks: which days cannot be chosen, folded away so the form stays short.
 * The server refuses them whatever is picked; this saves a wasted try.
 */
export function ClosureHint({ closures, className = "" }: { closures: UpcomingClosure[]; className?: string }) {
  if (closures.length === 0) return null;
  return (
    <details className={`rounded-md bg-slate-50 p-3 text-sm ring-1 ring-slate-200 ${className}`}>
      <summary className="min-h-6 cursor-pointer font-semibold text-slate-900">The university is closed on bank holidays and these days</summary>
      <ul className="mt-2 space-y-1 text-slate-800">
        {closures.map((c) => (
          <li key={`${c.name}-${c.when}`}>
            <span className="font-medium">{c.when}</span>: {c.name}
          </li>
        ))}
      </ul>
    </details>
  );
}
