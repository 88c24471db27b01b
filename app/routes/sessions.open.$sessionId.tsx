import { getFormProps, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, isRouteErrorResponse, Link, useActionData, useLoaderData, useNavigation, useRouteError } from "@remix-run/react";
import { useEffect, useRef, type ReactNode } from "react";
import { assertSameOrigin } from "#app/auth/csrf.server.ts";
import { notFound } from "#app/auth/guards.server.ts";
import { Button, ButtonLink, buttonClass } from "#app/components/button.tsx";
import { FormErrors, TextareaField, TextField } from "#app/components/field.tsx";
import { Badge } from "#app/components/layout.tsx";
import { useSchemaForm } from "#app/components/schema-form.ts";
import { SupportSignpost } from "#app/components/support-signpost.tsx";
import { getDb } from "#app/db.server.ts";
import { getOpenSession } from "#app/signup/open-sessions.server.ts";
import { placesText, PublicMasthead, whoMaySignUp } from "#app/signup/public-page.tsx";
import { register, signupRefusal } from "#app/signup/registrations.server.ts";
import { registrationSchema } from "#app/signup/schemas.ts";
import { formatDateTime, formatRange } from "#app/utils/dates.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { invalid, parseId, replyWithError } from "#app/utils/forms.server.ts";
import { readFormData } from "#app/utils/request-body.server.ts";
import { answerAfter } from "#app/utils/steady-answer.server.ts";
import { plural } from "#app/utils/plural.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.session.title}, ${formatRange(data.session.startsAt, data.session.endsAt)} · NeverOK Training` : "Session · NeverOK Training" },
];

async function loadSession(param: string | undefined) {
  const id = parseId(param);
  const session = id ? await getOpenSession(getDb(), id) : null;
  if (!session) throw notFound("We could not find that session. It may have been removed, or the link may be wrong.");
  return session;
}

