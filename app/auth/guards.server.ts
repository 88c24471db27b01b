import { data, redirect } from "@remix-run/node";
import type { Role } from "#db/schema.ts";
import { recordAuditQuietly } from "#app/audit/audit.server.ts";
import { getDb } from "#app/db.server.ts";
import { assertSameOrigin } from "./csrf.server.ts";
import { hasPermission, type Permission } from "./permissions.ts";
import { readSessionToken, validateSessionToken, type SessionUser, type ValidatedSession } from "./session.server.ts";

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

export async function getUser(request: Request): Promise<SessionUser | null> {
  return (await getSession(request))?.user ?? null;
}

function loginRedirect(request: Request) {
  const url = new URL(request.url);
  const back = url.pathname + url.search;
  const params = back && back !== "/" ? `?${new URLSearchParams({ redirectTo: back })}` : "";
  return redirect(`/login${params}`);
}

/** Who may be here: anyone signed in. Also refuses cross-site writes. */
export async function requireUser(request: Request): Promise<SessionUser> {
  assertSameOrigin(request);
  const user = await getUser(request);
  if (!user) throw loginRedirect(request);
  return user;
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
