import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { openDatabase, sqliteHandleOf, STATEMENT_CACHE_SIZE } from "./connection.ts";

async function scratch() {
  const db = openDatabase(":memory:");
  await sql`create table t (id integer primary key, name text not null)`.execute(db);
  return db;
}

describe("prepared statements", () => {
  it("prepares a query's SQL once and gives each run its own values", async () => {
    const db = await scratch();
    const raw = sqliteHandleOf(db);
    const prepared: string[] = [];
    const original = raw.prepare.bind(raw);
    raw.prepare = ((source: string) => {
      prepared.push(source);
      return original(source);
    }) as typeof raw.prepare;
    for (const name of ["Ada", "Ben", "Cai"])
      await db
        .insertInto("t" as never)
        .values({ name } as never)
        .execute();
    const names: string[] = [];
    for (const id of [1, 2, 3, 1]) {
      const row = await db
        .selectFrom("t" as never)
        .select("name" as never)
        .where("id" as never, "=", id as never)
        .executeTakeFirst();
      names.push((row as { name: string }).name);
    }
    expect(names).toEqual(["Ada", "Ben", "Cai", "Ada"]);
    expect(prepared.filter((s) => s.startsWith("insert"))).toHaveLength(1);
    expect(prepared.filter((s) => s.startsWith("select"))).toHaveLength(1);
    await db.destroy();
  });

  it("keeps working past the cache's size, and in a transaction, and when streaming", async () => {
    const db = await scratch();
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < 3; i++)
        await trx
          .insertInto("t" as never)
          .values({ name: `n${i}` } as never)
          .execute();
    });
    // More distinct statements than the cache holds: each still answers correctly.
    for (let i = 0; i < STATEMENT_CACHE_SIZE + 50; i++) {
      const row = await sql<{ v: number }>`select ${sql.lit(i)} as v`.execute(db);
      expect(row.rows[0]!.v).toBe(i);
    }
    const streamed: string[] = [];
    for await (const row of db
      .selectFrom("t" as never)
      .select("name" as never)
      .orderBy("id" as never)
      .stream())
      streamed.push((row as { name: string }).name);
    expect(streamed).toEqual(["n0", "n1", "n2"]);
    // The same statement again after streaming: it is free to run.
    const again = await db
      .selectFrom("t" as never)
      .select("name" as never)
      .orderBy("id" as never)
      .execute();
    expect(again).toHaveLength(3);
    await db.destroy();
  });
});
