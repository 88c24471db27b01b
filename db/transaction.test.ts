import { sql } from "kysely";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
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

const nextTurnOfTheEventLoop = () => new Promise((resolve) => setImmediate(resolve));

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
          await nextTurnOfTheEventLoop();
          await insertOrganisation(trx, seen === 0 ? "Serial Department" : `Serial Department ${n}`);
          order.push(`end ${n}`);
          return seen;
        }),
      ),
    );
    expect(results).toEqual([0, 1, 1]);
    expect(order).toEqual(["start 1", "end 1", "start 2", "end 2", "start 3", "end 3"]);
  });

  describe("across two connections to one file", () => {
    // The waits below run on this process's timers, faked, so the tests move time on instead of waiting for it.
    beforeEach(() => {
      vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    });
    afterEach(() => {
      vi.useRealTimers();
    });

    /** A write transaction on its own connection that holds the lock until released. */
    async function holdTheLock(conn: Db, name: string, events: string[] = []) {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let began!: () => void;
      const holding = new Promise<void>((resolve) => (began = resolve));
      const done = writeTransaction(conn, async (trx) => {
        await insertOrganisation(trx, name);
        events.push("holder wrote");
        began();
        await gate;
        events.push("holder commits");
      });
      await holding;
      return async () => {
        release();
        await done;
      };
    }

    it("the second waits, without blocking this process, then sees the first's rows", async () => {
      const events: string[] = [];
      const release = await holdTheLock(secondConnection(), "Held Department", events);
      const waiter = writeTransaction(db(), async (trx) => {
        events.push("waiter began");
        return (await organisationsNamed(trx, "Held Department")).length;
      });
      // Timers keep firing in this process while the waiter waits: it is not stuck in SQLite's own
      // busy wait, which would stall the process and so the holder too, until the wait gave up.
      await vi.advanceTimersByTimeAsync(1000);
      expect(events).toEqual(["holder wrote"]);

      await release();
      await vi.advanceTimersByTimeAsync(100);
      expect(await waiter).toBe(1);
      expect(events).toEqual(["holder wrote", "holder commits", "waiter began"]);
      // The connection's own busy timeout is left as it was.
      expect(await busyTimeout(db())).toBe(5000);
    });

    it("gives up with SQLITE_BUSY once the busy timeout has passed, and not before", async () => {
      const impatient = secondConnection();
      await sql`pragma busy_timeout = 150`.execute(impatient);
      const release = await holdTheLock(secondConnection(), "Held Too Long Department");
      let outcome: unknown = "still waiting";
      void writeTransaction(impatient, async () => "never").then(
        (value) => (outcome = value),
        (err: unknown) => (outcome = err),
      );
      await vi.advanceTimersByTimeAsync(140);
      expect(outcome).toBe("still waiting");
      await vi.advanceTimersByTimeAsync(100);
      expect((outcome as { code?: string }).code).toBe("SQLITE_BUSY");
      expect(await busyTimeout(impatient)).toBe(150);
      await release();
      expect(await writeTransaction(impatient, async () => "now")).toBe("now");
    });
  });
});
