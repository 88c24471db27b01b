import { cookieAttributes, readCookie } from "#app/auth/session.server.ts";

/**
 * The browser's half of a sign-in through a provider: the state, for ten minutes, sent only to the
 * sign-on addresses. SameSite=Lax still sends it when the provider sends the browser back.
 */
const STATE_COOKIE = "neverok_sso_state";
const PATH = "/auth/sso";

export function stateCookie(state: string, expiresAt: Date): string {
  return `${STATE_COOKIE}=${state}; ${cookieAttributes(PATH)}; Expires=${expiresAt.toUTCString()}`;
}

export function clearedStateCookie(): string {
  return `${STATE_COOKIE}=; ${cookieAttributes(PATH)}; Max-Age=0`;
}

export function readStateCookie(request: Request): string | null {
  const value = readCookie(request, STATE_COOKIE);
  return value && /^[\w-]{1,128}$/.test(value) ? value : null;
}
