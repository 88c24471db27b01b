import { beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "#app/db.server.ts";
import { HOUR, MINUTE, setClockOffsetForTests } from "#app/utils/time.ts";
import { sha256Hex } from "#app/utils/tokens.server.ts";
import { createUser, TEST_PASSWORD } from "#tests/factories.ts";
import { issueEmailToken, lookupEmailToken } from "./email-tokens.server.ts";
import { createAuthSession, validateSessionToken, type SessionUser } from "./session.server.ts";
import { LOCK_AFTER, LOCK_MS, WINDOW_MS } from "./sign-in-throttle.server.ts";
import { requestPasswordReset, setPasswordWithToken, signIn, type SignInResult } from "./sign-in.server.ts";

const db = () => getDb();
const NEW_PASSWORD = "a brand new passphrase";

/**
 * signIn sleeps for the throttle delay. Record what it asks for and run the timer at once,
 * so the suite stays fast while still proving the delay is applied.
 */
function recordSleeps(): number[] {
  const requested: number[] = [];
  const realSetTimeout = globalThis.setTimeout;
  vi.spyOn(globalThis, "setTimeout").mockImplementation(((fn: () => void, ms?: number) => {
    requested.push(ms ?? 0);
    return realSetTimeout(fn, 0);
  }) as unknown as typeof setTimeout);
  return requested;
}

const attempt = (email: string, password: string) => signIn(db(), { email, password, userAgent: "vitest" });

async function failures(email: string) {
  return db().selectFrom("sign_in_failures").selectAll().where("email", "=", email).executeTakeFirst();
}

async function outboxFor(email: string) {
  return db().selectFrom("email_messages").selectAll().where("to_address", "=", email).orderBy("id").execute();
}

const linkToken = (text: string) => /\/set-password\/([A-Za-z0-9_-]+)/.exec(text)?.[1];

describe("signIn", () => {
  it("signs in with the right password, case-insensitively on the email, and returns a working session", async () => {
    const user = await createUser(db());
    const result = await attempt(user.email.toUpperCase(), TEST_PASSWORD);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.userId).toBe(user.id);
    const session = await validateSessionToken(db(), result.token);
    expect(session?.user.id).toBe(user.id);
  });

  it("refuses a wrong password as invalid and records the failure", async () => {
    const user = await createUser(db());
    expect(await attempt(user.email, "not the password")).toEqual({ ok: false, reason: "invalid" });
    expect((await failures(user.email))?.failure_count).toBe(1);
  });

  it("clears earlier failures after a successful sign-in", async () => {
    const user = await createUser(db());
    recordSleeps();
    for (let i = 0; i < 3; i++) expect(await attempt(user.email, "wrong")).toEqual({ ok: false, reason: "invalid" });
    expect((await failures(user.email))?.failure_count).toBe(3);
    expect((await attempt(user.email, TEST_PASSWORD)).ok).toBe(true);
    expect(await failures(user.email)).toBeUndefined();
  });

  it("refuses an account without a password (invited, not yet set) and a deactivated account", async () => {
    const invited = await createUser(db(), { password: null });
    expect(await attempt(invited.email, TEST_PASSWORD)).toEqual({ ok: false, reason: "invalid" });
    const gone = await createUser(db());
    await db().updateTable("users").set({ is_active: 0 }).where("id", "=", gone.id).execute();
    expect(await attempt(gone.email, TEST_PASSWORD)).toEqual({ ok: false, reason: "invalid" });
  });

  it("waits longer from the 3rd failure: 1 s before the 4th attempt, 2 s before the 5th", async () => {
    const user = await createUser(db());
    const sleeps = recordSleeps();
    const delaysBeforeAttempt: number[] = [];
    for (let i = 1; i <= 4; i++) {
      const before = sleeps.length;
      expect(await attempt(user.email, "wrong")).toEqual({ ok: false, reason: "invalid" });
      delaysBeforeAttempt.push(sleeps.slice(before).filter((ms) => ms >= 1000).reduce((a, b) => a + b, 0));
    }
    expect(delaysBeforeAttempt).toEqual([0, 0, 0, 1000]);
    // The right password still waits its turn.
    const before = sleeps.length;
    const result = await attempt(user.email, TEST_PASSWORD);
    expect(result.ok).toBe(true);
    expect(sleeps.slice(before)).toContain(2000);
  });

  it("locks after 5 failures, even for the right password, until 15 minutes have passed", async () => {
    const user = await createUser(db());
    recordSleeps();
    const results: SignInResult[] = [];
    for (let i = 0; i < LOCK_AFTER; i++) results.push(await attempt(user.email, "wrong"));
    expect(results.slice(0, LOCK_AFTER - 1).every((r) => !r.ok && r.reason === "invalid")).toBe(true);
    const fifth = results[LOCK_AFTER - 1]!;
    expect(fifth.ok === false && fifth.reason === "locked").toBe(true);

    const locked = await attempt(user.email, TEST_PASSWORD);
    expect(locked.ok).toBe(false);
    expect(!locked.ok && locked.reason).toBe("locked");
    if (!locked.ok && locked.reason === "locked") {
      expect(locked.lockedUntil.getTime() - Date.now()).toBeGreaterThan(LOCK_MS - MINUTE);
    }
    // No session was made for the locked attempt.
    const sessions = await db().selectFrom("auth_sessions").select("id").where("user_id", "=", user.id).execute();
    expect(sessions).toHaveLength(0);

    setClockOffsetForTests(LOCK_MS - MINUTE);
    expect(await attempt(user.email, TEST_PASSWORD)).toMatchObject({ ok: false, reason: "locked" });
    setClockOffsetForTests(LOCK_MS + MINUTE);
    expect((await attempt(user.email, TEST_PASSWORD)).ok).toBe(true);
  });

  it("treats an address with no account exactly like one with an account (no enumeration)", async () => {
    const user = await createUser(db());
    const nobody = `nobody-${Date.now()}@example.ac.uk`;
    const sleeps = recordSleeps();
    const run = async (email: string) => {
      const start = sleeps.length;
      const out: string[] = [];
      for (let i = 0; i < LOCK_AFTER + 1; i++) {
        const r = await attempt(email, "wrong password");
        out.push(r.ok ? "ok" : r.reason);
      }
      const row = await failures(email);
      return { out, sleeps: sleeps.slice(start).filter((ms) => ms >= 1000), count: row?.failure_count, locked: Boolean(row?.locked_until) };
    };
    const withAccount = await run(user.email);
    const withoutAccount = await run(nobody);
    expect(withoutAccount).toEqual(withAccount);
    expect(withAccount.out).toEqual(["invalid", "invalid", "invalid", "invalid", "locked", "locked"]);
    expect(withAccount.locked).toBe(true);
  });

  // BUG: signIn reads the throttle, then spends ~50 ms verifying the password, and only then records
  // the failure. Guesses sent together all pass the check before any failure is recorded, so a burst
  // of N concurrent requests tests N passwords (with no delay) however large N is: the 5-guess lock
  // only starts after the burst. Here the right password arrives after 19 wrong ones and still signs in.
  it("does not let a burst of concurrent guesses get past the lock", async () => {
    const user = await createUser(db());
    recordSleeps();
    const guesses = Array.from({ length: 19 }, (_, i) => `wrong guess ${i}`);
    const results = await Promise.all([...guesses, TEST_PASSWORD].map((p) => attempt(user.email, p)));
    expect(results.at(-1)).toMatchObject({ ok: false, reason: "locked" });
  });

  it("starts counting afresh once failures are older than the window", async () => {
    const user = await createUser(db());
    recordSleeps();
    for (let i = 0; i < LOCK_AFTER - 1; i++) await attempt(user.email, "wrong");
    setClockOffsetForTests(WINDOW_MS + MINUTE);
    const sleeps = recordSleeps();
    expect(await attempt(user.email, "wrong")).toEqual({ ok: false, reason: "invalid" });
    expect(sleeps.filter((ms) => ms >= 1000)).toEqual([]);
    expect((await failures(user.email))?.failure_count).toBe(1);
  });
});