// Public: anyone with the link may look and sign up, no sign-in.
export async function loader({ params }: LoaderFunctionArgs) {
  const s = await loadSession(params.sessionId);
  const closedBecause = await signupRefusal(getDb(), s.id, null);
  return {
    session: {
      id: s.id,
      title: s.title ?? s.courseName,
      courseName: s.courseName,
      courseDescription: s.courseDescription,
      colour: s.colour,
      startsAt: s.startsAt,
      endsAt: s.endsAt,
      where: s.where,
      accessibilityNotes: s.accessibilityNotes,
      capacity: s.capacity,
      seatsLeft: s.seatsLeft,
      waiting: s.waiting,
      signupDeadline: s.signupDeadline,
      signupPolicy: s.signupPolicy,
      signupDomain: s.signupDomain,
      asksStudentId: s.asksStudentId,
      question: s.question,
      cancelled: s.status === "cancelled",
      cancelReason: s.status === "cancelled" ? s.cancelReason : null,
    },
    closedBecause,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const session = await loadSession(params.sessionId);
  const submission = parseWithZod(await readFormData(request), { schema: registrationSchema(session.asksStudentId) });
  if (submission.status !== "success") return invalid(submission);
  try {
    // A place, the waiting list, a place already held, an address not on the invited list: the person
    // is told which by email; the page answers the same, in the same time, whatever is on file.
    await answerAfter(() => register(getDb(), session.id, submission.value));
    return { done: { email: submission.value.email } };
  } catch (err) {
    if (!(err instanceof RuleViolation)) throw err;
    // A refusal that only this email address gets (outside the session's domain) belongs beside the email field.
    const aboutEmail = err.field === "form" && !(await signupRefusal(getDb(), session.id, null));
    return replyWithError(submission, aboutEmail ? "email" : err.field, err.message);
  }
}

type Session = Awaited<ReturnType<typeof loader>>["session"];

export default function OpenSessionPage() {
  const { session, closedBecause } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const done = actionData && "done" in actionData ? actionData.done : null;
  const lastResult = actionData && !("done" in actionData) ? actionData : undefined;
  const full = session.seatsLeft <= 0;
  const showForm = !done && !closedBecause;
  return (
    <>
      <PublicMasthead />
      <nav aria-label="Breadcrumb" className="mb-4 text-sm">
        <Link to="/sessions/open">← All open sessions</Link>
      </nav>
      <div className="mb-6 border-b border-slate-200 pb-5">
        <p className="flex items-center gap-2 text-sm font-medium text-slate-700">
          <span aria-hidden="true" className="h-3 w-3 shrink-0 rounded-full" style={{ backgroundColor: session.colour }} />
          {session.courseName} · #NeverOK
        </p>
        <h1 className="mt-1 text-2xl font-bold tracking-tight text-slate-900 sm:text-3xl">{session.title}</h1>
        <p className="mt-1 text-lg font-medium text-slate-800">{formatRange(session.startsAt, session.endsAt)}</p>
        {showForm ? (
          // On a phone the form is below the details: one tap takes people to it.
          <a href="#signup-heading" className={buttonClass("primary", "mt-4 w-full lg:hidden")}>
            {full ? "Join the waiting list" : "Sign up"}
          </a>
        ) : null}
      </div>

      {done ? (
        <div className="mb-8 max-w-3xl">
          <Outcome done={done} />
        </div>
      ) : closedBecause ? (
        <div className="mb-8 max-w-3xl">
          <Closed reason={closedBecause} cancelled={session.cancelled} cancelReason={session.cancelReason} />
        </div>
      ) : null}

      <div className={showForm ? "grid gap-8 lg:grid-cols-5" : "max-w-3xl"}>
        <section aria-labelledby="about-heading" className={showForm ? "space-y-6 lg:col-span-2" : "space-y-6"}>
          <h2 id="about-heading" className="sr-only">
            About this session
          </h2>
          {session.courseDescription ? <p className="text-slate-800">{session.courseDescription}</p> : null}
          <SessionFacts session={session} closed={!!closedBecause} />
          <SupportSignpost />
        </section>
        {showForm ? (
          <div className="lg:col-span-3">
            <RegistrationForm session={session} lastResult={lastResult} />
          </div>
        ) : null}
      </div>
    </>
  );
}

function SessionFacts({ session: s, closed }: { session: Session; closed: boolean }) {
  const full = s.seatsLeft <= 0;
  return (
    <dl className="divide-y divide-slate-200 rounded-lg bg-white text-sm shadow-sm ring-1 ring-slate-200">
      <Fact label="When">{formatRange(s.startsAt, s.endsAt)}</Fact>
      <Fact label="Where">
        {s.where}
        {s.accessibilityNotes ? <span className="mt-1 block text-slate-700">Access: {s.accessibilityNotes}</span> : null}
      </Fact>
      {!closed ? (
        <Fact label="Places">
          <Badge tone={full ? "amber" : "green"}>{placesText(s)}</Badge>
          {full && s.waiting > 0 ? (
            <span className="mt-1 block text-slate-700">{plural(s.waiting, { one: "person is", other: "people are" })} on the waiting list.</span>
          ) : null}
        </Fact>
      ) : null}
      {!closed ? <Fact label="Who can sign up">{whoMaySignUp(s)}</Fact> : null}
      {!closed || (s.signupDeadline && !s.cancelled) ? (
        <Fact label="Sign up by">{s.signupDeadline ? formatDateTime(s.signupDeadline) : "Any time before the session starts"}</Fact>
      ) : null}
    </dl>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid gap-1 px-4 py-3 sm:grid-cols-3 sm:gap-4">
      <dt className="font-semibold text-slate-900">{label}</dt>
      <dd className="text-slate-800 sm:col-span-2">{children}</dd>
    </div>
  );
}

function RegistrationForm({ session, lastResult }: { session: Session; lastResult: SubmissionResult<string[]> | undefined }) {
  const navigation = useNavigation();
  const schema = registrationSchema(session.asksStudentId);
  const [form, fields] = useSchemaForm(schema, { id: `register-${session.id}`, lastResult });
  const full = session.seatsLeft <= 0;
  return (
    <section aria-labelledby="signup-heading" className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200 sm:p-6">
      <h2 id="signup-heading" tabIndex={-1} className="scroll-mt-4 text-xl font-semibold text-slate-900 outline-none">
        {full ? "Join the waiting list" : "Sign up"}
      </h2>
      <p className="mt-1 text-slate-700">
        {full
          ? "Every place is taken. Join the waiting list and, if a place comes free, it goes to the first person waiting: we will email you if it is yours."
          : "We will email you a confirmation with a calendar invitation and a link to cancel if you can no longer come."}
      </p>
      <Form method="post" {...getFormProps(form)} className="mt-5 space-y-5">
        <FormErrors id={form.errorId} errors={form.errors} />
        <TextField meta={fields.name} label="Your name" autoComplete="name" />
        <TextField
          meta={fields.email}
          label="Email address"
          type="email"
          autoComplete="email"
          hint={
            session.signupPolicy === "domain" && session.signupDomain
              ? `Use your @${session.signupDomain} address.`
              : session.signupPolicy === "list"
                ? "Use the address your invitation was sent to."
                : full
                  ? "We email you here about your place on the list."
                  : "Your confirmation and calendar invitation go here."
          }
        />
        {session.asksStudentId ? (
          <TextField meta={fields.studentId} label="Student ID" autoComplete="off" hint="As on your student card, for example S2400123." />
        ) : null}
        <TextareaField
          meta={fields.accessibilityNeeds}
          label="Accessibility needs"
          optional
          rows={3}
          hint="Anything that would help you take part, such as step-free access, a hearing loop or a seat near the door. Only the trainers and the training coordinator see this."
        />
        {session.question ? <TextareaField meta={fields.answer} label={session.question} optional rows={2} /> : null}
        <p className="text-sm text-slate-700">
          We use these details only to run this session: your confirmation, a reminder, the register on the day and a request for feedback afterwards.
        </p>
        <Button type="submit" className="w-full sm:w-auto" pending={navigation.state === "submitting"}>
          {full ? "Join the waiting list" : "Sign up"}
        </Button>
      </Form>
    </section>
  );
}

/** The one answer every sign-up gets: what happened is in the email, so the page tells nobody who is on file. */
function Outcome({ done }: { done: { email: string } }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [done]);
  return (
    <section aria-labelledby="outcome-heading" className="rounded-lg border border-green-300 bg-green-50 p-5 sm:p-6">
      <h2 id="outcome-heading" ref={heading} tabIndex={-1} className="text-xl font-semibold text-slate-900 outline-none">
        Check your email
      </h2>
      <p className="mt-2 text-slate-900">
        We have sent a message to <strong className="break-all">{done.email}</strong> about this session. It says whether you have a place (with the calendar
        invitation) or are on the waiting list, with a link to see or cancel it; or, if we could not sign you up with this address, why.
      </p>
      <p className="mt-2 text-slate-900">Nothing after a few minutes? Check your junk folder, and that the address above is right.</p>
      <div className="mt-5 flex flex-wrap gap-3">
        <ButtonLink to="/sessions/open" variant="secondary">
          See other sessions
        </ButtonLink>
      </div>
    </section>
  );
}

