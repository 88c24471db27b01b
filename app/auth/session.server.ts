import type { Kysely } from "kysely";
import type { Database, Role, User } from "#db/schema.ts";
import { addMs, DAY, HOUR, now } from "#app/utils/time.ts";
import { constantTimeEqualHex, randomToken, sha256Hex } from "#app/utils/tokens.server.ts";
import { getEnv } from "#app/utils/env.server.ts";

/**
 * Sessions after Lucia's current guidance: the cookie holds `id.secret`; only SHA-256(secret) is
 * stored and compared in constant time. A session ends after IDLE_LIFETIME without use (sliding)
 * and in any case ABSOLUTE_LIFETIME after sign-in. The cookie expires with the absolute lifetime,
 * so renewal never needs a new cookie; the sliding part is enforced here on the server.
 */
export const IDLE_LIFETIME_MS = 7 * DAY;
export const ABSOLUTE_LIFETIME_MS = 30 * DAY;
const REFRESH_INTERVAL_MS = HOUR;
export const SESSION_COOKIE = "neverok_session";

export interface SessionUser {
  id: number;
  email: string;
  name: string;
  roles: Role[];
}

export interface ValidatedSession {
  sessionId: string;
  user: SessionUser;
  secondFactor: {
    /** The account has a confirmed authenticator. */
    enrolled: boolean;
    /** When this session last proved it (at sign-in or when asked again); null if never. */
    provedAt: string | null;
  };
  /** The identity provider this session was signed in through, if one was. */
  ssoProviderId: number | null;
  /** When this session was made (at sign-in). */
  signedInAt: string;
}

/**
 * A session made by the password of an account with a second factor, before the code: it may only
 * give the code (or sign out). Everything else treats it as signed out.
 */
export function awaitsSecondFactor(session: ValidatedSession): boolean {
  return session.secondFactor.enrolled && session.secondFactor.provedAt === null;
}

/** The provider a session came through, so a session that replaces it (after the second factor) keeps it. */
export async function sessionProvider(db: Kysely<Database>, sessionId: string): Promise<number | null> {
  const row = await db.selectFrom("auth_sessions").select("sso_provider_id").where("id", "=", sessionId).executeTakeFirst();
  return row?.sso_provider_id ?? null;
}

export async function createAuthSession(
  db: Kysely<Database>,
  userId: number,
  userAgent: string | null,
  opts: { secondFactorAt?: string | null; ssoProviderId?: number | null } = {},
): Promise<{ token: string; expiresAt: Date }> {
  const id = randomToken(18);
  const secret = randomToken(32);
  const at = now();
  const absolute = addMs(at, ABSOLUTE_LIFETIME_MS);
  await db
    .insertInto("auth_sessions")
    .values({
      id,
      user_id: userId,
      secret_hash: sha256Hex(secret),
      created_at: at.toISOString(),
      last_verified_at: at.toISOString(),
      idle_expires_at: addMs(at, IDLE_LIFETIME_MS).toISOString(),
      absolute_expires_at: absolute.toISOString(),
      user_agent: userAgent?.slice(0, 300) ?? null,
      second_factor_at: opts.secondFactorAt ?? null,
      sso_provider_id: opts.ssoProviderId ?? null,
    })
    .execute();
  return { token: `${id}.${secret}`, expiresAt: absolute };
}

