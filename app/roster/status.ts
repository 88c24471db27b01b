/** The worst of some statuses, by a severity where lower is worse; `none` when there are none. */
export function worstOf<S extends string>(statuses: Iterable<S>, severity: Readonly<Record<S, number>>, none: S): S {
  let worst: S | null = null;
  for (const s of statuses) if (worst === null || severity[s] < severity[worst]) worst = s;
  return worst ?? none;
}

/** A share as a percentage, 0–100 with one decimal; null of nobody. */
export function percentOf(part: number, whole: number): number | null {
  return whole ? Math.round((part / whole) * 1000) / 10 : null;
}
