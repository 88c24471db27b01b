/** At most this many values in one statement: well within every database's limit on bound values. */
const VALUES_PER_STATEMENT = 200;

/**
 * Runs `read` over `items` a chunk at a time, so that a query's list of values (an `in` list, a
 * multi-row insert) stays within what the database takes; the results, in order.
 */
export async function inChunks<T, R>(items: readonly T[], read: (chunk: T[]) => Promise<R[]>, size = VALUES_PER_STATEMENT): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await read(items.slice(i, i + size))));
  return out;
}
