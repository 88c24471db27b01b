import type { Insertable, Kysely } from "kysely";
import type { Database } from "#db/schema.ts";

/** Many rows per statement, in chunks that stay under SQLite's limit on bound values; nothing for none. */
export async function insertMany<T extends keyof Database>(db: Kysely<Database>, table: T, rows: Insertable<Database[T]>[]) {
  if (!rows.length) return;
  const perRow = Object.keys(rows[0]!).length;
  const size = Math.max(1, Math.floor(30_000 / perRow));
  for (let i = 0; i < rows.length; i += size) {
    await db
      .insertInto(table)
      .values(rows.slice(i, i + size))
      .execute();
  }
}