describe("password reset", () => {
  let user: SessionUser;
  beforeAll(async () => {
    user = await createUser(db(), { name: "Priya Shah" });
  });

  async function requestAndGetToken(email: string) {
    const before = (await outboxFor(email)).length;
    await requestPasswordReset(db(), email);
    const messages = await outboxFor(email);
    expect(messages).toHaveLength(before + 1);
    const token = linkToken(messages.at(-1)!.text);
    expect(token).toBeDefined();
    return token!;
  }

  it("writes exactly one held password-reset message with a /set-password/<token> link", async () => {
    const person = await createUser(db());
    await requestPasswordReset(db(), person.email.toUpperCase());
    const messages = await outboxFor(person.email);
    expect(messages).toHaveLength(1);
    const m = messages[0]!;
    expect(m.template).toBe("password-reset");
    expect(m.status).toBe("held");
    expect(m.next_attempt_at).toBeNull();
    expect(m.text).toMatch(/http:\/\/localhost:3000\/set-password\/[A-Za-z0-9_-]{40,}/);
    expect(m.html).toContain("/set-password/");
    const token = linkToken(m.text)!;
    const found = await lookupEmailToken(db(), token);
    expect(found).toMatchObject({ status: "valid", userId: person.id, purpose: "password_reset" });
    const audit = await db().selectFrom("audit_events").selectAll().where("action", "=", "user.password_reset_requested").where("entity_id", "=", String(person.id)).execute();
    expect(audit).toHaveLength(1);
  });

  it("writes nothing for an unknown email or a deactivated account", async () => {
    const countAll = async () => (await db().selectFrom("email_messages").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n;
    const tokensBefore = await db().selectFrom("email_tokens").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    const before = await countAll();
    await requestPasswordReset(db(), `unknown-${Date.now()}@example.ac.uk`);
    const gone = await createUser(db());
    await db().updateTable("users").set({ is_active: 0 }).where("id", "=", gone.id).execute();
    await requestPasswordReset(db(), gone.email);
    expect(await countAll()).toBe(before);
    const tokensAfter = await db().selectFrom("email_tokens").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    expect(tokensAfter.n).toBe(tokensBefore.n);
  });

  it("stores the token only as its SHA-256 hash", async () => {
    const token = await requestAndGetToken(user.email);
    const rows = await db().selectFrom("email_tokens").selectAll().where("user_id", "=", user.id).execute();
    const row = rows.find((r) => r.token_hash === sha256Hex(token));
    expect(row).toBeDefined();
    for (const r of rows) for (const value of Object.values(r)) expect(String(value)).not.toContain(token);
  });

  it("looking the token up does not spend it", async () => {
    const token = await requestAndGetToken(user.email);
    expect((await lookupEmailToken(db(), token)).status).toBe("valid");
    expect((await lookupEmailToken(db(), token)).status).toBe("valid");
  });

  it("expires an hour after it was issued", async () => {
    const token = await requestAndGetToken(user.email);
    setClockOffsetForTests(HOUR - MINUTE);
    expect((await lookupEmailToken(db(), token)).status).toBe("valid");
    setClockOffsetForTests(HOUR + MINUTE);
    expect((await lookupEmailToken(db(), token)).status).toBe("expired");
    expect(await setPasswordWithToken(db(), { token, password: NEW_PASSWORD, userAgent: null })).toEqual({ ok: false, reason: "expired" });
  });

  it("an unknown or absurd token is unknown", async () => {
    expect((await lookupEmailToken(db(), "not-a-token")).status).toBe("unknown");
    expect((await lookupEmailToken(db(), "")).status).toBe("unknown");
    expect((await lookupEmailToken(db(), "x".repeat(5000))).status).toBe("unknown");
    expect(await setPasswordWithToken(db(), { token: "not-a-token", password: NEW_PASSWORD, userAgent: null })).toEqual({
      ok: false,
      reason: "unknown",
    });
  });

  it("a new reset link replaces the older unused one", async () => {
    const person = await createUser(db());
    const first = await requestAndGetToken(person.email);
    const second = await requestAndGetToken(person.email);
    expect(second).not.toBe(first);
    expect((await lookupEmailToken(db(), first)).status).not.toBe("valid");
    expect((await setPasswordWithToken(db(), { token: first, password: NEW_PASSWORD, userAgent: null })).ok).toBe(false);
    expect((await lookupEmailToken(db(), second)).status).toBe("valid");
  });

  it("a reset link does not cancel an outstanding invitation link, and vice versa", async () => {
    const person = await createUser(db());
    const invitation = await issueEmailToken(db(), person.id, "invitation");
    const reset = await issueEmailToken(db(), person.id, "password_reset");
    expect((await lookupEmailToken(db(), invitation)).status).toBe("valid");
    expect((await lookupEmailToken(db(), reset)).status).toBe("valid");
  });

  it("can be spent only once, even by two concurrent requests", async () => {
    const person = await createUser(db());
    const token = await requestAndGetToken(person.email);
    const results = await Promise.all([
      setPasswordWithToken(db(), { token, password: NEW_PASSWORD, userAgent: "tab 1" }),
      setPasswordWithToken(db(), { token, password: "another new passphrase", userAgent: "tab 2" }),
    ]);
    const ok = results.filter((r) => r.ok);
    expect(ok).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toEqual({ ok: false, reason: "used" });
    expect((await lookupEmailToken(db(), token)).status).toBe("used");
    expect(await setPasswordWithToken(db(), { token, password: NEW_PASSWORD, userAgent: null })).toEqual({ ok: false, reason: "used" });
  });

  it("sets the password, ends every other session, signs in afresh, and the new password works", async () => {
    const person = await createUser(db());
    const old1 = await createAuthSession(db(), person.id, "old laptop");
    const old2 = await createAuthSession(db(), person.id, "old phone");
    const token = await requestAndGetToken(person.email);

    const result = await setPasswordWithToken(db(), { token, password: NEW_PASSWORD, userAgent: "new" });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.userId).toBe(person.id);
    expect(await validateSessionToken(db(), old1.token)).toBeNull();
    expect(await validateSessionToken(db(), old2.token)).toBeNull();
    expect((await validateSessionToken(db(), result.token))?.user.id).toBe(person.id);

    expect(await attempt(person.email, TEST_PASSWORD)).toEqual({ ok: false, reason: "invalid" });
    const signedIn = await attempt(person.email, NEW_PASSWORD);
    expect(signedIn.ok && signedIn.userId).toBe(person.id);

    const audit = await db().selectFrom("audit_events").select("action").where("entity_id", "=", String(person.id)).execute();
    expect(audit.map((a) => a.action)).toContain("user.password_reset");
  });

  it("setting a new password lifts a sign-in lock on the account", async () => {
    const person = await createUser(db());
    recordSleeps();
    for (let i = 0; i < LOCK_AFTER; i++) await attempt(person.email, "wrong");
    expect(await attempt(person.email, TEST_PASSWORD)).toMatchObject({ ok: false, reason: "locked" });
    const token = await requestAndGetToken(person.email);
    expect((await setPasswordWithToken(db(), { token, password: NEW_PASSWORD, userAgent: null })).ok).toBe(true);
    expect((await attempt(person.email, NEW_PASSWORD)).ok).toBe(true);
  });
});
