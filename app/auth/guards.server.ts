import { data, redirect } from "@remix-run/node";
import type { Role } from "#db/schema.ts";
import { recordAuditQuietly } from "#app/audit/audit.server.ts";
import { getDb } from "#app/db.server.ts";
import { getEnv, isDemoInstance } from "#app/utils/env.server.ts";
import { safeRedirect } from "#app/utils/safe-redirect.ts";
import { assertSameOrigin } from "./csrf.server.ts";
import { hasPermission, type Permission } from "./permissions.ts";
import { getSignInProvider } from "./sso/providers.server.ts";
import { provedRecently, secondFactorRequiredFor } from "./second-factor.server.ts";
import { awaitsSecondFactor, readSessionToken, validateSessionToken, type SessionUser, type ValidatedSession } from "./session.server.ts";

const cache = new WeakMap<Request, Promise<ValidatedSession | null>>();

/** The signed-in session for this request, if any; validated once per request. */
export function getSession(request: Request): Promise<ValidatedSession | null> {
  let pending = cache.get(request);
  if (!pending) {
    const token = readSessionToken(request);
    pending = token ? validateSessionToken(getDb(), token) : Promise.resolve(null);
    cache.set(request, pending);
  }
  return pending;
}

/** The signed-in person; null for nobody, and for a session still waiting for its second-factor code. */
export async function getUser(request: Request): Promise<SessionUser | null> {
  const session = await getSession(request);
  return session && !awaitsSecondFactor(session) ? session.user : null;
}

/**
 * Where to come back to after signing in or giving a code: the page asked for, or for a form post,
 * the page the form was on (the post itself cannot be replayed by a redirect).
 */
export function returnAddress(request: Request): string {
  const url = new URL(request.url);
  if (request.method === "GET" || request.method === "HEAD") return safeRedirect(url.pathname + url.search);
  const referer = request.headers.get("Referer");
  if (referer) {
    try {
      const from = new URL(referer);
      if (from.origin === url.origin || from.origin === new URL(getEnv().APP_URL).origin) return safeRedirect(from.pathname + from.search);
    } catch {
      // an unreadable Referer is ignored
    }
  }
  return safeRedirect(url.pathname);
}

function withReturn(path: string, back: string) {
  return back && back !== "/" ? `${path}?${new URLSearchParams({ redirectTo: back })}` : path;
}

function loginRedirect(request: Request) {
  return redirect(withReturn("/login", returnAddress(request)));
}

/**
 * Coordinators and union officers must set up a second factor before anything else, except on a
 * local demo instance, where it is offered and may be skipped.
 */
export function mustSetUpSecondFactor(session: ValidatedSession): boolean {
  return secondFactorRequiredFor(session.user.roles) && !session.secondFactor.enrolled && !provedByProvider(session) && !isDemoInstance();
}

/** Signed in through a provider the coordinator trusts, which said it checked a second factor. */
function provedByProvider(session: ValidatedSession): boolean {
  return session.ssoProviderId !== null && session.secondFactor.provedAt !== null;
}

/**
 * Who may be here: anyone signed in. Also refuses cross-site writes. A session waiting for its code
 * is sent to give it; an account that must have a second factor and has none is sent to set one up
 * (the set-up page itself passes `beforeSecondFactor`).
 */
export async function requireUser(request: Request, opts: { beforeSecondFactor?: boolean } = {}): Promise<SessionUser> {
  assertSameOrigin(request);
  const session = await getSession(request);
  if (!session) throw loginRedirect(request);
  if (awaitsSecondFactor(session)) throw redirect(withReturn("/verify", returnAddress(request)));
  if (!opts.beforeSecondFactor && mustSetUpSecondFactor(session)) throw redirect(withReturn("/account/second-factor", returnAddress(request)));
  return session.user;
}

/**
 * Before exporting or erasing a person's data: the second factor given in the last few minutes, or
 * asked for again. On a local demo an account without one is let through (it was offered, not required).
 */
export async function requireRecentSecondFactor(request: Request): Promise<void> {
  await requireUser(request);
  const session = (await getSession(request))!;
  if (!session.secondFactor.enrolled) {
    if (isDemoInstance()) return;
    if (provedByProvider(session)) {
      if (provedRecently(session)) return;
      // The provider's second factor, asked for again: a fresh sign-in there.
      const provider = await getSignInProvider(getDb(), session.ssoProviderId!);
      if (provider?.isEnabled) throw redirect(`/auth/sso/${provider.slug}?${new URLSearchParams({ reauth: "1", redirectTo: returnAddress(request) })}`);
    }
    throw redirect(withReturn("/account/second-factor", returnAddress(request)));
  }
  if (!provedRecently(session)) throw redirect(withReturn("/verify", returnAddress(request)));
}

export function forbidden(message = "You do not have access to this page.") {
  return data({ message }, { status: 403 });
}

export function notFound(message = "We could not find that.") {
  return data({ message }, { status: 404 });
}

/**
 * The 403 for a signed-in person who may not do this, recorded in the audit log first. The entry is
 * written on its own, outside any transaction; if it cannot be written the answer is still 403.
 */
export async function refuse(request: Request, user: SessionUser, needed: string, message?: string) {
  const url = new URL(request.url);
  await recordAuditQuietly(getDb(), {
    actorUserId: user.id,
    action: "auth.refused",
    entityType: "path",
    entityId: url.pathname.slice(0, 300),
    summary: `${user.name} was refused ${request.method} ${url.pathname.slice(0, 300)} (needs ${needed})`,
    detail: { method: request.method, path: url.pathname.slice(0, 300), needed, roles: user.roles },
  });
  return forbidden(message);
}

export async function requireRole(request: Request, role: Role | readonly Role[]): Promise<SessionUser> {
  const user = await requireUser(request);
  const wanted = Array.isArray(role) ? role : [role];
  if (!user.roles.some((r) => wanted.includes(r))) throw await refuse(request, user, `role ${wanted.join(" or ")}`);
  return user;
}

export async function requirePermission(request: Request, permission: Permission): Promise<SessionUser> {
  const user = await requireUser(request);
  if (!hasPermission(user.roles, permission)) throw await refuse(request, user, permission);
  return user;
}

export async function requireAnonymous(request: Request) {
  if (await getUser(request)) throw redirect("/");
}
