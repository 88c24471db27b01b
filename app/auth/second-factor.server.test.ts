import { Secret, TOTP } from "otpauth";
import { describe, expect, it } from "vitest";
import { getDb } from "#app/db.server.ts";
import type { Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import { allAcross, separateConnections } from "#tests/connections.ts";
import { HOUR, MINUTE, now, setClockOffsetForTests } from "#app/utils/time.ts";
import { createUser, setEnvForTest, TEST_PASSWORD } from "#tests/factories.ts";
import { addTestProvider } from "#tests/sso-fixtures.ts";
import { open, seal } from "./secret-box.server.ts";
import {
  beginSecondFactorSetup,
  checkSecondFactor,
  CODE_POLICY,
  confirmSecondFactorSetup,
  proveSecondFactor,
  provedRecently,
  replaceRecoveryCodes,
  secondFactorStatus,
  STEP_UP_MS,
} from "./second-factor.server.ts";
import { awaitsSecondFactor, createAuthSession, validateSessionToken, type SessionUser, type ValidatedSession } from "./session.server.ts";

const db = () => getDb();
const STEP = 30_000;
let clients = 0;
const client = () => `192.0.2.${++clients}`;

let offset = 0;
function setClock(ms: number) {
  offset = ms;
  setClockOffsetForTests(ms);
}
beforeEach(() => {
  offset = 0;
});

/** The code an authenticator shows `steps` steps from the app's clock. */
const codeAt = (secret: string, steps = 0) => TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: now().getTime() + steps * STEP });

async function sessionFor(user: SessionUser, opts: { secondFactorAt?: string | null } = {}): Promise<{ token: string; session: ValidatedSession }> {
  const { token } = await createAuthSession(db(), user.id, "vitest", opts);
  return { token, session: (await validateSessionToken(db(), token))! };
}

/** A coordinator with a confirmed authenticator; the code that confirmed it is already used. */
async function enrolled() {
  const user = await createUser(db(), { roles: ["coordinator"] });
  const { session } = await sessionFor(user);
  const { secret } = await beginSecondFactorSetup(db(), user);
  const confirmed = await confirmSecondFactorSetup(db(), session, { code: codeAt(secret), currentPassword: TEST_PASSWORD, client: client() });
  if (!confirmed.ok) throw new Error(confirmed.message);
  return { user, secret, recoveryCodes: confirmed.recoveryCodes };
}

