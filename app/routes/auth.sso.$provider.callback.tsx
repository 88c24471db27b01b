import { data, redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { sessionCookie } from "#app/auth/session.server.ts";
import { completeSsoSignIn } from "#app/auth/sso/sso-sign-in.server.ts";
import { ssoRefusalMessage, ssoRefusalNextStep } from "#app/auth/sso/refusals.ts";
import { clearedStateCookie, readStateCookie } from "#app/auth/sso/state-cookie.server.ts";
import { AuthCard, NoAccountNeeded } from "#app/components/auth-card.tsx";
import { getDb } from "#app/db.server.ts";
import { getCoordinatorContact } from "#app/settings/settings.server.ts";
import { contactText } from "#app/settings/contact.ts";
import { clientAddressOf } from "#app/utils/client-address.server.ts";

// The tab says what happened, as the page does: a person with several tabs open finds it again.
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.message.title ?? "Signing in"} · NeverOK Training` }];

/** Where the provider sends the browser back: the code is exchanged and checked, and the person signed in or told why not. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  if ([...url.searchParams.keys()].length === 0) throw redirect("/login");
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
  return (
    <AuthCard title={message.title} footer={<NoAccountNeeded />}>
      <div role="alert" className="rounded-md border border-red-300 bg-red-50 p-4 text-red-900">
        <p>{message.text}</p>
      </div>
      <ul className="mt-6 space-y-3">
        {provider && next === "start_again" ? (
          <li>
            <a href={`/auth/sso/${provider.slug}`} className="font-semibold text-brand-800 underline">
              Sign in through {provider.name} again
            </a>
          </li>
        ) : null}
        {provider && next === "switch_account" ? (
          <li>
            <a href={`/auth/sso/${provider.slug}/sign-out`} className="font-semibold text-brand-800 underline">
              Sign out of {provider.name}, to sign in there with another account
            </a>
          </li>
        ) : null}
        <li>
          <Link to="/login" className="font-semibold text-brand-800 underline">
            Back to signing in
          </Link>
        </li>
      </ul>
    </AuthCard>
  );
}
