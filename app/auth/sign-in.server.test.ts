import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getDb } from "#app/db.server.ts";
import type { Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import { allAcross, separateConnections } from "#tests/connections.ts";
import { HOUR, MINUTE, now, setClockOffsetForTests } from "#app/utils/time.ts";
import { sha256Hex } from "#app/utils/tokens.server.ts";
import { createUser, TEST_PASSWORD } from "#tests/factories.ts";
import { issueEmailToken, lookupEmailToken } from "./email-tokens.server.ts";
import { awaitsSecondFactor, createAuthSession, validateSessionToken, type SessionUser } from "./session.server.ts";
import { ACCOUNT_POLICY } from "./sign-in-throttle.server.ts";
import { requestPasswordReset, setPasswordWithToken, signIn, type SignInResult } from "./sign-in.server.ts";
import { rowCount } from "#tests/row-counts.ts";

const db = () => getDb();
const NEW_PASSWORD = "a brand new passphrase";

// Each test signs in from a network address of its own, so only the account's count matters unless a test says otherwise.
let client = "";
let clients = 0;
beforeEach(() => {
  client = `203.0.113.${++clients}`;
});

const attempt = (email: string, password: string) => signIn(db(), { email, password, userAgent: "vitest", client });
const outcome = (r: SignInResult) => (r.ok ? "ok" : r.reason);
const secondsUntilRetry = (r: SignInResult) => (!r.ok && "retryAt" in r && r.retryAt ? Math.round((r.retryAt.getTime() - now().getTime()) / 1000) : 0);

async function failures(email: string) {
  return db().selectFrom("sign_in_failures").selectAll().where("email", "=", email).executeTakeFirst();
}

async function outboxFor(email: string) {
  return db().selectFrom("email_messages").selectAll().where("to_address", "=", email).orderBy("id").execute();
}

const linkToken = (text: string) => /\/set-password\/([A-Za-z0-9_-]+)/.exec(text)?.[1];

/** An account with a confirmed authenticator (the secret does not matter to signing in by password). */
async function withSecondFactor(userId: number) {
  const at = now().toISOString();
  await db().insertInto("second_factors").values({ user_id: userId, secret: "v1.x.y.z", confirmed_at: at, created_at: at }).execute();
}

describe("signIn", () => {
  it("signs in with the right password, case-insensitively on the email, and returns a working session", async () => {
    const user = await createUser(db());
    const result = await attempt(user.email.toUpperCase(), TEST_PASSWORD);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.userId).toBe(user.id);
    expect(result.awaitsSecondFactor).toBe(false);
    const session = await validateSessionToken(db(), result.token);
    expect(session?.user.id).toBe(user.id);
  });

  it("refuses a wrong password as invalid and records the failure", async () => {
    const user = await createUser(db());
    expect(await attempt(user.email, "not the password")).toEqual({ ok: false, reason: "invalid", retryAt: null });
    expect((await failures(user.email))?.failure_count).toBe(1);
  });

  it("clears earlier failures after a successful sign-in", async () => {
    const user = await createUser(db());
    for (let i = 0; i < 3; i++) expect(outcome(await attempt(user.email, "wrong"))).toBe("invalid");
    expect((await failures(user.email))?.failure_count).toBe(3);
    expect((await attempt(user.email, TEST_PASSWORD)).ok).toBe(true);
    expect(await failures(user.email)).toBeUndefined();
  });

  it("refuses an account without a password (invited, not yet set) and a deactivated account", async () => {
    const invited = await createUser(db(), { password: null });
    expect(outcome(await attempt(invited.email, TEST_PASSWORD))).toBe("invalid");
    const gone = await createUser(db());
    await db().updateTable("users").set({ is_active: 0 }).where("id", "=", gone.id).execute();
    expect(outcome(await attempt(gone.email, TEST_PASSWORD))).toBe("invalid");
  });

  it("after five failures says when to try again, refuses even the right password until then, and then signs in", async () => {
    const user = await createUser(db());
    const results: SignInResult[] = [];
    for (let i = 0; i < ACCOUNT_POLICY.free; i++) results.push(await attempt(user.email, "wrong"));
    expect(results.map(outcome)).toEqual(Array(ACCOUNT_POLICY.free).fill("invalid"));
    expect(results.map(secondsUntilRetry)).toEqual([0, 0, 0, 0, 15]);

    const paused = await attempt(user.email, TEST_PASSWORD);
    expect(outcome(paused)).toBe("throttled");
    expect(secondsUntilRetry(paused)).toBe(15);
    // No session was made for the refused attempt.
    const sessions = await db().selectFrom("auth_sessions").select("id").where("user_id", "=", user.id).execute();
    expect(sessions).toHaveLength(0);

    setClockOffsetForTests(15_000);
    expect((await attempt(user.email, TEST_PASSWORD)).ok).toBe(true);
  });

  it("treats an address with no account exactly like one with an account (no enumeration)", async () => {
    const user = await createUser(db());
    const nobody = `nobody-${Date.now()}@example.ac.uk`;
    const run = async (email: string) => {
      const out: string[] = [];
      for (let i = 0; i < ACCOUNT_POLICY.free + 1; i++) {
        const r = await attempt(email, "wrong password");
        out.push(`${outcome(r)}:${secondsUntilRetry(r)}`);
      }
      const row = await failures(email);
      return { out, count: row?.failure_count, paused: Boolean(row?.locked_until) };
    };
    const withAccount = await run(user.email);
    const withoutAccount = await run(nobody);
    expect(withoutAccount).toEqual(withAccount);
    expect(withAccount.out).toEqual(["invalid:0", "invalid:0", "invalid:0", "invalid:0", "invalid:15", "throttled:15"]);
  });

  it("does not let a burst of concurrent guesses, spread over several app processes, past the pause", async () => {
    const user = await createUser(db());
    const guesses = Array.from({ length: 19 }, (_, i) => `wrong guess ${i}`);
    const results = await allAcross(
      separateConnections(4),
      [...guesses, TEST_PASSWORD].map((password) => (conn: Kysely<Database>) => signIn(conn, { email: user.email, password, userAgent: "vitest", client })),
    );
    expect(results.filter((r) => outcome(r) === "invalid")).toHaveLength(ACCOUNT_POLICY.free);
    expect(outcome(results.at(-1)!)).toBe("throttled");
  });

  it("starts counting afresh once failures are older than the window", async () => {
    const user = await createUser(db());
    for (let i = 0; i < ACCOUNT_POLICY.free - 1; i++) await attempt(user.email, "wrong");
    setClockOffsetForTests(ACCOUNT_POLICY.forgetAfterMs + MINUTE);
    expect(await attempt(user.email, "wrong")).toEqual({ ok: false, reason: "invalid", retryAt: null });
    expect((await failures(user.email))?.failure_count).toBe(1);
  });

  it("records the client's address with a failed sign-in, never the password typed", async () => {
    const user = await createUser(db());
    await attempt(user.email, "a secret guess 123");
    const row = await db()
      .selectFrom("audit_events")
      .select(["summary", "detail_json"])
      .where("action", "=", "auth.sign_in_failed")
      .where("entity_id", "=", String(user.id))
      .executeTakeFirstOrThrow();
    expect(JSON.parse(row.detail_json!)).toMatchObject({ client, reason: "wrong password" });
    expect(`${row.summary}${row.detail_json}`).not.toContain("a secret guess");
  });

  it("an account with a second factor gets a session that is good only for giving the code", async () => {
    const user = await createUser(db());
    await withSecondFactor(user.id);
    const result = await attempt(user.email, TEST_PASSWORD);
    expect(result.ok && result.awaitsSecondFactor).toBe(true);
    if (!result.ok) return;
    const session = await validateSessionToken(db(), result.token);
    expect(session && awaitsSecondFactor(session)).toBe(true);
    // Not yet "signed in" in the audit log: that waits for the code.
    const signedIn = await db()
      .selectFrom("audit_events")
      .select("id")
      .where("action", "=", "auth.signed_in")
      .where("entity_id", "=", String(user.id))
      .execute();
    expect(signedIn).toHaveLength(0);
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
    const audit = await db()
      .selectFrom("audit_events")
      .selectAll()
      .where("action", "=", "user.password_reset_requested")
      .where("entity_id", "=", String(person.id))
      .execute();
    expect(audit).toHaveLength(1);
  });

  it("writes nothing for an unknown email or a deactivated account", async () => {
    const tokens = await rowCount(db(), "email_tokens");
    const messages = await rowCount(db(), "email_messages");
    await requestPasswordReset(db(), `unknown-${Date.now()}@example.ac.uk`);
    const gone = await createUser(db());
    await db().updateTable("users").set({ is_active: 0 }).where("id", "=", gone.id).execute();
    await requestPasswordReset(db(), gone.email);
    expect(await rowCount(db(), "email_messages")).toBe(messages);
    expect(await rowCount(db(), "email_tokens")).toBe(tokens);
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

  it("can be spent only once, even by two concurrent requests to two app processes", async () => {
    const person = await createUser(db());
    const token = await requestAndGetToken(person.email);
    const results = await allAcross(separateConnections(2), [
      (conn) => setPasswordWithToken(conn, { token, password: NEW_PASSWORD, userAgent: "tab 1" }),
      (conn) => setPasswordWithToken(conn, { token, password: "another new passphrase", userAgent: "tab 2" }),
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

    expect(outcome(await attempt(person.email, TEST_PASSWORD))).toBe("invalid");
    const signedIn = await attempt(person.email, NEW_PASSWORD);
    expect(signedIn.ok && signedIn.userId).toBe(person.id);

    const audit = await db().selectFrom("audit_events").select("action").where("entity_id", "=", String(person.id)).execute();
    expect(audit.map((a) => a.action)).toContain("user.password_reset");
  });

  it("setting a new password lifts the pause on the account", async () => {
    const person = await createUser(db());
    for (let i = 0; i < ACCOUNT_POLICY.free; i++) await attempt(person.email, "wrong");
    expect(outcome(await attempt(person.email, TEST_PASSWORD))).toBe("throttled");
    const token = await requestAndGetToken(person.email);
    expect((await setPasswordWithToken(db(), { token, password: NEW_PASSWORD, userAgent: null })).ok).toBe(true);
    expect((await attempt(person.email, NEW_PASSWORD)).ok).toBe(true);
  });

  it.each([
    ["a common password", "password123"],
    ["the product's name", "neverok-training-2026"],
    ["the person's own name", "Priya Shah 2026"],
    ["the person's email address", "EMAIL"],
  ])("refuses %s with advice to use a passphrase, and leaves the link unspent", async (_label, password) => {
    const person = await createUser(db(), { name: "Priya Shah" });
    const token = await requestAndGetToken(person.email);
    const result = await setPasswordWithToken(db(), { token, password: password === "EMAIL" ? person.email : password, userAgent: null });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toBe("weak");
    if (!result.ok && result.reason === "weak") expect(result.message).toContain("passphrase");
    expect((await lookupEmailToken(db(), token)).status).toBe("valid");
    expect(outcome(await attempt(person.email, TEST_PASSWORD))).toBe("ok");
  });

  it("for an account with a second factor, the link alone does not sign in: the code is still asked for", async () => {
    const person = await createUser(db());
    await withSecondFactor(person.id);
    const token = await requestAndGetToken(person.email);
    const result = await setPasswordWithToken(db(), { token, password: NEW_PASSWORD, userAgent: null });
    expect(result.ok && result.awaitsSecondFactor).toBe(true);
    if (!result.ok) return;
    const session = await validateSessionToken(db(), result.token);
    expect(session && awaitsSecondFactor(session)).toBe(true);
  });
});