describe("setting up", () => {
  it("signed in through a provider, a sign-in there in the last 15 minutes stands for the password", async () => {
    const user = await createUser(db(), { roles: ["coordinator"], password: null });
    const provider = await addTestProvider(db(), { issuer: "http://127.0.0.1:9", slug: "campus-trusted" });
    const { token } = await createAuthSession(db(), user.id, "vitest", { ssoProviderId: provider.id });
    const { secret } = await beginSecondFactorSetup(db(), user);
    setClock(16 * MINUTE);
    const stale = (await validateSessionToken(db(), token))!;
    expect(await confirmSecondFactorSetup(db(), stale, { code: codeAt(secret), currentPassword: null, client: client() })).toMatchObject({
      ok: false,
      field: "form",
      status: 403,
    });
    setClock(14 * MINUTE);
    const fresh = (await validateSessionToken(db(), token))!;
    expect(await confirmSecondFactorSetup(db(), fresh, { code: codeAt(secret), currentPassword: null, client: client() })).toMatchObject({ ok: true });
  });

  it("keeps one secret while it is being set up, stores it only encrypted, and starts afresh after an hour", async () => {
    const user = await createUser(db());
    const first = await beginSecondFactorSetup(db(), user);
    expect(first.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(first.uri).toMatch(/^otpauth:\/\/totp\/NeverOK%20Training:.+\?.*secret=/);
    expect((await beginSecondFactorSetup(db(), user)).secret).toBe(first.secret);
    const row = await db().selectFrom("second_factors").selectAll().where("user_id", "=", user.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(first.secret);
    expect(row.confirmed_at).toBeNull();
    setClock(HOUR + MINUTE);
    expect((await beginSecondFactorSetup(db(), user)).secret).not.toBe(first.secret);
  });

  it("needs the current password and a right code; then gives ten recovery codes once, stored hashed", async () => {
    const user = await createUser(db(), { roles: ["officer"] });
    const { token, session } = await sessionFor(user);
    const { secret } = await beginSecondFactorSetup(db(), user);

    const wrongPassword = await confirmSecondFactorSetup(db(), session, { code: codeAt(secret), currentPassword: "not my password", client: client() });
    expect(wrongPassword).toMatchObject({ ok: false, field: "currentPassword" });
    const noPassword = await confirmSecondFactorSetup(db(), session, { code: codeAt(secret), currentPassword: null, client: client() });
    expect(noPassword).toMatchObject({ ok: false, field: "currentPassword", message: "Enter your current password" });
    const wrongCode = await confirmSecondFactorSetup(db(), session, { code: codeAt(secret, 3), currentPassword: TEST_PASSWORD, client: client() });
    expect(wrongCode).toMatchObject({ ok: false, field: "code" });
    expect(await secondFactorStatus(db(), user.id)).toEqual({ enrolled: false });

    const done = await confirmSecondFactorSetup(db(), session, { code: codeAt(secret), currentPassword: TEST_PASSWORD, client: client() });
    if (!done.ok) throw new Error(done.message);
    expect(done.recoveryCodes).toHaveLength(10);
    expect(new Set(done.recoveryCodes).size).toBe(10);
    for (const code of done.recoveryCodes) expect(code).toMatch(/^[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}$/);
    const stored = JSON.stringify(await db().selectFrom("recovery_codes").selectAll().where("user_id", "=", user.id).execute());
    for (const code of done.recoveryCodes) {
      expect(stored).not.toContain(code);
      expect(stored).not.toContain(code.replaceAll("-", ""));
    }
    expect(await secondFactorStatus(db(), user.id)).toMatchObject({ enrolled: true, recoveryCodesLeft: 10 });

    // This session has just given the code; the person is told by email, and the audit log says so.
    const now1 = await validateSessionToken(db(), token);
    expect(now1 && provedRecently(now1)).toBe(true);
    const mail = await db().selectFrom("email_messages").select(["subject", "text"]).where("to_address", "=", user.email).execute();
    expect(mail.map((m) => m.subject)).toContain("A second factor was set up on your NeverOK Training account");
    const audit = await db().selectFrom("audit_events").select("action").where("entity_id", "=", String(user.id)).execute();
    expect(audit.map((a) => a.action)).toContain("auth.second_factor_set_up");
  });

  it("sends the account's other sessions to give a code once it is on", async () => {
    const user = await createUser(db(), { roles: ["coordinator"] });
    const { token: otherToken } = await sessionFor(user);
    const { session } = await sessionFor(user);
    const { secret } = await beginSecondFactorSetup(db(), user);
    expect((await confirmSecondFactorSetup(db(), session, { code: codeAt(secret), currentPassword: TEST_PASSWORD, client: client() })).ok).toBe(true);
    const other = await validateSessionToken(db(), otherToken);
    expect(other && awaitsSecondFactor(other)).toBe(true);
  });

  it("replacing the authenticator needs a recent code from the one in use", async () => {
    const { user, secret } = await enrolled();
    const { session: stale } = await sessionFor(user, { secondFactorAt: new Date(now().getTime() - STEP_UP_MS - MINUTE).toISOString() });
    const next = await beginSecondFactorSetup(db(), user);
    const refused = await confirmSecondFactorSetup(db(), stale, { code: codeAt(next.secret), currentPassword: TEST_PASSWORD, client: client() });
    expect(refused).toMatchObject({ ok: false, field: "form" });
    // The old authenticator still works.
    setClock(STEP);
    expect((await checkSecondFactor(db(), user.id, codeAt(secret))).ok).toBe(true);
  });
});

describe("checking a code", () => {
  it("accepts the code of the step before, now and after, and refuses two steps away", async () => {
    for (const steps of [-1, 0, 1]) {
      const { user, secret } = await enrolled();
      setClock(offset + 3 * STEP);
      expect((await checkSecondFactor(db(), user.id, codeAt(secret, steps))).ok, `step ${steps}`).toBe(true);
    }
    for (const steps of [-2, 2]) {
      const { user, secret } = await enrolled();
      setClock(offset + 3 * STEP);
      expect((await checkSecondFactor(db(), user.id, codeAt(secret, steps))).ok, `step ${steps}`).toBe(false);
    }
  });

  it("never accepts the same code twice, nor an older one after a newer one", async () => {
    const { user, secret } = await enrolled();
    setClock(3 * STEP);
    const code = codeAt(secret);
    expect((await checkSecondFactor(db(), user.id, code)).ok).toBe(true);
    expect((await checkSecondFactor(db(), user.id, code)).ok).toBe(false);
    expect((await checkSecondFactor(db(), user.id, codeAt(secret, -1))).ok).toBe(false);
    expect((await checkSecondFactor(db(), user.id, codeAt(secret, 1))).ok).toBe(true);
  });

  it("accepts each recovery code once, typed in any case, with or without dashes and spaces", async () => {
    const { user, recoveryCodes } = await enrolled();
    const [first, second] = recoveryCodes as [string, string];
    expect(await checkSecondFactor(db(), user.id, first.toUpperCase().replaceAll("-", " "))).toMatchObject({
      ok: true,
      method: "recovery code",
      recoveryCodesLeft: 9,
    });
    expect((await checkSecondFactor(db(), user.id, first)).ok).toBe(false);
    expect(await checkSecondFactor(db(), user.id, second.replaceAll("-", ""))).toMatchObject({ ok: true, recoveryCodesLeft: 8 });
  });

  it("pauses after five wrong codes, refuses even the right one until then, then accepts it", async () => {
    const { user, secret } = await enrolled();
    setClock(3 * STEP);
    const results = [];
    for (let i = 0; i < CODE_POLICY.free; i++) results.push(await checkSecondFactor(db(), user.id, "000000"));
    expect(results.every((r) => !r.ok && r.reason === "invalid")).toBe(true);
    const paused = await checkSecondFactor(db(), user.id, codeAt(secret));
    expect(paused).toMatchObject({ ok: false, reason: "throttled" });
    setClock(3 * STEP + CODE_POLICY.firstPauseMs);
    expect((await checkSecondFactor(db(), user.id, codeAt(secret))).ok).toBe(true);
  });

  it("counts every one of a burst of simultaneous guesses, spread over several app processes", async () => {
    const { user } = await enrolled();
    const guesses = Array.from({ length: 30 }, (_, i) => String(100000 + i));
    const results = await allAcross(
      separateConnections(4),
      guesses.map((g) => (conn: Kysely<Database>) => checkSecondFactor(conn, user.id, g)),
    );
    expect(results.filter((r) => !r.ok && r.reason === "invalid")).toHaveLength(CODE_POLICY.free);
  });

  it("refuses everything for an account without a confirmed authenticator", async () => {
    const user = await createUser(db());
    const { secret } = await beginSecondFactorSetup(db(), user);
    expect((await checkSecondFactor(db(), user.id, codeAt(secret))).ok).toBe(false);
  });
});

describe("the stored secret", () => {
  it("opens only under the same SESSION_SECRET and for the same account", () => {
    const sealed = seal("JBSWY3DPEHPK3PXP", "second-factor:1");
    expect(open(sealed, "second-factor:1")).toBe("JBSWY3DPEHPK3PXP");
    expect(open(sealed, "second-factor:2")).toBeNull();
    // One bit of the ciphertext flipped. (Changing its last characters is not enough: the final
    // base64url character carries bits the decoder drops, so some changes leave the bytes as they were.)
    const [version, iv, tag, body] = sealed.split(".");
    const altered = Buffer.from(body!, "base64url");
    altered[0] = altered[0]! ^ 1;
    expect(open([version, iv, tag, altered.toString("base64url")].join("."), "second-factor:1")).toBeNull();
    const restore = setEnvForTest({ SESSION_SECRET: "another-secret-of-sufficient-length" });
    try {
      expect(open(sealed, "second-factor:1")).toBeNull();
    } finally {
      restore();
    }
  });
});

describe("proving the second factor", () => {
  it("at sign-in replaces the password-only session with a signed-in one", async () => {
    const { user, secret } = await enrolled();
    const { token, session } = await sessionFor(user);
    expect(awaitsSecondFactor(session)).toBe(true);
    setClock(STEP);
    const result = await proveSecondFactor(db(), session, { code: codeAt(secret), userAgent: "vitest", client: client() });
    if (!result.ok || !result.newSession) throw new Error("expected a new session");
    expect(await validateSessionToken(db(), token)).toBeNull();
    const signedIn = (await validateSessionToken(db(), result.newSession.token))!;
    expect(awaitsSecondFactor(signedIn)).toBe(false);
    expect(provedRecently(signedIn)).toBe(true);
  });

  it("asked again, it is good for a few minutes", async () => {
    const { user, secret } = await enrolled();
    const { token, session } = await sessionFor(user, { secondFactorAt: now().toISOString() });
    setClock(STEP_UP_MS + MINUTE);
    const stale = (await validateSessionToken(db(), token))!;
    expect(provedRecently(stale)).toBe(false);
    const result = await proveSecondFactor(db(), stale, { code: codeAt(secret), userAgent: null, client: client() });
    expect(result).toMatchObject({ ok: true, newSession: null });
    expect(provedRecently((await validateSessionToken(db(), token))!)).toBe(true);
    setClock(2 * STEP_UP_MS + 2 * MINUTE);
    expect(provedRecently((await validateSessionToken(db(), token))!)).toBe(false);
    expect(session.sessionId).toBe(stale.sessionId);
  });

  it("tells the person by email when a recovery code is used", async () => {
    const { user, recoveryCodes } = await enrolled();
    const { session } = await sessionFor(user);
    const result = await proveSecondFactor(db(), session, { code: recoveryCodes[0]!, userAgent: null, client: client() });
    expect(result).toMatchObject({ ok: true, method: "recovery code", recoveryCodesLeft: 9 });
    const mail = await db().selectFrom("email_messages").select("subject").where("to_address", "=", user.email).execute();
    expect(mail.map((m) => m.subject)).toContain("A recovery code was used on your NeverOK Training account");
  });

  it("new recovery codes need a recent code, and make the old ones stop working", async () => {
    const { user, secret, recoveryCodes } = await enrolled();
    const { session: stale } = await sessionFor(user, { secondFactorAt: new Date(now().getTime() - STEP_UP_MS - MINUTE).toISOString() });
    expect((await replaceRecoveryCodes(db(), stale)).ok).toBe(false);
    setClock(STEP);
    const proved = await proveSecondFactor(db(), stale, { code: codeAt(secret), userAgent: null, client: client() });
    expect(proved.ok).toBe(true);
    const fresh = (await validateSessionToken(db(), (await createAuthSession(db(), user.id, null, { secondFactorAt: now().toISOString() })).token))!;
    const replaced = await replaceRecoveryCodes(db(), fresh);
    if (!replaced.ok) throw new Error(replaced.message);
    expect((await checkSecondFactor(db(), user.id, recoveryCodes[0]!)).ok).toBe(false);
    expect((await checkSecondFactor(db(), user.id, replaced.recoveryCodes[0]!)).ok).toBe(true);
  });
});
