import { sql } from "kysely";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "./connection.ts";
import type { Db } from "./schema.ts";
import { writeTransaction } from "./transaction.ts";

// The test setup's migrated database, on a connection of this file's own.
let main: Db | undefined;
const db = () => (main ??= openDatabase(process.env.DATABASE_PATH!));
afterAll(async () => {
  await main?.destroy();
});
const opened: Db[] = [];
afterEach(async () => {
  while (opened.length) await opened.pop()!.destroy();
});

function secondConnection() {
  const other = openDatabase(process.env.DATABASE_PATH!);
  opened.push(other);
  return other;
}

const organisationsNamed = (conn: Db, name: string) => conn.selectFrom("organisations").select("id").where("name", "=", name).execute();

const insertOrganisation = (conn: Db, name: string) =>
  conn
    .insertInto("organisations")
    .values({
      name,
      kind: "department",
      contact_name: null,
      contact_email: null,
      contact_phone: null,
      notes: null,
      created_at: "2030-01-01T00:00:00.000Z",
      updated_at: "2030-01-01T00:00:00.000Z",
    })
    .execute();

const busyTimeout = async (conn: Db) => (await sql<{ timeout: number }>`pragma busy_timeout`.execute(conn)).rows[0]?.timeout;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("writeTransaction", () => {
  it("commits and returns what the function returns", async () => {
    const result = await writeTransaction(db(), async (trx) => {
      await insertOrganisation(trx, "Committed Department");
      return 42;
    });
    expect(result).toBe(42);
    expect(await organisationsNamed(db(), "Committed Department")).toHaveLength(1);
  });

  it("rolls every write back and rethrows the same error", async () => {
    const boom = new Error("rule broken");
    await expect(
      writeTransaction(db(), async (trx) => {
        await insertOrganisation(trx, "Rolled Back Department");
        await insertOrganisation(trx, "Rolled Back Club");
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(await organisationsNamed(db(), "Rolled Back Department")).toHaveLength(0);
    expect(await organisationsNamed(db(), "Rolled Back Club")).toHaveLength(0);
    // The connection is usable afterwards: not left inside a transaction.
    await writeTransaction(db(), (trx) => insertOrganisation(trx, "After The Rollback"));
    expect(await organisationsNamed(db(), "After The Rollback")).toHaveLength(1);
  });

  it("runs one at a time on one connection: the second reads what the first wrote", async () => {
    const order: string[] = [];
    const count = (trx: Db) => organisationsNamed(trx, "Serial Department").then((r) => r.length);
    const results = await Promise.all(
      [1, 2, 3].map((n) =>
        writeTransaction(db(), async (trx) => {
          order.push(`start ${n}`);
          const seen = await count(trx);
          await sleep(5);
          await insertOrganisation(trx, seen === 0 ? "Serial Department" : `Serial Department ${n}`);
          order.push(`end ${n}`);
          return seen;
        }),
      ),
    );
    expect(results).toEqual([0, 1, 1]);
    expect(order).toEqual(["start 1", "end 1", "start 2", "end 2", "start 3", "end 3"]);
  });

  it("holds across two connections to one file: the second waits, without blocking this process, then sees the first's rows", async () => {
    const other = secondConnection();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const events: string[] = [];
    const holder = writeTransaction(other, async (trx) => {
      await insertOrganisation(trx, "Held Department");
      events.push("holder wrote");
      await gate;
      events.push("holder commits");
    });
    await sleep(20);
    expect(events).toEqual(["holder wrote"]);

    const waiter = writeTransaction(db(), async (trx) => {
      events.push("waiter began");
      return (await organisationsNamed(trx, "Held Department")).length;
    });
    // This process keeps running (timers fire) while the waiter waits for the lock.
    const ticks = Date.now();
    await sleep(100);
    expect(Date.now() - ticks).toBeLessThan(1000);
    expect(events).toEqual(["holder wrote"]);

    release();
    await holder;
    expect(await waiter).toBe(1);
    expect(events).toEqual(["holder wrote", "holder commits", "waiter began"]);
    // The connection's own busy timeout is left as it was.
    expect(await busyTimeout(db())).toBe(5000);
  });

  it("gives up with SQLITE_BUSY once the busy timeout has passed", async () => {
    const holderConn = secondConnection();
    const impatient = secondConnection();
    await sql`pragma busy_timeout = 150`.execute(impatient);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const holder = writeTransaction(holderConn, async () => {
      await gate;
    });
    await sleep(20);
    const started = Date.now();
    const err = await writeTransaction(impatient, async () => "never").catch((e: unknown) => e);
    expect((err as { code?: string }).code).toBe("SQLITE_BUSY");
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(await busyTimeout(impatient)).toBe(150);
    release();
    await holder;
    expect(await writeTransaction(impatient, async () => "now")).toBe("now");
  });
});
