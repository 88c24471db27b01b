import { afterEach, describe, expect, it } from "vitest";
import { getDb } from "#app/db.server.ts";
import { cachedByRecords, recordVersion, setRecordCacheEnabled } from "./record-cache.server.ts";
import { createCourse, createOrganisation, createUser } from "#tests/factories.ts";

const db = () => getDb();

describe("the record cache", () => {
  afterEach(() => setRecordCacheEnabled(true));

  it("computes once while the records stay the same", async () => {
    let runs = 0;
    const compute = async () => ++runs;
    expect(await cachedByRecords(db(), "k", compute)).toBe(1);
    expect(await cachedByRecords(db(), "k", compute)).toBe(1);
    expect(await cachedByRecords(db(), "other", compute)).toBe(2);
    expect(runs).toBe(2);
  });

  it("shares work under way between requests that arrive together", async () => {
    let runs = 0;
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const compute = async () => {
      runs++;
      await finished;
      return "done";
    };
    const pending = [1, 2, 3, 4].map(() => cachedByRecords(db(), "together", compute));
    // All four have asked before the work finishes.
    await new Promise((resolve) => setImmediate(resolve));
    finish();
    const answers = await Promise.all(pending);
    expect(answers).toEqual(["done", "done", "done", "done"]);
    expect(runs).toBe(1);
  });

  it("recomputes after any write to a watched record, made by any statement", async () => {
    let runs = 0;
    const compute = async () => ++runs;
    await cachedByRecords(db(), "after-writes", compute);
    const before = await recordVersion(db());

    await createCourse(db(), { name: "A new course" });
    expect(await recordVersion(db())).toBeGreaterThan(before);
    expect(await cachedByRecords(db(), "after-writes", compute)).toBe(2);

    await createOrganisation(db(), { name: "A new club" });
    expect(await cachedByRecords(db(), "after-writes", compute)).toBe(3);

    // A raw update that bypasses every app module still counts.
    await db().updateTable("courses").set({ name: "Renamed" }).execute();
    expect(await cachedByRecords(db(), "after-writes", compute)).toBe(4);
  });

  it("is not moved by writes the figures never read, such as signing in", async () => {
    const user = await createUser(db(), { email: "someone@example.ac.uk" });
    const before = await recordVersion(db());
    await db().updateTable("users").set({ updated_at: new Date().toISOString() }).where("id", "=", user.id).execute();
    expect(await recordVersion(db())).toBe(before);
    await db().updateTable("users").set({ name: "A new name" }).where("id", "=", user.id).execute();
    expect(await recordVersion(db())).toBe(before + 1);
  });

  it("does not remember a failure", async () => {
    let runs = 0;
    const flaky = async () => {
      runs++;
      if (runs === 1) throw new Error("first time fails");
      return "ok";
    };
    await expect(cachedByRecords(db(), "flaky", flaky)).rejects.toThrow("first time fails");
    expect(await cachedByRecords(db(), "flaky", flaky)).toBe("ok");
  });

  it("can be switched off to measure the work itself", async () => {
    let runs = 0;
    setRecordCacheEnabled(false);
    await cachedByRecords(db(), "off", async () => ++runs);
    await cachedByRecords(db(), "off", async () => ++runs);
    expect(runs).toBe(2);
  });
});
