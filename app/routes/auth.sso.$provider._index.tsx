import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { getUser } from "#app/auth/guards.server.ts";
import { beginSsoSignIn, ProviderUnavailableError } from "#app/auth/sso/oidc.server.ts";
import { getSignInProviderBySlug } from "#app/auth/sso/providers.server.ts";
import { stateCookie } from "#app/auth/sso/state-cookie.server.ts";
import { getDb } from "#app/db.server.ts";
import { redirectWithFlash } from "#app/utils/flash.server.ts";
import { safeRedirect } from "#app/utils/safe-redirect.ts";
import { secureResource } from "#app/utils/security-headers.server.ts";

// A link, not a form: the page's form-action policy keeps forms on this site, and this leaves it for the provider.
export const loader = secureResource(async ({ request, params }: LoaderFunctionArgs) => {
  const redirectTo = safeRedirect(new URL(request.url).searchParams.get("redirectTo"));
  if (await getUser(request)) return redirect(redirectTo);
  const provider = await getSignInProviderBySlug(getDb(), params.provider ?? "");
  if (!provider?.isEnabled) {
    return redirectWithFlash("/login", { kind: "error", message: "That way of signing in is not set up here. Sign in with your email address and password." });
  }
  try {
    const started = await beginSsoSignIn(getDb(), provider, redirectTo);
    return redirect(started.authorizationUrl, { headers: { "Set-Cookie": stateCookie(started.state, started.expiresAt), "Cache-Control": "no-store" } });
  } catch (error) {
    if (!(error instanceof ProviderUnavailableError)) throw error;
    return redirectWithFlash("/login", {
      kind: "error",
      message: `${provider.name} cannot be reached just now, so signing in through it is not possible. Try again in a few minutes; if you have a password here, you can use it instead.`,
    });
  }
});
