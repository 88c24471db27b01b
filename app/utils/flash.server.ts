import { createCookieSessionStorage, redirect } from "@remix-run/node";
import crypto from "node:crypto";
import { getEnv, isProduction } from "./env.server.ts";

export type Flash = { kind: "success" | "info" | "error"; message: string };

// Flash messages are not secrets, but are signed so nobody can plant text on a page.
const LOCAL_FLASH_SECRET = "NEVEROK_LOCAL_FLASH_SECRET";

/**
 * What signs the flash cookie without a SESSION_SECRET (only on a local demo): a random secret made
 * once per start. A message set by one server process is read by whichever answers the redirect, so
 * the process that starts the others makes it first and they inherit it through the environment.
 */
export function localFlashSecret(): string {
  return (process.env[LOCAL_FLASH_SECRET] ||= crypto.randomBytes(32).toString("hex"));
}

let storage: ReturnType<typeof createCookieSessionStorage<Record<string, never>, { flash: Flash }>> | undefined;
function flashStorage() {
  storage ??= createCookieSessionStorage<Record<string, never>, { flash: Flash }>({
    cookie: {
      name: "neverok_flash",
      httpOnly: true,
      sameSite: "lax",
      path: "/",
      secure: isProduction() && getEnv().APP_URL.startsWith("https://"),
      secrets: [getEnv().SESSION_SECRET ?? localFlashSecret()],
    },
  });
  return storage;
}

export async function flashHeader(flash: Flash, request?: Request): Promise<string> {
  const session = await flashStorage().getSession(request?.headers.get("Cookie"));
  session.flash("flash", flash);
  return flashStorage().commitSession(session);
}

export async function redirectWithFlash(url: string, flash: Flash, init: { headers?: HeadersInit } = {}) {
  const headers = new Headers(init.headers);
  headers.append("Set-Cookie", await flashHeader(flash));
  return redirect(url, { headers });
}

export async function readFlash(request: Request): Promise<{ flash: Flash | null; setCookie: string | null }> {
  const cookie = request.headers.get("Cookie");
  if (!cookie?.includes("neverok_flash")) return { flash: null, setCookie: null };
  const session = await flashStorage().getSession(cookie);
  const flash = session.get("flash") ?? null;
  return { flash, setCookie: await flashStorage().commitSession(session) };
}
