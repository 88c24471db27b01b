import { describe, expect, it } from "vitest";
import { getDb } from "#app/db.server.ts";
import type { Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import { allAcross, separateConnections } from "#tests/connections.ts";
import { MINUTE, now, setClockOffsetForTests } from "#app/utils/time.ts";
import { ACCOUNT_POLICY, beginSignInAttempt, CLIENT_POLICY, pauseAfter, signInSucceeded, tryAgain, type SignInTicket } from "./sign-in-throttle.server.ts";

const db = () => getDb();
let n = 0;
const freshEmail = () => `throttle-${++n}-${Date.now()}@example.ac.uk`;
const freshClient = () => `198.51.100.${++n % 250}-${Date.now()}`;

let offset = 0;
/** Moves the app clock on; the clock is reset before each test. */
function advance(ms: number) {
  offset += ms;
  setClockOffsetForTests(offset);
}
beforeEach(() => {
  offset = 0;
});

const attempt = (email: string, client: string) => beginSignInAttempt(db(), { email, client });
/** Whole seconds from now until the next attempt is taken (the real clock moves on a few ms meanwhile). */
const secondsUntil = (t: SignInTicket) => {
  const at = t.allowed ? t.retryAtIfWrong : t.retryAt;
  return at ? Math.round((at.getTime() - now().getTime()) / 1000) : 0;
};

/** Fails once, waiting first for any pause to pass; returns the pause the failure started, in seconds. */
async function failOnce(email: string, client: string): Promise<number> {
  let ticket = await attempt(email, client);
  if (!ticket.allowed) {
    advance(ticket.retryAt.getTime() - now().getTime());
    ticket = await attempt(email, client);
  }
  expect(ticket.allowed).toBe(true);
  return secondsUntil(ticket);
}

describe("pauseAfter", () => {
  it("is free for the first few failures, then doubles up to the policy's ceiling", () => {
    const policy = { free: 3, firstPauseMs: 1000, maxPauseMs: 5000, forgetAfterMs: MINUTE };
    expect([1, 2, 3, 4, 5, 6, 50, 10_000].map((f) => pauseAfter(policy, f))).toEqual([0, 0, 1000, 2000, 4000, 5000, 5000, 5000]);
  });
});

describe("per account", () => {
  it("takes five failures freely, then pauses 15 s, 30 s, then a minute at most, never locking", async () => {
    const email = freshEmail();
    const pauses: number[] = [];
    // A new client for every attempt, so only the account's count matters.
    for (let i = 0; i < 9; i++) pauses.push(await failOnce(email, freshClient()));
    expect(pauses).toEqual([0, 0, 0, 0, 15, 30, 60, 60, 60]);
  });

  it("refuses an attempt during the pause without counting it, and says when to try again", async () => {
    const email = freshEmail();
    for (let i = 0; i < ACCOUNT_POLICY.free; i++) await failOnce(email, freshClient());
    const refused = await attempt(email, freshClient());
    expect(refused.allowed).toBe(false);
    expect(secondsUntil(refused)).toBe(15);
    const before = await db().selectFrom("sign_in_failures").select("failure_count").where("email", "=", email).executeTakeFirstOrThrow();
    expect(before.failure_count).toBe(ACCOUNT_POLICY.free);
    advance(14_000);
    expect((await attempt(email, freshClient())).allowed).toBe(false);
    advance(1_000);
    expect((await attempt(email, freshClient())).allowed).toBe(true);
  });

  it("never makes the account's owner wait more than a minute, however many failures others cause", async () => {
    const email = freshEmail();
    for (let i = 0; i < 40; i++) await failOnce(email, freshClient());
    const owner = await attempt(email, freshClient());
    expect(owner.allowed).toBe(false);
    expect(secondsUntil(owner)).toBeLessThanOrEqual(ACCOUNT_POLICY.maxPauseMs / 1000);
    advance(ACCOUNT_POLICY.maxPauseMs);
    const later = await attempt(email, freshClient());
    expect(later.allowed).toBe(true);
  });

  it("forgets the failures a quarter of an hour after the last one", async () => {
    const email = freshEmail();
    for (let i = 0; i < ACCOUNT_POLICY.free; i++) await failOnce(email, freshClient());
    advance(ACCOUNT_POLICY.forgetAfterMs + MINUTE);
    expect(await failOnce(email, freshClient())).toBe(0);
    const row = await db().selectFrom("sign_in_failures").select("failure_count").where("email", "=", email).executeTakeFirstOrThrow();
    expect(row.failure_count).toBe(1);
  });

  it("counts every one of a burst of simultaneous guesses, spread over several app processes: only the free ones get through", async () => {
    const email = freshEmail();
    const tickets = await allAcross(
      separateConnections(4),
      Array.from({ length: 20 }, () => (conn: Kysely<Database>) => beginSignInAttempt(conn, { email, client: freshClient() })),
    );
    expect(tickets.filter((t) => t.allowed)).toHaveLength(ACCOUNT_POLICY.free);
  });

  it("a success forgets the account's failures", async () => {
    const email = freshEmail();
    const client = freshClient();
    for (let i = 0; i < 3; i++) await failOnce(email, client);
    const ticket = await attempt(email, client);
    if (!ticket.allowed) throw new Error("expected the attempt to be allowed");
    await signInSucceeded(db(), ticket);
    expect(await db().selectFrom("sign_in_failures").selectAll().where("email", "=", email).executeTakeFirst()).toBeUndefined();
  });
});

describe("per client", () => {
  it("slows one client trying many accounts: twenty free failures, then pauses that double", async () => {
    const client = freshClient();
    const pauses: number[] = [];
    for (let i = 0; i < 25; i++) pauses.push(await failOnce(freshEmail(), client));
    expect(pauses.slice(0, 19)).toEqual(Array(19).fill(0));
    expect(pauses.slice(19)).toEqual([1, 2, 4, 8, 16, 32]);
    // An account it never tried is refused to it too, until the pause is over.
    const next = await attempt(freshEmail(), client);
    expect(next.allowed).toBe(false);
    expect(secondsUntil(next)).toBe(32);
  });

  it("stops growing at a quarter of an hour", async () => {
    const client = freshClient();
    const pauses: number[] = [];
    for (let i = 0; i < 31; i++) pauses.push(await failOnce(freshEmail(), client));
    expect(pauses.slice(-3)).toEqual([512, 900, 900]);
  });

  it("counts the last hour only", async () => {
    const client = freshClient();
    for (let i = 0; i < CLIENT_POLICY.free; i++) await failOnce(freshEmail(), client);
    expect((await attempt(freshEmail(), client)).allowed).toBe(false);
    advance(CLIENT_POLICY.forgetAfterMs + MINUTE);
    expect(await failOnce(freshEmail(), client)).toBe(0);
  });

  it("does not hold one client's failures against another client", async () => {
    const attacker = freshClient();
    for (let i = 0; i < 30; i++) await failOnce(freshEmail(), attacker);
    expect((await attempt(freshEmail(), attacker)).allowed).toBe(false);
    const other = await attempt(freshEmail(), freshClient());
    expect(other.allowed && other.retryAtIfWrong).toBeNull();
  });

  it("a success takes back only its own attempt, so signing in to one's own account does not wipe the count", async () => {
    const client = freshClient();
    for (let i = 0; i < 10; i++) await failOnce(freshEmail(), client);
    const own = await attempt(freshEmail(), client);
    if (!own.allowed) throw new Error("expected the attempt to be allowed");
    await signInSucceeded(db(), own);
    const rows = await db().selectFrom("sign_in_client_failures").select("id").where("client", "=", client).execute();
    expect(rows).toHaveLength(10);
  });
});

describe("a correct password from a client that has not been failing", () => {
  it("waits at most the account's short pause, whatever another client did to that account", async () => {
    const email = freshEmail();
    const attacker = freshClient();
    for (let i = 0; i < 30; i++) await failOnce(email, attacker);
    // The attacker is paused for long; the owner, on another network, for at most a minute.
    const attackerNext = await attempt(email, attacker);
    expect(!attackerNext.allowed && secondsUntil(attackerNext)).toBeGreaterThan(ACCOUNT_POLICY.maxPauseMs / 1000);
    const owner = freshClient();
    const first = await attempt(email, owner);
    const wait = first.allowed ? 0 : secondsUntil(first);
    expect(wait).toBeLessThanOrEqual(ACCOUNT_POLICY.maxPauseMs / 1000);
    advance(wait * 1000);
    const ticket = await attempt(email, owner);
    expect(ticket.allowed).toBe(true);
  });
});

describe("tryAgain", () => {
  it("says seconds for a short pause and minutes with a time for a long one", () => {
    const at = new Date("2026-01-15T14:00:00Z");
    expect(tryAgain(new Date(at.getTime() + 15_000), at)).toBe("You can try again in 15 seconds.");
    expect(tryAgain(new Date(at.getTime() + 4 * MINUTE), at)).toBe("You can try again in about 4 minutes, at 14:04.");
  });
});
