import { sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../connection.ts";
import type { Db } from "../schema.ts";
import { isPostgresUrl } from "./postgres.ts";

// The test setup's migrated database; under `npm run test:pg` a PostgreSQL schema of this file's own.
const target = process.env.DATABASE_URL ?? process.env.DATABASE_PATH!;
let opened: Db | undefined;
const db = () => (opened ??= openDatabase(target));
afterAll(async () => {
  await opened?.destroy();
});

const at = "2030-01-01T00:00:00.000Z";
const organisation = (name: string) => ({
  name,
  kind: "department" as const,
  contact_name: null,
  contact_email: null,
  contact_phone: null,
  notes: null,
  created_at: at,
  updated_at: at,
});

describe.runIf(isPostgresUrl(target))("PostgreSQL as the app uses it", () => {
  it("returns counts, sums and averages as numbers, as SQLite does", async () => {
    await db()
      .insertInto("organisations")
      .values([organisation("Counted One"), organisation("Counted Two")])
      .execute();
    const row = await db()
      .selectFrom("organisations")
      .select((eb) => [eb.fn.countAll<number>().as("n"), eb.fn.sum<number>("id").as("total"), eb.fn.avg<number>("id").as("mean")])
      .where("name", "like", "Counted %")
      .executeTakeFirstOrThrow();
    expect(row.n).toBe(2);
    expect(typeof row.total).toBe("number");
    expect(typeof row.mean).toBe("number");
    // Flags and times keep the types of their columns: 0/1 integers and ISO-8601 text.
    const stored = await db().selectFrom("organisations").select(["is_archived", "created_at"]).where("name", "=", "Counted One").executeTakeFirstOrThrow();
    expect(stored).toEqual({ is_archived: 0, created_at: at });
  });

  it("takes a value holding U+0000 as SQLite does, without it, in writes, lookups and raw SQL alike", async () => {
    await db().insertInto("organisations").values(organisation("Nul\u0000 Department")).execute();
    expect(await db().selectFrom("organisations").select("name").where("name", "=", "Nul Department\u0000").execute()).toEqual([{ name: "Nul Department" }]);
    expect(await db().selectFrom("organisations").select("name").where("name", "in", ["Nul\u0000 Department", "x"]).execute()).toHaveLength(1);
    const raw = await sql<{ name: string }>`select name from organisations where name = ${"\u0000Nul Department"}`.execute(db());
    expect(raw.rows).toHaveLength(1);
  });
  it("introspects the connection's own schema alone, while other schemas in the database come and go", async () => {
    const other = `other_${process.pid}_${Date.now()}`;
    await sql`create schema ${sql.id(other)}`.execute(db());
    await sql`create table ${sql.id(other, "not_ours")} (id integer)`.execute(db());
    const names = (await db().introspection.getTables()).map((t) => t.name);
    expect(names).toContain("users");
    expect(names).not.toContain("not_ours");
    expect(new Set(names).size).toBe(names.length);
    // Another schema dropped and made again while the app reads its tables (a restore, another test run).
    const churn = (async () => {
      for (let i = 0; i < 15; i++) {
        await sql`drop schema ${sql.id(other)} cascade`.execute(db());
        await sql`create schema ${sql.id(other)}`.execute(db());
        await sql`create table ${sql.id(other, "not_ours")} (id integer)`.execute(db());
      }
    })();
    const reads = await Promise.all([churn, ...Array.from({ length: 15 }, () => db().introspection.getTables())]);
    for (const read of reads.slice(1)) expect(read!.map((t) => t.name)).toEqual(names);
    await sql`drop schema ${sql.id(other)} cascade`.execute(db());
  });
});
