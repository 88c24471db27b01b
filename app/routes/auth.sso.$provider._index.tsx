import { data, redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { getUser } from "#app/auth/guards.server.ts";
import { beginSsoSignIn, ProviderUnavailableError } from "#app/auth/sso/oidc.server.ts";
import { getSignInProviderBySlug } from "#app/auth/sso/providers.server.ts";
import { ssoRefusalMessage, ssoRefusalNextStep } from "#app/auth/sso/refusals.ts";
import { stateCookie } from "#app/auth/sso/state-cookie.server.ts";
import { SignInProblem } from "#app/components/sign-in-problem.tsx";
import { getDb } from "#app/db.server.ts";
import { safeRedirect } from "#app/utils/safe-redirect.ts";

export const meta: MetaFunction = () => [{ title: "Signing in · NeverOK Training" }];

/**
 * The start of a sign-in through a provider: a link, not a form, because the page's form-action
 * policy keeps forms on this site and this leaves it for the provider.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const redirectTo = safeRedirect(url.searchParams.get("redirectTo"));
  // Someone signed in comes here only to prove it is them again (before sensitive work): the provider asks afresh.
  const reauth = url.searchParams.get("reauth") === "1";
  if (!reauth && (await getUser(request))) throw redirect(redirectTo);
  const provider = await getSignInProviderBySlug(getDb(), params.provider ?? "");
  const noStore = { "Cache-Control": "no-store" };
  if (!provider?.isEnabled) {
    const message = ssoRefusalMessage({ reason: "unknown_provider", provider: null, email: null }, "the coordinator");
    return data({ message, provider: null, next: null }, { status: message.status, headers: noStore });
  }
  try {
    const started = await beginSsoSignIn(getDb(), provider, redirectTo, { reauth });
    throw redirect(started.authorizationUrl, { headers: { ...noStore, "Set-Cookie": stateCookie(started.state, started.expiresAt) } });
  } catch (error) {
    if (!(error instanceof ProviderUnavailableError)) throw error;
    const message = ssoRefusalMessage({ reason: "unavailable", provider, email: null }, "the coordinator");
    return data(
      { message, provider: { name: provider.name, slug: provider.slug }, next: ssoRefusalNextStep("unavailable") },
      { status: message.status, headers: noStore },
    );
  }
}

export default function SsoStartPage() {
  const { message, provider, next } = useLoaderData<typeof loader>();
  return <SignInProblem title={message.title} text={message.text} provider={provider} next={next} />;
}
