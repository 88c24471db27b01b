import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "#app/db.server.ts";
import { DAY, HOUR, MINUTE, setClockOffsetForTests } from "#app/utils/time.ts";
import { sha256Hex } from "#app/utils/tokens.server.ts";
import { createUser, setEnvForTest } from "#tests/factories.ts";
import {
  ABSOLUTE_LIFETIME_MS,
  clearedSessionCookie,
  createAuthSession,
  IDLE_LIFETIME_MS,
  invalidateAllSessions,
  invalidateSession,
  readSessionToken,
  SESSION_COOKIE,
  sessionCookie,
  signedInSessions,
  sortRoles,
  validateSessionToken,
  type SessionUser,
} from "./session.server.ts";

const db = () => getDb();

async function sessionRow(token: string) {
  const id = token.split(".")[0]!;
  return db().selectFrom("auth_sessions").selectAll().where("id", "=", id).executeTakeFirst();
}

let user: SessionUser;
beforeAll(async () => {
  user = await createUser(db(), { roles: ["trainer", "coordinator"] });
});

describe("createAuthSession + validateSessionToken", () => {
  it("round-trips: the token validates to the user with their roles in display order", async () => {
    const { token, expiresAt } = await createAuthSession(db(), user.id, "Vitest");
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(expiresAt.getTime() - Date.now()).toBeGreaterThan(ABSOLUTE_LIFETIME_MS - MINUTE);
    expect(expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(ABSOLUTE_LIFETIME_MS);

    const session = await validateSessionToken(db(), token);
    expect(session).not.toBeNull();
    expect(session!.sessionId).toBe(token.split(".")[0]);
    expect(session!.user).toEqual({ id: user.id, email: user.email, name: user.name, roles: ["coordinator", "trainer"] });
  });

  it("validates someone with no roles to no roles, and someone with every role to each of them once", async () => {
    const nobody = await createUser(db(), { roles: [] });
    const plain = await validateSessionToken(db(), (await createAuthSession(db(), nobody.id, null)).token);
    expect(plain?.user).toEqual({ id: nobody.id, email: nobody.email, name: nobody.name, roles: [] });

    const everyone = await createUser(db(), { roles: ["booker", "trainer", "officer", "coordinator"] });
    const at = new Date().toISOString();
    await db().insertInto("second_factors").values({ user_id: everyone.id, secret: "x", confirmed_at: at, created_at: at }).execute();
    const full = await validateSessionToken(db(), (await createAuthSession(db(), everyone.id, null)).token);
    expect(full?.user.roles).toEqual(["coordinator", "officer", "trainer", "booker"]);
    expect(full?.secondFactor.enrolled).toBe(true);
  });

  it("issues a different token every time", async () => {
    const a = await createAuthSession(db(), user.id, null);
    const b = await createAuthSession(db(), user.id, null);
    expect(a.token).not.toBe(b.token);
    expect(a.token.split(".")[0]).not.toBe(b.token.split(".")[0]);
  });

  it("refuses the right session id with the wrong secret, and keeps the session", async () => {
    const { token } = await createAuthSession(db(), user.id, null);
    const [id, secret] = token.split(".") as [string, string];
    const wrong = secret.slice(0, -1) + (secret.endsWith("A") ? "B" : "A");
    expect(await validateSessionToken(db(), `${id}.${wrong}`)).toBeNull();
    expect(await validateSessionToken(db(), `${id}.`)).toBeNull();
    // A guess does not log the real owner out.
    expect(await validateSessionToken(db(), token)).not.toBeNull();
  });

  it("refuses an unknown session id", async () => {
    const { token } = await createAuthSession(db(), user.id, null);
    const secret = token.split(".")[1]!;
    expect(await validateSessionToken(db(), `nosuchsession.${secret}`)).toBeNull();
  });

  it.each([
    ["no dot", (t: string) => t.replace(".", "")],
    ["only an id", (t: string) => t.split(".")[0]!],
    ["an extra part", (t: string) => `${t}.extra`],
    ["an extra empty part", (t: string) => `${t}.`],
    ["an empty id", (t: string) => `.${t.split(".")[1]}`],
    ["a huge id", (t: string) => `${"a".repeat(5000)}${t}`],
    ["a huge secret", (t: string) => `${t}${"a".repeat(5000)}`],
    ["an empty string", () => ""],
  ])("refuses a malformed token: %s", async (_label, mangle) => {
    const { token } = await createAuthSession(db(), user.id, null);
    expect(await validateSessionToken(db(), mangle(token))).toBeNull();
  });

  it("stores only a SHA-256 hash of the secret, never the secret itself", async () => {
    const { token } = await createAuthSession(db(), user.id, "Agent");
    const secret = token.split(".")[1]!;
    const row = await sessionRow(token);
    expect(row).toBeDefined();
    expect(row!.secret_hash).toBe(sha256Hex(secret));
    expect(row!.secret_hash).toMatch(/^[0-9a-f]{64}$/);
    for (const value of Object.values(row!)) {
      expect(String(value)).not.toContain(secret);
    }
  });

  it("keeps at most 300 characters of the user agent", async () => {
    const { token } = await createAuthSession(db(), user.id, "x".repeat(1000));
    expect((await sessionRow(token))!.user_agent).toHaveLength(300);
  });
});

describe("signedInSessions", () => {
  it("counts only the sessions still live, and names the newest sign-in", async () => {
    const person = await createUser(db());
    await createAuthSession(db(), person.id, "old laptop");
    setClockOffsetForTests(IDLE_LIFETIME_MS + DAY);
    expect(await signedInSessions(db(), person.id)).toEqual({ count: 0, lastSignIn: null });
    await createAuthSession(db(), person.id, "phone");
    setClockOffsetForTests(IDLE_LIFETIME_MS + DAY + HOUR);
    const { token } = await createAuthSession(db(), person.id, "desktop");
    const newest = (await sessionRow(token))!.created_at;
    expect(await signedInSessions(db(), person.id)).toEqual({ count: 2, lastSignIn: newest });
  });
});

describe("expiry", () => {
  it("ends a session unused for the idle lifetime (7 days) and deletes it", async () => {
    const { token } = await createAuthSession(db(), user.id, null);
    setClockOffsetForTests(IDLE_LIFETIME_MS - MINUTE);
    expect(await validateSessionToken(db(), token)).not.toBeNull();
    // That use renewed it: 7 days from the use, not from creation.
    setClockOffsetForTests(IDLE_LIFETIME_MS + DAY);
    expect(await validateSessionToken(db(), token)).not.toBeNull();
    setClockOffsetForTests(2 * IDLE_LIFETIME_MS + DAY);
    expect(await validateSessionToken(db(), token)).toBeNull();
    expect(await sessionRow(token)).toBeUndefined();
  });

  it("ends a session exactly at the idle deadline when it was never used", async () => {
    const { token } = await createAuthSession(db(), user.id, null);
    setClockOffsetForTests(IDLE_LIFETIME_MS + 1000);
    expect(await validateSessionToken(db(), token)).toBeNull();
    expect(await sessionRow(token)).toBeUndefined();
    // Going back in time does not revive it: it has been deleted.
    setClockOffsetForTests(0);
    expect(await validateSessionToken(db(), token)).toBeNull();
  });

  it("ends a session after the absolute lifetime (30 days) even when it is used every day", async () => {
    const { token } = await createAuthSession(db(), user.id, null);
    for (let day = 1; day < 30; day += 2) {
      setClockOffsetForTests(day * DAY);
      expect(await validateSessionToken(db(), token), `day ${day}`).not.toBeNull();
    }
    setClockOffsetForTests(ABSOLUTE_LIFETIME_MS - MINUTE);
    expect(await validateSessionToken(db(), token)).not.toBeNull();
    setClockOffsetForTests(ABSOLUTE_LIFETIME_MS + MINUTE);
    expect(await validateSessionToken(db(), token)).toBeNull();
    expect(await sessionRow(token)).toBeUndefined();
  });

  it("renews idle_expires_at only after an hour since the last renewal", async () => {
    const { token } = await createAuthSession(db(), user.id, null);
    const created = (await sessionRow(token))!;

    setClockOffsetForTests(30 * MINUTE);
    expect(await validateSessionToken(db(), token)).not.toBeNull();
    const early = (await sessionRow(token))!;
    expect(early.idle_expires_at).toBe(created.idle_expires_at);
    expect(early.last_verified_at).toBe(created.last_verified_at);

    setClockOffsetForTests(HOUR + MINUTE);
    const before = Date.now() + HOUR + MINUTE;
    expect(await validateSessionToken(db(), token)).not.toBeNull();
    const after = Date.now() + HOUR + MINUTE;
    const renewed = (await sessionRow(token))!;
    expect(renewed.idle_expires_at > created.idle_expires_at).toBe(true);
    const idle = new Date(renewed.idle_expires_at).getTime();
    expect(idle).toBeGreaterThanOrEqual(before + IDLE_LIFETIME_MS);
    expect(idle).toBeLessThanOrEqual(after + IDLE_LIFETIME_MS);
    // The absolute deadline never moves.
    expect(renewed.absolute_expires_at).toBe(created.absolute_expires_at);
  });
});

describe("deactivation and sign-out", () => {
  it("refuses and deletes the session of a deactivated user", async () => {
    const other = await createUser(db());
    const { token } = await createAuthSession(db(), other.id, null);
    expect(await validateSessionToken(db(), token)).not.toBeNull();
    await db().updateTable("users").set({ is_active: 0 }).where("id", "=", other.id).execute();
    expect(await validateSessionToken(db(), token)).toBeNull();
    expect(await sessionRow(token)).toBeUndefined();
  });

  it("invalidateSession ends only that session", async () => {
    const a = await createAuthSession(db(), user.id, null);
    const b = await createAuthSession(db(), user.id, null);
    await invalidateSession(db(), a.token.split(".")[0]!);
    expect(await validateSessionToken(db(), a.token)).toBeNull();
    expect(await validateSessionToken(db(), b.token)).not.toBeNull();
  });

  it("invalidateAllSessions ends every session of that user and no one else's", async () => {
    const target = await createUser(db());
    const bystander = await createUser(db());
    const t1 = await createAuthSession(db(), target.id, "phone");
    const t2 = await createAuthSession(db(), target.id, "laptop");
    const b1 = await createAuthSession(db(), bystander.id, null);
    await invalidateAllSessions(db(), target.id);
    expect(await validateSessionToken(db(), t1.token)).toBeNull();
    expect(await validateSessionToken(db(), t2.token)).toBeNull();
    expect(await validateSessionToken(db(), b1.token)).not.toBeNull();
    const left = await db().selectFrom("auth_sessions").select("id").where("user_id", "=", target.id).execute();
    expect(left).toEqual([]);
  });
});

describe("sortRoles", () => {
  it("orders roles coordinator, officer, trainer, booker without changing the input", () => {
    const input = ["booker", "trainer", "officer", "coordinator"] as const;
    const copy = [...input];
    expect(sortRoles(copy)).toEqual(["coordinator", "officer", "trainer", "booker"]);
    expect(copy).toEqual(input);
  });
});

describe("cookies", () => {
  const restores: (() => void)[] = [];
  afterEach(() => {
    while (restores.length) restores.pop()!();
  });

  function withEnv(nodeEnv: string, appUrl: string) {
    // A deployment cannot start without SESSION_SECRET.
    restores.push(setEnvForTest({ NODE_ENV: nodeEnv, APP_URL: appUrl, SESSION_SECRET: "a-long-enough-session-secret-for-tests" }));
  }

  const attrs = (cookie: string) => cookie.split(";").map((p) => p.trim());

  it("is HttpOnly, SameSite=Lax, Path=/ and expires with the session", () => {
    const expires = new Date("2025-11-13T10:00:00Z");
    const cookie = sessionCookie("abc.def", expires);
    const parts = attrs(cookie);
    expect(parts[0]).toBe(`${SESSION_COOKIE}=abc.def`);
    expect(parts).toContain("HttpOnly");
    expect(parts).toContain("SameSite=Lax");
    expect(parts).toContain("Path=/");
    expect(parts).toContain(`Expires=${expires.toUTCString()}`);
  });

  it("is not Secure outside production", () => {
    withEnv("development", "https://training.example.ac.uk");
    expect(attrs(sessionCookie("a.b", new Date()))).not.toContain("Secure");
    withEnv("test", "https://training.example.ac.uk");
    expect(attrs(sessionCookie("a.b", new Date()))).not.toContain("Secure");
  });

  it("is Secure in production on a real host", () => {
    withEnv("production", "https://training.example.ac.uk");
    expect(attrs(sessionCookie("a.b", new Date()))).toContain("Secure");
    expect(attrs(clearedSessionCookie())).toContain("Secure");
  });

  it.each(["http://localhost:3000", "http://127.0.0.1:8080", "http://[::1]:3000"])("is not Secure in production on loopback %s", (url) => {
    withEnv("production", url);
    const parts = attrs(sessionCookie("a.b", new Date()));
    expect(parts).not.toContain("Secure");
    expect(parts).toContain("HttpOnly");
  });

  it("is Secure in production on https://localhost (loopback exemption is for http only)", () => {
    withEnv("production", "https://localhost:3000");
    expect(attrs(sessionCookie("a.b", new Date()))).toContain("Secure");
  });

  it("clearedSessionCookie empties the value and expires it now", () => {
    const parts = attrs(clearedSessionCookie());
    expect(parts[0]).toBe(`${SESSION_COOKIE}=`);
    expect(parts).toContain("Max-Age=0");
    expect(parts).toContain("HttpOnly");
    expect(parts).toContain("SameSite=Lax");
  });

  it("readSessionToken finds our cookie among others, and nothing when absent", () => {
    const req = (cookie?: string) => new Request("http://localhost:3000/", cookie ? { headers: { Cookie: cookie } } : undefined);
    expect(readSessionToken(req(`theme=dark; ${SESSION_COOKIE}=id.sec_ret-1; other=1`))).toBe("id.sec_ret-1");
    expect(readSessionToken(req("theme=dark"))).toBeNull();
    expect(readSessionToken(req(`${SESSION_COOKIE}=`))).toBeNull();
    expect(readSessionToken(req())).toBeNull();
    expect(readSessionToken(req(`x${SESSION_COOKIE}=nope`))).toBeNull();
  });
});
