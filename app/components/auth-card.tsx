import { Link } from "@remix-run/react";
import type { ReactNode } from "react";

/** The frame for signed-out pages: sign in, forgotten password, choosing a password. */
export function AuthCard({ title, intro, children, footer }: { title: string; intro?: ReactNode; children: ReactNode; footer?: ReactNode }) {
  return (
    <div className="mx-auto grid max-w-5xl items-center gap-10 py-4 lg:grid-cols-2 lg:py-12">
      <div className="hidden lg:block">
        <p className="inline-flex items-center gap-2 rounded-full bg-brand-100 px-3 py-1 text-sm font-semibold text-brand-800">#NeverOK</p>
        <h2 className="mt-4 text-4xl font-black tracking-tight text-slate-900">Training that changes the culture on campus.</h2>
        <p className="mt-4 text-lg text-slate-700">
          Book Active Bystander, Consent, Handling Disclosures and Unconscious Bias sessions for your department, club or venue; schedule trainers; take
          registers; and see who has done their induction.
        </p>
      </div>
      <div className="w-full rounded-xl bg-white p-6 shadow-md ring-1 ring-slate-200 sm:p-8">
        <Link to="/" className="mb-6 flex w-fit items-center gap-3 no-underline hover:no-underline">
          <span aria-hidden="true" className="grid h-10 w-10 place-items-center rounded-md bg-brand-800 text-xl font-black text-white">
            #
          </span>
          <span className="text-lg font-bold text-slate-900">NeverOK Training</span>
        </Link>
        <h1 className="text-2xl font-bold text-slate-900">{title}</h1>
        {intro ? <div className="mt-2 text-slate-700">{intro}</div> : null}
        <div className="mt-6">{children}</div>
        {footer ? <div className="mt-6 border-t border-slate-200 pt-4 text-sm text-slate-700">{footer}</div> : null}
      </div>
    </div>
  );
}

/** For the attendee who reached a sign-in page: coming to a session needs no account. */
export function NoAccountNeeded({ className }: { className?: string }) {
  return (
    <p className={className}>
      Coming to a session?{" "}
      <Link to="/sessions/open" className="underline">
        See the open sessions and sign up
      </Link>
      : no account needed.
    </p>
  );
}