function Closed({ reason, cancelled, cancelReason }: { reason: string; cancelled: boolean; cancelReason: string | null }) {
  return (
    <section aria-labelledby="closed-heading" className="rounded-lg border border-slate-300 bg-slate-50 p-5 sm:p-6">
      <h2 id="closed-heading" className="text-xl font-semibold text-slate-900">
        {cancelled ? "This session has been cancelled" : "You can no longer sign up"}
      </h2>
      {cancelled ? (
        <p className="mt-2 text-slate-900">
          {cancelReason ? `The reason given: ${cancelReason} ` : null}
          If you had a place or were on the waiting list, we have emailed you.
        </p>
      ) : (
        <p className="mt-2 text-slate-900">{reason}</p>
      )}
      <div className="mt-5">
        <ButtonLink to="/sessions/open">Find another session</ButtonLink>
      </div>
    </section>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const missing = isRouteErrorResponse(error) && error.status === 404;
  const refused = isRouteErrorResponse(error) && error.status >= 400 && error.status < 500;
  const message = isRouteErrorResponse(error) ? (error.data as { message?: string } | null)?.message : null;
  return (
    <>
      <PublicMasthead />
      <section aria-labelledby="error-heading" className="mx-auto max-w-2xl rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
        <h1 id="error-heading" className="text-2xl font-bold text-slate-900">
          {missing ? "We could not find that session" : refused ? "We could not accept that" : "Something went wrong"}
        </h1>
        <p className="mt-3 text-slate-800">
          {missing
            ? "It may have been removed, or the link may be wrong. Every session open for sign-up is on the list."
            : (message ?? "We could not show this page. Please try again; if it keeps happening, tell the training coordinator.")}
        </p>
        <div className="mt-6">
          <ButtonLink to="/sessions/open">See sessions open for sign-up</ButtonLink>
        </div>
      </section>
    </>
  );
}
