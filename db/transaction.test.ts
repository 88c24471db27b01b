import { sql } from "kysely";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { openDatabase } from "./connection.ts";
import type { Db } from "./schema.ts";
import { isPostgresUrl } from "./dialects/postgres.ts";
import { WRITE_ATTEMPTS, WriteConflict, writeTransaction } from "./transaction.ts";

// The test setup's migrated database, on a connection of this file's own.
const target = process.env.DATABASE_URL ?? process.env.DATABASE_PATH!;
const onPostgres = isPostgresUrl(target);
let main: Db | undefined;
const db = () => (main ??= openDatabase(target));
afterAll(async () => {
  await main?.destroy();
});
const opened: Db[] = [];
afterEach(async () => {
  while (opened.length) await opened.pop()!.destroy();
});

function secondConnection() {
  const other = openDatabase(target);
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
    expect([...results].sort()).toEqual([0, 1, 1]);
    // Each runs whole before the next starts (on PostgreSQL's pool, in whichever order they got a connection).
    expect(order.map((step, i) => (i % 2 ? step.replace("end", "start") === order[i - 1] : step.startsWith("start"))).every(Boolean)).toBe(true);
    expect(order).toHaveLength(6);
  });

  describe.skipIf(onPostgres)("across two connections to one SQLite file", () => {
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

  describe.runIf(onPostgres)("on PostgreSQL", () => {
    const clash = () => Object.assign(new Error("could not serialize access due to read/write dependencies among transactions"), { code: "40001" });

    it("the second waits for the first to commit, then sees its rows", async () => {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let began!: () => void;
      const holding = new Promise<void>((resolve) => (began = resolve));
      const events: string[] = [];
      const holder = writeTransaction(secondConnection(), async (trx) => {
        await insertOrganisation(trx, "Held On PostgreSQL");
        began();
        await gate;
        events.push("holder commits");
      });
      await holding;
      const waiter = writeTransaction(db(), async (trx) => {
        events.push("waiter began");
        return (await organisationsNamed(trx, "Held On PostgreSQL")).length;
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(events).toEqual([]);
      release();
      await holder;
      expect(await waiter).toBe(1);
      expect(events).toEqual(["holder commits", "waiter began"]);
    });

    it("runs the whole function again after a serialization failure or a deadlock, keeping only the last run's writes", async () => {
      let runs = 0;
      const result = await writeTransaction(db(), async (trx) => {
        runs++;
        await insertOrganisation(trx, `Retried Department ${runs}`);
        if (runs === 1) throw clash();
        if (runs === 2) throw Object.assign(new Error("deadlock detected"), { code: "40P01" });
        return runs;
      });
      expect(result).toBe(3);
      expect(await organisationsNamed(db(), "Retried Department 1")).toHaveLength(0);
      expect(await organisationsNamed(db(), "Retried Department 2")).toHaveLength(0);
      expect(await organisationsNamed(db(), "Retried Department 3")).toHaveLength(1);
    });

    it("gives up with a WriteConflict after its last attempt, and retries nothing else", async () => {
      let runs = 0;
      const outcome = await writeTransaction(db(), async () => {
        runs++;
        throw clash();
      }).catch((err: unknown) => err);
      expect(outcome).toBeInstanceOf(WriteConflict);
      expect(runs).toBe(WRITE_ATTEMPTS);

      const boom = Object.assign(new Error("a rule"), { code: "23505" });
      runs = 0;
      await expect(
        writeTransaction(db(), async () => {
          runs++;
          throw boom;
        }),
      ).rejects.toBe(boom);
      expect(runs).toBe(1);
    });
  });
});