export async function validateSessionToken(db: Kysely<Database>, token: string): Promise<ValidatedSession | null> {
  const [id, secret, extra] = token.split(".");
  if (!id || !secret || extra !== undefined || id.length > 64 || secret.length > 128) return null;

  // One statement for the session, its person and their roles: a row for each role (one row, with
  // no role, for someone who has none), since every signed-in page asks.
  const rows = await db
    .selectFrom("auth_sessions")
    .innerJoin("users", "users.id", "auth_sessions.user_id")
    .leftJoin("second_factors", "second_factors.user_id", "auth_sessions.user_id")
    .leftJoin("user_roles", "user_roles.user_id", "auth_sessions.user_id")
    .select([
      "auth_sessions.id",
      "auth_sessions.secret_hash",
      "auth_sessions.last_verified_at",
      "auth_sessions.idle_expires_at",
      "auth_sessions.absolute_expires_at",
      "auth_sessions.second_factor_at",
      "auth_sessions.sso_provider_id",
      "auth_sessions.created_at",
      "second_factors.confirmed_at as second_factor_confirmed_at",
      "users.id as user_id",
      "users.email",
      "users.name",
      "users.is_active",
      "user_roles.role",
    ])
    .where("auth_sessions.id", "=", id)
    .execute();
  const row = rows[0];
  if (!row) return null;
  if (!constantTimeEqualHex(row.secret_hash, sha256Hex(secret))) return null;

  const at = now();
  const iso = at.toISOString();
  if (row.is_active !== 1 || iso >= row.idle_expires_at || iso >= row.absolute_expires_at) {
    await invalidateSession(db, id);
    return null;
  }
  if (at.getTime() - new Date(row.last_verified_at).getTime() >= REFRESH_INTERVAL_MS) {
    await db
      .updateTable("auth_sessions")
      .set({ last_verified_at: iso, idle_expires_at: addMs(at, IDLE_LIFETIME_MS).toISOString() })
      .where("id", "=", id)
      .execute();
  }
  const roles = rows.flatMap((r) => (r.role === null ? [] : [r.role]));
  return {
    sessionId: id,
    user: { id: row.user_id, email: row.email, name: row.name, roles: sortRoles(roles) },
    secondFactor: { enrolled: row.second_factor_confirmed_at !== null, provedAt: row.second_factor_at },
    ssoProviderId: row.sso_provider_id,
    signedInAt: row.created_at,
  };
}

/** Where a person is signed in: how many sessions are still live, and when the newest began. */
export async function signedInSessions(db: Kysely<Database>, userId: number): Promise<{ count: number; lastSignIn: string | null }> {
  const iso = now().toISOString();
  const row = await db
    .selectFrom("auth_sessions")
    .select((eb) => [eb.fn.countAll<number>().as("n"), eb.fn.max("created_at").as("last")])
    .where("user_id", "=", userId)
    .where("idle_expires_at", ">", iso)
    .where("absolute_expires_at", ">", iso)
    .executeTakeFirstOrThrow();
  return { count: Number(row.n), lastSignIn: row.last ?? null };
}

export async function invalidateSession(db: Kysely<Database>, sessionId: string) {
  await db.deleteFrom("auth_sessions").where("id", "=", sessionId).execute();
}

export async function invalidateAllSessions(db: Kysely<Database>, userId: number) {
  await db.deleteFrom("auth_sessions").where("user_id", "=", userId).execute();
}

const ROLE_ORDER: Role[] = ["coordinator", "officer", "trainer", "booker"];
export function sortRoles(roles: Role[]): Role[] {
  return [...roles].sort((a, b) => ROLE_ORDER.indexOf(a) - ROLE_ORDER.indexOf(b));
}

/** The attributes every sign-in cookie shares, for the given path. */
export function cookieAttributes(path = "/") {
  const { NODE_ENV, APP_URL } = getEnv();
  const url = new URL(APP_URL);
  const loopback = ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname) && url.protocol === "http:";
  // Secure in production; a production build demonstrated on http://localhost is the one exception,
  // because browsers other than Chromium refuse Secure cookies there.
  const secure = NODE_ENV === "production" && !loopback;
  return `Path=${path}; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`;
}

export function sessionCookie(token: string, expiresAt: Date): string {
  return `${SESSION_COOKIE}=${token}; ${cookieAttributes()}; Expires=${expiresAt.toUTCString()}`;
}

export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; ${cookieAttributes()}; Max-Age=0`;
}

export function readSessionToken(request: Request): string | null {
  return readCookie(request, SESSION_COOKIE);
}

export function readCookie(request: Request, cookieName: string): string | null {
  const header = request.headers.get("Cookie");
  if (!header) return null;
  for (const part of header.split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name === cookieName) return rest.join("=") || null;
  }
  return null;
}

export type { User };
