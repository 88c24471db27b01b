import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ButtonLink } from "#app/components/button.tsx";
import { FilterBar, FilterDate, FilterSelect } from "#app/components/filters.tsx";
import { Badge, EmptyState } from "#app/components/layout.tsx";
import { SUPPORT_IN_PAGE, SupportSignpost } from "#app/components/support-signpost.tsx";
import { getDb } from "#app/db.server.ts";
import { Pager } from "#app/components/pager.tsx";
import { openSessionCard, publicOpenSessions } from "#app/signup/open-sessions.server.ts";
import { placesText, PublicMasthead, whoMaySignUp } from "#app/signup/public-page.tsx";
import { formatDateTime, formatRange } from "#app/utils/dates.ts";
import { plural } from "#app/utils/plural.ts";

export const handle = SUPPORT_IN_PAGE;

export const meta: MetaFunction = () => [
  { title: "Sign up for a #NeverOK training session · NeverOK Training" },
  { name: "description", content: "Free in-person #NeverOK training sessions open for sign-up: Active Bystander, Consent and more. No account needed." },
];

// Public: anyone with the link may look, no sign-in.
export async function loader({ request }: LoaderFunctionArgs) {
  const { filter, filtered, courses, page, sessions } = await publicOpenSessions(getDb(), new URL(request.url).searchParams);
  return {
    filter,
    filtered,
    courses: courses.map((c) => ({ value: String(c.id), label: c.name })),
    page,
    sessions: sessions.map(openSessionCard),
  };
}

type Listed = Awaited<ReturnType<typeof loader>>["sessions"][number];

export default function OpenSessionsPage() {
  const { sessions, page, courses, filter, filtered } = useLoaderData<typeof loader>();
  return (
    <>
      <PublicMasthead />
      <div className="mb-6 border-b border-slate-200 pb-5">
        <p className="inline-flex items-center rounded-full bg-brand-100 px-3 py-1 text-sm font-semibold text-brand-800">#NeverOK</p>
        <h1 className="mt-3 text-2xl font-bold tracking-tight text-slate-900 sm:text-3xl">Sign up for a training session</h1>
        <p className="mt-2 max-w-3xl text-slate-700">
          Harassment, bullying, sexual misconduct and discrimination are never OK. These free, in-person sessions help you recognise them, step in safely and
          support someone who tells you what happened. Choose a session and sign up with your name and email: no account needed.
        </p>
      </div>

      <FilterBar>
        <FilterSelect name="course" label="Course" value={filter.course} anyLabel="Any course" options={courses} />
        <div className="grid grid-cols-2 gap-3 sm:flex sm:items-end">
          <FilterDate name="from" label="From" value={filter.from} />
          <FilterDate name="to" label="To" value={filter.to} />
        </div>
      </FilterBar>
      {filtered ? (
        <p className="-mt-1 mb-4 text-sm">
          <Link to="/sessions/open">Show all open sessions</Link>
        </p>
      ) : null}

      <h2 className="sr-only">Sessions</h2>
      <p className="mb-3 text-sm text-slate-700" aria-live="polite">
        {page.total === 0 ? "" : `${plural(page.total, "session")}${filtered ? " match" : " open for sign-up"}`}
      </p>
      {sessions.length === 0 ? (
        <EmptyState>
          {filtered
            ? "No open sessions match these filters. Try another course or more dates."
            : "No sessions are open for sign-up just now. New dates are added through the year: please check again soon."}
        </EmptyState>
      ) : (
        <ul className="grid gap-4 md:grid-cols-2">
          {sessions.map((s) => (
            <SessionCard key={s.id} session={s} />
          ))}
        </ul>
      )}
      {page.pages > 1 ? <Pager page={page} noun="sessions" /> : null}

      <div className="mt-8">
        <SupportSignpost />
      </div>
    </>
  );
}

function SessionCard({ session: s }: { session: Listed }) {
  const full = s.seatsLeft <= 0;
  const headingId = `session-${s.id}-title`;
  const when = formatRange(s.startsAt, s.endsAt);
  return (
    <li className="flex flex-col rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
      <article aria-labelledby={headingId} className="flex flex-1 flex-col">
        <p className="flex items-center gap-2 text-sm font-medium text-slate-700">
          <span aria-hidden="true" className="h-3 w-3 shrink-0 rounded-full" style={{ backgroundColor: s.colour }} />
          {s.courseName}
        </p>
        <h3 id={headingId} className="mt-1 text-lg font-semibold text-slate-900">
          <Link to={`/sessions/open/${s.id}`} className="text-slate-900 hover:text-brand-700">
            {s.title}
          </Link>
        </h3>
        <dl className="mt-3 space-y-1.5 text-sm text-slate-800">
          <div className="flex gap-2">
            <dt className="w-16 shrink-0 font-semibold">When</dt>
            <dd>{when}</dd>
          </div>
          <div className="flex gap-2">
            <dt className="w-16 shrink-0 font-semibold">Where</dt>
            <dd>{s.where}</dd>
          </div>
          <div className="flex gap-2">
            <dt className="w-16 shrink-0 font-semibold">Places</dt>
            <dd className="flex flex-wrap items-center gap-2">
              {s.signupClosed ? <Badge tone="slate">Sign-up closed</Badge> : <Badge tone={full ? "amber" : "green"}>{placesText(s)}</Badge>}
            </dd>
          </div>
          <div className="flex gap-2">
            <dt className="w-16 shrink-0 font-semibold">Who</dt>
            <dd>{whoMaySignUp(s)}</dd>
          </div>
          {s.signupDeadline && !s.signupClosed ? (
            <div className="flex gap-2">
              <dt className="w-16 shrink-0 font-semibold">Closes</dt>
              <dd>{formatDateTime(s.signupDeadline)}</dd>
            </div>
          ) : null}
        </dl>
        <div className="mt-4 flex flex-1 items-end">
          <ButtonLink to={`/sessions/open/${s.id}`} variant={full || s.signupClosed ? "secondary" : "primary"} className="w-full sm:w-auto">
            {s.signupClosed ? "See details" : full ? "Join the waiting list" : "Sign up"}
            <span className="sr-only">: {when}</span>
          </ButtonLink>
        </div>
      </article>
    </li>
  );
}
