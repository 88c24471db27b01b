import { describe, expect, it } from "vitest";
import { getDb } from "#app/db.server.ts";
import { MINUTE, setClockOffsetForTests } from "#app/utils/time.ts";
import { raceAcross, separateConnections } from "#tests/connections.ts";
import { leaseHolder, releaseLease, takeLease } from "./lease.server.ts";
import { runJobsUnderLease } from "./runner.server.ts";

const TTL = MINUTE;
const claim = (name: string, holder: string) => ({ name, holder, ttlMs: TTL });

describe("the jobs lease", () => {
  it("goes to exactly one of several processes trying for it at once", async () => {
    const connections = separateConnections(4);
    const holders = Array.from({ length: 8 }, (_, i) => `process-${i}`);
    const results = await raceAcross(
      connections,
      holders.map((holder) => (db) => takeLease(db, claim("race", holder))),
    );
    const won = results.map((r) => r.status === "fulfilled" && r.value);
    expect(won.filter(Boolean)).toHaveLength(1);
    expect(await leaseHolder(getDb(), "race")).toBe(holders[won.indexOf(true)]);
  });

  it("is refused to another process while its holder's lease runs", async () => {
    const [first, second] = separateConnections(2);
    expect(await takeLease(first!, claim("held", "first"))).toBe(true);
    expect(await takeLease(second!, claim("held", "second"))).toBe(false);
    expect(await leaseHolder(getDb(), "held")).toBe("first");
  });

  it("is taken over once it has expired, and its old holder cannot renew it then", async () => {
    const [first, second] = separateConnections(2);
    expect(await takeLease(first!, claim("expired", "first"))).toBe(true);
    setClockOffsetForTests(TTL + 1000);
    expect(await leaseHolder(getDb(), "expired")).toBeNull();
    expect(await takeLease(second!, claim("expired", "second"))).toBe(true);
    expect(await takeLease(first!, claim("expired", "first"))).toBe(false);
    expect(await leaseHolder(getDb(), "expired")).toBe("second");
  });

  it("is renewed by its holder, so it outlasts its first term", async () => {
    const [first, second] = separateConnections(2);
    expect(await takeLease(first!, claim("renewed", "first"))).toBe(true);
    setClockOffsetForTests((TTL * 2) / 3);
    expect(await takeLease(first!, claim("renewed", "first"))).toBe(true);
    // Past the first term, within the renewed one.
    setClockOffsetForTests((TTL * 4) / 3);
    expect(await takeLease(second!, claim("renewed", "second"))).toBe(false);
    expect(await leaseHolder(getDb(), "renewed")).toBe("first");
  });

  it("is given up only by its holder, and is then free at once", async () => {
    const [first, second] = separateConnections(2);
    expect(await takeLease(first!, claim("released", "first"))).toBe(true);
    await releaseLease(second!, "released", "second");
    expect(await leaseHolder(getDb(), "released")).toBe("first");
    await releaseLease(first!, "released", "first");
    expect(await takeLease(second!, claim("released", "second"))).toBe(true);
  });
});

describe("runJobsUnderLease", () => {
  it("runs the jobs in the process holding the lease and not in another", async () => {
    const [first, second] = separateConnections(2);
    expect(await runJobsUnderLease(first!, "first", TTL)).toMatchObject({ reminders: 0 });
    expect(await runJobsUnderLease(second!, "second", TTL)).toBeNull();
    expect(await runJobsUnderLease(first!, "first", TTL)).not.toBeNull();
  });
});
