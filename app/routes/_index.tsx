import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { getSession, requireUser } from "#app/auth/guards.server.ts";
import { ROLE_HOME } from "#app/auth/permissions.ts";
import { ButtonLink } from "#app/components/button.tsx";
import { Badge, EmptyState } from "#app/components/layout.tsx";
import { SUPPORT_IN_PAGE, SupportServiceCards, useSupportDirectory } from "#app/components/support-signpost.tsx";
import { getDb } from "#app/db.server.ts";
import { frontDoor } from "#app/home/front-door.server.ts";
import { placesText, PublicMasthead } from "#app/signup/public-page.tsx";
import { formatRange } from "#app/utils/dates.ts";

export const meta: MetaFunction = () => [
  { title: "#NeverOK Training: free in-person sessions on harassment, consent and being an active bystander" },
  {
    name: "description",
    content:
      "Sign up for a free #NeverOK training session, book one for your group, or find support. Harassment, bullying, sexual misconduct and discrimination are never OK.",
  },
];

export const handle = SUPPORT_IN_PAGE;

/**
 * Public: anyone not signed in gets the front door. Someone signed in goes on to the home of their
 * first role, as before; a sign-in still waiting for its code goes to give it.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  if (await getSession(request)) {
    const user = await requireUser(request);
    const first = user.roles[0];
    throw redirect(first ? ROLE_HOME[first] : "/account");
  }
  return frontDoor(getDb());
}

export default function FrontDoor() {
  const { sessions, openCount, courses } = useLoaderData<typeof loader>();
  return (
    <>
      <PublicMasthead />
      <div className="space-y-12">
        <section aria-labelledby="welcome" className="max-w-3xl">
          <p className="inline-flex items-center rounded-full bg-brand-100 px-3 py-1 text-sm font-semibold text-brand-800">#NeverOK</p>
          <h1 id="welcome" className="mt-3 text-3xl font-bold tracking-tight text-slate-900 sm:text-4xl">
            Harassment, bullying, sexual misconduct and discrimination are never OK
          </h1>
          <p className="mt-3 text-lg text-slate-800">
            Free, in-person #NeverOK training gives you the tools, knowledge and confidence to take action: to be an active bystander, to understand consent,
            and to support someone who tells you what happened. Positive action doesn&apos;t need to be perfect, just present.
          </p>
          <div className="mt-5 flex flex-col gap-3 sm:flex-row">
            <ButtonLink to="/sessions/open">Find a session to join</ButtonLink>
            <a
              href="#book"
              className="inline-flex min-h-11 items-center justify-center rounded-md px-4 py-2 text-sm font-semibold ring-1 ring-inset ring-brand-700"
            >
              Book training for your group
            </a>
            <a
              href="#support"
              className="inline-flex min-h-11 items-center justify-center rounded-md px-4 py-2 text-sm font-semibold ring-1 ring-inset ring-brand-700"
            >
              Get support
            </a>
          </div>
        </section>

        <Section id="join" title="Join an open session">
          <p className="max-w-3xl text-slate-800">
            Anyone can sign up with a name and an email address: no account needed. You get a calendar invitation by email.
          </p>
          {sessions.length ? (
            <ul className="mt-4 grid gap-4 md:grid-cols-3">
              {sessions.map((s) => (
                <li key={s.id} className="flex flex-col rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
                  <p className="flex items-center gap-2 text-sm font-medium text-slate-700">
                    <span aria-hidden="true" className="h-3 w-3 shrink-0 rounded-full" style={{ backgroundColor: s.colour }} />
                    {s.courseName}
                  </p>
                  <h3 className="mt-1 text-lg font-semibold">
                    <Link to={`/sessions/open/${s.id}`} className="text-slate-900 hover:text-brand-700">
                      {s.title}
                    </Link>
                  </h3>
                  <p className="mt-2 text-sm text-slate-800">{formatRange(s.startsAt, s.endsAt)}</p>
                  <p className="text-sm text-slate-800">{s.where}</p>
                  <p className="mt-3">
                    {s.signupClosed ? <Badge tone="slate">Sign-up closed</Badge> : <Badge tone={s.seatsLeft > 0 ? "green" : "amber"}>{placesText(s)}</Badge>}
                  </p>
                </li>
              ))}
            </ul>
          ) : (
            <div className="mt-4">
              <EmptyState>No sessions are open for sign-up just now. New dates are added through the year: please check again soon.</EmptyState>
            </div>
          )}
          <p className="mt-4">
            <Link to="/sessions/open" className="inline-flex min-h-11 items-center font-semibold">
              {openCount > sessions.length ? `See all ${openCount} open sessions` : "See the open sessions"}
            </Link>
          </p>
        </Section>

        <Section id="book" title="Book training for your group">
          <p className="max-w-3xl text-slate-800">
            Academic departments, sports clubs, societies, student-leader programmes, partner venues and staff teams can book a session for their own group. A
            trainer comes to you, or we find a room on campus.
          </p>
          <ol className="mt-4 grid gap-4 md:grid-cols-3">
            <Step number={1} title="Get an account">
              Ask the #NeverOK training coordinator to set one up for your organisation. They send you an email with a link to choose your password.
            </Step>
            <Step number={2} title="Request a session">
              Sign in and choose a course. Say how many people are coming and who they are, give two or three dates and times that suit you, where (a campus
              room or your own premises) and any accessibility needs.
            </Step>
            <Step number={3} title="Follow it through">
              The coordinator confirms the date and the trainers. You get an email at each step and a calendar invitation, and you can change or cancel the
              booking from your bookings page.
            </Step>
          </ol>
          <p className="mt-4">
            <ButtonLink to="/login" variant="secondary">
              Sign in to request a session
            </ButtonLink>
          </p>
          {courses.length ? (
            <>
              <h3 className="mt-8 text-lg font-semibold text-slate-900">The courses</h3>
              <ul className="mt-3 grid gap-4 md:grid-cols-2">
                {courses.map((c) => (
                  <li key={c.id} className="rounded-lg bg-white p-4 ring-1 ring-slate-200">
                    <p className="font-semibold text-slate-900">
                      {c.name} <span className="font-normal text-slate-700">· {c.durationMinutes} minutes</span>
                    </p>
                    <p className="mt-1 text-sm text-slate-800">{c.description}</p>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </Section>

        <Section id="support" title="Get support">
          <p className="max-w-3xl text-slate-800">
            If something has happened to you or someone you know, it is not your fault. You choose who to talk to and how much to say; you can report what
            happened named or anonymously.
          </p>
          <FrontDoorSupport />
        </Section>
      </div>
    </>
  );
}

function FrontDoorSupport() {
  return <SupportServiceCards services={useSupportDirectory()} className="grid gap-3 md:grid-cols-2" />;
}

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={`${id}-heading`} id={id} className="scroll-mt-4">
      <h2 id={`${id}-heading`} className="text-2xl font-bold tracking-tight text-slate-900">
        {title}
      </h2>
      <div className="mt-2">{children}</div>
    </section>
  );
}

function Step({ number, title, children }: { number: number; title: string; children: ReactNode }) {
  return (
    <li className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
      <p className="flex items-center gap-3 font-semibold text-slate-900">
        <span aria-hidden="true" className="grid h-8 w-8 shrink-0 place-items-center rounded-full bg-brand-700 text-white">
          {number}
        </span>
        {title}
      </p>
      <p className="mt-2 text-sm text-slate-800">{children}</p>
    </li>
  );
}
