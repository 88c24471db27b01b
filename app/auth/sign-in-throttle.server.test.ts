import { describe, expect, it } from "vitest";
import { getDb } from "#app/db.server.ts";
import { MINUTE, setClockOffsetForTests } from "#app/utils/time.ts";
import {
  beginSignInAttempt,
  clearSignInFailures,
  getThrottle,
  LOCK_AFTER,
  LOCK_MS,
  WINDOW_MS,
} from "./sign-in-throttle.server.ts";

/** One failed attempt: returns the time it locked the address until, if it did. */
async function recordSignInFailure(db: ReturnType<typeof getDb>, email: string): Promise<Date | null> {
  const ticket = await beginSignInAttempt(db, email);
  return ticket.allowed ? ticket.lockedUntilIfWrong : ticket.lockedUntil;
}

const db = () => getDb();
let n = 0;
const freshEmail = () => `throttle-${++n}-${Date.now()}@example.ac.uk`;

async function fail(email: string, times: number) {
  let last: Date | null = null;
  for (let i = 0; i < times; i++) last = await recordSignInFailure(db(), email);
  return last;
}

describe("sign-in throttle", () => {
  it("does not slow or lock an address with no failures", async () => {
    expect(await getThrottle(db(), freshEmail())).toEqual({ lockedUntil: null, delayMs: 0 });
  });

  it("adds no delay for the first two failures, then one more second for each from the 3rd", async () => {
    const email = freshEmail();
    const delays: number[] = [];
    for (let i = 1; i <= 4; i++) {
      expect(await recordSignInFailure(db(), email)).toBeNull();
      const t = await getThrottle(db(), email);
      expect(t.lockedUntil).toBeNull();
      delays.push(t.delayMs);
    }
    expect(delays).toEqual([0, 0, 1000, 2000]);
  });

  it("locks on the 5th failure for 15 minutes, then lets the address try again from zero", async () => {
    const email = freshEmail();
    await fail(email, LOCK_AFTER - 1);
    const before = Date.now();
    const lockedUntil = await recordSignInFailure(db(), email);
    expect(lockedUntil).toBeInstanceOf(Date);
    expect(lockedUntil!.getTime()).toBeGreaterThanOrEqual(before + LOCK_MS);
    expect(lockedUntil!.getTime()).toBeLessThanOrEqual(Date.now() + LOCK_MS);

    const locked = await getThrottle(db(), email);
    expect(locked.lockedUntil?.getTime()).toBe(lockedUntil!.getTime());
    expect(locked.delayMs).toBe(0);

    setClockOffsetForTests(LOCK_MS - MINUTE);
    expect((await getThrottle(db(), email)).lockedUntil).not.toBeNull();

    setClockOffsetForTests(LOCK_MS + MINUTE);
    expect(await getThrottle(db(), email)).toEqual({ lockedUntil: null, delayMs: 0 });
    // After the lock has run out, the count starts again.
    expect(await recordSignInFailure(db(), email)).toBeNull();
    const row = await db().selectFrom("sign_in_failures").selectAll().where("email", "=", email).executeTakeFirstOrThrow();
    expect(row.failure_count).toBe(1);
    expect(row.locked_until).toBeNull();
  });

  it("forgets failures older than the 15-minute window", async () => {
    const email = freshEmail();
    await fail(email, 4);
    expect((await getThrottle(db(), email)).delayMs).toBe(2000);

    setClockOffsetForTests(WINDOW_MS + MINUTE);
    expect(await getThrottle(db(), email)).toEqual({ lockedUntil: null, delayMs: 0 });
    // A 5th failure after the window is counted as the first, so it does not lock.
    expect(await recordSignInFailure(db(), email)).toBeNull();
    const row = await db().selectFrom("sign_in_failures").selectAll().where("email", "=", email).executeTakeFirstOrThrow();
    expect(row.failure_count).toBe(1);
  });

  it("keeps counting failures spread out within the window (measured from the last failure)", async () => {
    const email = freshEmail();
    for (let i = 0; i < LOCK_AFTER - 1; i++) {
      setClockOffsetForTests(i * 10 * MINUTE);
      expect(await recordSignInFailure(db(), email)).toBeNull();
    }
    setClockOffsetForTests((LOCK_AFTER - 1) * 10 * MINUTE);
    expect(await recordSignInFailure(db(), email)).not.toBeNull();
  });

  it("counts each address separately", async () => {
    const a = freshEmail();
    const b = freshEmail();
    await fail(a, LOCK_AFTER);
    expect((await getThrottle(db(), a)).lockedUntil).not.toBeNull();
    expect(await getThrottle(db(), b)).toEqual({ lockedUntil: null, delayMs: 0 });
  });

  it("clearSignInFailures wipes the count and any lock", async () => {
    const email = freshEmail();
    await fail(email, LOCK_AFTER);
    await clearSignInFailures(db(), email);
    expect(await getThrottle(db(), email)).toEqual({ lockedUntil: null, delayMs: 0 });
  });

  it("counts every one of many concurrent failures", async () => {
    const email = freshEmail();
    await Promise.all(Array.from({ length: 4 }, () => recordSignInFailure(db(), email)));
    const row = await db().selectFrom("sign_in_failures").selectAll().where("email", "=", email).executeTakeFirstOrThrow();
    expect(row.failure_count).toBe(4);
  });
});
