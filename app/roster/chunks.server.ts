/** At most this many ids in one statement: well within every database's limit on bound values. */
const IDS_PER_STATEMENT = 200;

/** Rows for a list of ids, a statement for each few hundred. */
export async function inChunks<T>(ids: readonly number[], read: (ids: readonly number[]) => Promise<T[]>): Promise<T[]> {
  if (!ids.length) return [];
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += IDS_PER_STATEMENT) out.push(...(await read(ids.slice(i, i + IDS_PER_STATEMENT))));
  return out;
}
