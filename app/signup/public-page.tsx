import { Link, useRouteLoaderData } from "@remix-run/react";
import type { loader as rootLoader } from "#app/root.tsx";
import { countOf } from "#app/utils/plural.ts";

/**
 * The name of the service above a public page. People signed in already have the app's
 * navigation; people who came from a poster or an email have nothing else to tell them where they are.
 */
export function PublicMasthead() {
  const root = useRouteLoaderData<typeof rootLoader>("root");
  if (root?.user) return null;
  return (
    <div className="mb-6 flex flex-wrap items-center justify-between gap-3 border-b border-slate-200 pb-4">
      <Link to="/" className="flex items-center gap-3 text-slate-900 no-underline hover:no-underline">
        <span aria-hidden="true" className="grid h-10 w-10 place-items-center rounded-md bg-brand-800 text-xl font-black text-white">
          #
        </span>
        <span className="text-lg font-bold">NeverOK Training</span>
      </Link>
      <Link to="/login" className="inline-flex min-h-11 items-center text-sm font-semibold">
        Staff and trainers: sign in
      </Link>
    </div>
  );
}

/** "12 of 30 places left", or that the waiting list is open. */
export function placesText(s: { seatsLeft: number; capacity: number }) {
  if (s.seatsLeft <= 0) return "Full: join the waiting list";
  return `${countOf(s.seatsLeft, s.capacity, "place")} left`;
}

export function whoMaySignUp(s: { signupPolicy: "anyone" | "list" | "domain"; signupDomain: string | null }) {
  if (s.signupPolicy === "domain" && s.signupDomain) return `People with an @${s.signupDomain} email address`;
  if (s.signupPolicy === "list") return "Invited people only";
  return "Anyone: no account needed";
}
