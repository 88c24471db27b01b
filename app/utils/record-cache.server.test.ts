import { afterEach, describe, expect, it } from "vitest";
import { getDb } from "#app/db.server.ts";
import { cachedByRecords, recordVersions, setRecordCacheEnabled } from "./record-cache.server.ts";
import { createCourse, createOrganisation, createUser } from "#tests/factories.ts";
import { createLeaderYear } from "#tests/compliance-fixtures.ts";
import { separateConnections } from "#tests/connections.ts";

const db = () => getDb();

/** A figure that counts how often it is worked out. */
function counter() {
  let runs = 0;
  const compute = async () => ++runs;
  return { compute, runs: () => runs };
}

describe("the record cache", () => {
  afterEach(() => setRecordCacheEnabled(true));

  it("computes once while the records stay the same", async () => {
    const { compute, runs } = counter();
    expect(await cachedByRecords(db(), "k", ["reference"], compute)).toBe(1);
    expect(await cachedByRecords(db(), "k", ["reference"], compute)).toBe(1);
    expect(await cachedByRecords(db(), "other", ["reference"], compute)).toBe(2);
    expect(runs()).toBe(2);
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
    const pending = [1, 2, 3, 4].map(() => cachedByRecords(db(), "together", ["sessions"], compute));
    // All four have asked before the work finishes.
    await new Promise((resolve) => setImmediate(resolve));
    finish();
    const answers = await Promise.all(pending);
    expect(answers).toEqual(["done", "done", "done", "done"]);
    expect(runs).toBe(1);
  });

  it("recomputes after any write to a feature it reads, made by any statement", async () => {
    const { compute } = counter();
    await cachedByRecords(db(), "after-writes", ["reference"], compute);
    const [before] = await recordVersions(db(), ["reference"]);

    await createCourse(db(), { name: "A new course" });
    expect((await recordVersions(db(), ["reference"]))[0]).toBeGreaterThan(before!);
    expect(await cachedByRecords(db(), "after-writes", ["reference"], compute)).toBe(2);

    await createOrganisation(db(), { name: "A new club" });
    expect(await cachedByRecords(db(), "after-writes", ["reference"], compute)).toBe(3);

    // A raw update that bypasses every app module still counts.
    await db().updateTable("courses").set({ name: "Renamed" }).execute();
    expect(await cachedByRecords(db(), "after-writes", ["reference"], compute)).toBe(4);
  });

  it("keeps what reads other features when one moves", async () => {
    const leaders = counter();
    const both = counter();
    const reference = counter();
    const ask = () =>
      Promise.all([
        cachedByRecords(db(), "leaders-only", ["leaders"], leaders.compute),
        cachedByRecords(db(), "leaders-and-reference", ["leaders", "reference"], both.compute),
        cachedByRecords(db(), "reference-only", ["reference"], reference.compute),
      ]);
    expect(await ask()).toEqual([1, 1, 1]);

    await createCourse(db());
    expect(await ask()).toEqual([1, 2, 2]);

    await createLeaderYear(db(), 2068);
    expect(await ask()).toEqual([2, 3, 2]);
    expect(await ask()).toEqual([2, 3, 2]);
  });

  it("reads every feature's version in one statement, in the order asked, with 0 for a feature not yet written", async () => {
    await db().updateTable("record_versions").set({ version: 7 }).where("name", "=", "staff").execute();
    await db().updateTable("record_versions").set({ version: 3 }).where("name", "=", "feedback").execute();
    expect(await recordVersions(db(), ["staff", "feedback"])).toEqual([7, 3]);
    await db().deleteFrom("record_versions").where("name", "=", "feedback").execute();
    expect(await recordVersions(db(), ["feedback", "staff"])).toEqual([0, 7]);
    await db().insertInto("record_versions").values({ name: "feedback", version: 3 }).execute();
  });

  it("is not moved by writes the figures never read, such as signing in", async () => {
    const user = await createUser(db(), { email: "someone@example.ac.uk" });
    const before = await recordVersions(db(), ["accounts"]);
    await db().updateTable("users").set({ updated_at: new Date().toISOString() }).where("id", "=", user.id).execute();
    expect(await recordVersions(db(), ["accounts"])).toEqual(before);
    await db().updateTable("users").set({ name: "A new name" }).where("id", "=", user.id).execute();
    expect(await recordVersions(db(), ["accounts"])).toEqual([before[0]! + 1]);
  });

  it("sees a write made on another connection, as another app process would make it", async () => {
    const { compute } = counter();
    const [other] = separateConnections(1);
    expect(await cachedByRecords(db(), "across", ["leaders"], compute)).toBe(1);
    await createLeaderYear(other!, 2067);
    expect(await cachedByRecords(db(), "across", ["leaders"], compute)).toBe(2);
    expect(await cachedByRecords(db(), "across", ["leaders"], compute)).toBe(2);
  });

  it("does not remember a failure", async () => {
    let runs = 0;
    const flaky = async () => {
      runs++;
      if (runs === 1) throw new Error("first time fails");
      return "ok";
    };
    await expect(cachedByRecords(db(), "flaky", ["sessions"], flaky)).rejects.toThrow("first time fails");
    expect(await cachedByRecords(db(), "flaky", ["sessions"], flaky)).toBe("ok");
  });

  it("can be switched off to measure the work itself", async () => {
    const { compute, runs } = counter();
    setRecordCacheEnabled(false);
    await cachedByRecords(db(), "off", ["sessions"], compute);
    await cachedByRecords(db(), "off", ["sessions"], compute);
    expect(runs()).toBe(2);
  });
});
