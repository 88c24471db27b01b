import { data, redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { getSession } from "#app/auth/guards.server.ts";
import { invalidateSession, sessionCookie } from "#app/auth/session.server.ts";
import { completeSsoSignIn } from "#app/auth/sso/sso-sign-in.server.ts";
import { ssoRefusalMessage, ssoRefusalNextStep } from "#app/auth/sso/refusals.ts";
import { clearedStateCookie, readStateCookie } from "#app/auth/sso/state-cookie.server.ts";
import { SignInProblem } from "#app/components/sign-in-problem.tsx";
import { getDb } from "#app/db.server.ts";
import { getCoordinatorContact } from "#app/settings/settings.server.ts";
import { contactText } from "#app/settings/contact.ts";
import { clientAddressOf } from "#app/utils/client-address.server.ts";

// The tab says what happened, as the page does: a person with several tabs open finds it again.
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.message.title ?? "Signing in"} · NeverOK Training` }];

/** Where the provider sends the browser back: the code is exchanged and checked, and the person signed in or told why not. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const result = await completeSsoSignIn(getDb(), {
    slug: params.provider ?? "",
    answer: url.searchParams,
    cookieState: readStateCookie(request),
    userAgent: request.headers.get("User-Agent"),
    client: clientAddressOf(context),
  });
  const headers = new Headers({ "Cache-Control": "no-store" });
  headers.append("Set-Cookie", clearedStateCookie());
  if (result.ok) {
    // Signing in again (to prove it is them before sensitive work) replaces the session it came from.
    const before = await getSession(request);
    if (before && before.user.id === result.userId) await invalidateSession(getDb(), before.sessionId);
    headers.append("Set-Cookie", sessionCookie(result.token, result.expiresAt));
    const to = result.redirectTo;
    throw redirect(result.awaitsSecondFactor ? (to === "/" ? "/verify" : `/verify?${new URLSearchParams({ redirectTo: to })}`) : to, { headers });
  }
  const message = ssoRefusalMessage(result, contactText(await getCoordinatorContact(getDb())));
  return data(
    { message, provider: result.provider ? { name: result.provider.name, slug: result.provider.slug } : null, next: ssoRefusalNextStep(result.reason) },
    { status: message.status, headers },
  );
}

export default function SsoCallbackPage() {
  const { message, provider, next } = useLoaderData<typeof loader>();
  return <SignInProblem title={message.title} text={message.text} provider={provider} next={next} />;
}
