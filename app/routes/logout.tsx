import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { assertSameOrigin } from "#app/auth/csrf.server.ts";
import { getSession } from "#app/auth/guards.server.ts";
import { clearedSessionCookie, invalidateAllSessions, invalidateSession } from "#app/auth/session.server.ts";
import { recordSignOut } from "#app/auth/sign-in.server.ts";
import { getSignInProvider } from "#app/auth/sso/providers.server.ts";
import { getDb } from "#app/db.server.ts";
import { flashHeader } from "#app/utils/flash.server.ts";
import { secureResource } from "#app/utils/security-headers.server.ts";
import { readFormData } from "#app/utils/request-body.server.ts";

// Signing out is a POST; a link or a prefetch must never sign anyone out.
export const loader = secureResource(async (_args: LoaderFunctionArgs) => redirect("/"));

export const action = secureResource(async ({ request }: ActionFunctionArgs) => {
  assertSameOrigin(request);
  const form = await readFormData(request);
  const everywhere = form.get("scope") === "everywhere";
  const session = await getSession(request);
  const provider = session?.ssoProviderId ? await getSignInProvider(getDb(), session.ssoProviderId) : null;
  if (session) {
    if (everywhere) await invalidateAllSessions(getDb(), session.user.id);
    else await invalidateSession(getDb(), session.sessionId);
    await recordSignOut(getDb(), session.user, everywhere);
  }
  const headers = new Headers();
  headers.append("Set-Cookie", clearedSessionCookie());
  headers.append("Set-Cookie", await flashHeader({ kind: "success", message: everywhere ? "You have signed out on every device." : "You have signed out." }));
  // Signed in through a provider: the sign-in page then offers the provider's own sign-out as well.
  return redirect(provider?.isEnabled ? `/login?${new URLSearchParams({ signedOutOf: provider.slug })}` : "/login", { headers });
});
