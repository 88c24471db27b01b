import type { Kysely } from "kysely";
import type { Database } from "#db/schema.ts";

/** How many rows a table holds, for checking that a refused change wrote nothing. */
export async function rowCount(db: Kysely<Database>, table: keyof Database): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
