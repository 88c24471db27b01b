import "#app/utils/zod-config.ts";
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { isRouteErrorResponse, Link, Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteError, useMatches, useRouteLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { getUser } from "#app/auth/guards.server.ts";
import { offersSecondFactor } from "#app/auth/second-factor-offer.server.ts";
import { AppNav } from "#app/components/app-nav.tsx";
import { buttonClass } from "#app/components/button.tsx";
import { FlashBanner } from "#app/components/flash-banner.tsx";
import { SecondFactorOffer } from "#app/components/second-factor-offer.tsx";
import { SupportFooter } from "#app/components/support-signpost.tsx";
import { getDb } from "#app/db.server.ts";
import { supportDirectory } from "#app/support/support.server.ts";
import { readFlash } from "#app/utils/flash.server.ts";
import { useNonce } from "#app/utils/nonce.tsx";
import stylesheet from "./tailwind.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [{ title: "NeverOK Training" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const { flash, setCookie } = await readFlash(request);
  return data(
    {
      user: user ? { name: user.name, roles: user.roles } : null,
      flash,
      offerSecondFactor: await offersSecondFactor(request),
      // Every page's footer, and every feedback page, shows where to find support.
      support: await supportDirectory(getDb()),
    },
    setCookie ? { headers: { "Set-Cookie": setCookie } } : undefined,
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const root = useRouteLoaderData<typeof loader>("root");
  const nonce = useNonce();
  // A page that is a document to print (the impact report's printable copy) goes without navigation.
  const handles = useMatches().map((m) => m.handle as { bare?: boolean; supportInPage?: boolean } | undefined);
  const bare = handles.some((h) => h?.bare);
  // A page that shows the support directory itself (the front door, the feedback pages) does not repeat
  // it below; an error page in its place always has it.
  const error = useRouteError();
  const supportInPage = handles.some((h) => h?.supportInPage) && !error;
  return (
    <html lang="en-GB" className="h-full">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body className="flex min-h-full flex-col">
        <a
          href="#main"
          className="sr-only z-50 rounded-md bg-white px-4 py-2 font-semibold text-brand-800 focus:not-sr-only focus:absolute focus:left-4 focus:top-4"
        >
          Skip to content
        </a>
        {root?.user && !bare ? <AppNav user={root.user} /> : null}
        <main id="main" tabIndex={-1} className="mx-auto w-full max-w-7xl flex-1 px-4 py-8 outline-none sm:px-6">
          {root?.offerSecondFactor && !bare ? <SecondFactorOffer /> : null}
          <FlashBanner flash={root?.flash ?? null} />
          {children}
        </main>
        <footer className="no-print border-t border-slate-200 bg-white">
          <div className="mx-auto max-w-7xl space-y-4 px-4 py-6 text-sm text-slate-700 sm:px-6">
            {supportInPage ? null : <SupportFooter />}
            <p className={supportInPage ? "" : "border-t border-slate-200 pt-4"}>
              #NeverOK: harassment, bullying, sexual misconduct and discrimination are never OK.{" "}
              <Link to="/privacy-notice" className="underline">
                How we use your personal data
              </Link>
              .
            </p>
          </div>
        </footer>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  let title = "Something went wrong";
  let message = "We could not show this page. Please try again; if it keeps happening, tell the training coordinator.";
  if (isRouteErrorResponse(error)) {
    const detail = (error.data as { message?: string } | null)?.message;
    if (error.status === 403) {
      title = "You do not have access to this page";
      message = detail ?? "Your account does not include this part of NeverOK Training. If you think it should, ask the training coordinator.";
    } else if (error.status === 404) {
      title = "Page not found";
      message = detail ?? "We could not find that page. It may have moved, or the link may be wrong.";
    } else if (error.status >= 400 && error.status < 500) {
      // A refused form (too large, not a form, unreadable text) says what was wrong and that nothing was saved.
      title = "We could not accept that";
      message = detail ?? message;
    }
  } else if (error instanceof Error && import.meta.env.DEV) {
    message = error.message;
  }
  const status = isRouteErrorResponse(error) ? error.status : 500;
  return (
    <div className="mx-auto max-w-xl py-12 text-center">
      <p className="text-sm font-semibold text-brand-700">Error {status}</p>
      <h1 className="mt-2 text-3xl font-bold text-slate-900">{title}</h1>
      <p className="mt-4 text-slate-700">{message}</p>
      <div className="mt-8 flex justify-center gap-3">
        <a href="/" className={buttonClass("primary")}>
          Go to your home page
        </a>
      </div>
    </div>
  );
}
