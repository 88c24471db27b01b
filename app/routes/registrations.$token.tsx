import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import { assertSameOrigin } from "#app/auth/csrf.server.ts";
import { Button, ButtonLink } from "#app/components/button.tsx";
import { FormErrors } from "#app/components/field.tsx";
import { Badge } from "#app/components/layout.tsx";
import { SUPPORT_IN_PAGE, SupportSignpost } from "#app/components/support-signpost.tsx";
import { getDb } from "#app/db.server.ts";
import { getOpenSession } from "#app/signup/open-sessions.server.ts";
import { PublicMasthead } from "#app/signup/public-page.tsx";
import { cancelWithToken, lookupManageToken } from "#app/signup/registrations.server.ts";
import { formatDateTime, formatRange } from "#app/utils/dates.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { redirectWithFlash } from "#app/utils/flash.server.ts";
import { nowIso } from "#app/utils/time.ts";
import { readFormData, SHORT_FORM_MAX_BYTES } from "#app/utils/request-body.server.ts";
import { TOKEN_PAGE_HEADERS, tokenPageHeaders, tokenPageMeta } from "#app/utils/token-page.ts";

export const headers = tokenPageHeaders;
export const handle = SUPPORT_IN_PAGE;

export const meta: MetaFunction = () => tokenPageMeta("Your place · NeverOK Training");

// The emailed link is the key: opening it only looks the place up, because mail scanners open
// links before people do. Cancelling is the POST below.
export async function loader({ params }: LoaderFunctionArgs) {
  const db = getDb();
  const found = await lookupManageToken(db, params.token ?? "");
  if (!found) return data({ state: "unknown" as const }, { status: 404, headers: TOKEN_PAGE_HEADERS });
  const { registration: r, session: s } = found;
  const open = await getOpenSession(db, s.id);
  const session = {
    id: s.id,
    title: open?.title ?? s.course.name,
    courseName: s.course.name,
    startsAt: s.startsAt,
    endsAt: s.endsAt,
    where: s.room ? `${s.room.name}, ${s.room.building}` : (s.address ?? ""),
    accessibilityNotes: s.room?.accessibilityNotes ?? null,
    status: s.status,
    cancelReason: s.cancelReason,
    started: s.startsAt <= nowIso(),
  };
  if (found.expired) return data({ state: "expired" as const, session }, { status: 410, headers: TOKEN_PAGE_HEADERS });
  return data(
    {
      state: "found" as const,
      session,
      registration: { name: r.name, email: r.email, status: r.status, cancelledAt: r.cancelled_at, promotedAt: r.promoted_at },
      position: found.position,
    },
    { headers: TOKEN_PAGE_HEADERS },
  );
}

export async function action({ request, params }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const token = params.token ?? "";
  const formData = await readFormData(request, { maxBytes: SHORT_FORM_MAX_BYTES });
  if (formData.get("intent") !== "cancel") return data({ error: "We did not understand that request." }, { status: 400, headers: TOKEN_PAGE_HEADERS });
  const before = await lookupManageToken(getDb(), token);
  try {
    await cancelWithToken(getDb(), token);
  } catch (err) {
    if (err instanceof RuleViolation) return data({ error: err.message }, { status: 409, headers: TOKEN_PAGE_HEADERS });
    throw err;
  }
  const message =
    before?.registration.status === "waiting"
      ? "You have left the waiting list. We have emailed you to confirm."
      : "Your place is cancelled. We have emailed you to confirm; thank you for letting us know.";
  return redirectWithFlash(`/registrations/${encodeURIComponent(token)}`, { kind: "success", message }, { headers: TOKEN_PAGE_HEADERS });
}

type Loaded = ReturnType<typeof useLoaderData<typeof loader>>;
type SessionSummary = Extract<Loaded, { session: unknown }>["session"];

export default function ManageRegistrationPage() {
  const loaded = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <PublicMasthead />
      <div className="mx-auto max-w-2xl space-y-6">
        {loaded.state === "unknown" ? (
          <LinkProblem title="This link does not work">
            <p>
              We could not find a place for this link. Check that you opened the whole address from the email. Each email about your place (a move to a place
              from the waiting list, a change of time, a reminder) carries a new link and the one before stops working: use the link in the most recent email we
              sent you.
            </p>
            <p>
              No email to hand? Find your session among the{" "}
              <Link to="/sessions/open" className="underline">
                open sessions
              </Link>{" "}
              and sign up again with the same email address. Your place is kept, and we email you a new link to it.
            </p>
          </LinkProblem>
        ) : loaded.state === "expired" ? (
          <LinkProblem title="This link has expired">
            <p>
              Links to manage a place stop working a day after the session ends. The session was {formatRange(loaded.session.startsAt, loaded.session.endsAt)}.
            </p>
          </LinkProblem>
        ) : (
          <Found loaded={loaded} error={actionData?.error ?? null} />
        )}
        <SupportSignpost />
      </div>
    </>
  );
}

function LinkProblem({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section aria-labelledby="problem-heading" className="rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
      <h1 id="problem-heading" className="text-2xl font-bold text-slate-900">
        {title}
      </h1>
      <div className="mt-3 space-y-3 text-slate-800">{children}</div>
      <div className="mt-6">
        <ButtonLink to="/sessions/open">See sessions open for sign-up</ButtonLink>
      </div>
    </section>
  );
}

function Found({ loaded, error }: { loaded: Extract<Loaded, { state: "found" }>; error: string | null }) {
  const navigation = useNavigation();
  const { registration: r, session: s, position } = loaded;
  const live = r.status !== "cancelled";
  const canCancel = live && s.status === "scheduled" && !s.started;
  const title =
    s.status === "cancelled"
      ? "This session has been cancelled"
      : r.status === "registered"
        ? "You have a place"
        : r.status === "waiting"
          ? `You are number ${position ?? 1} on the waiting list`
          : "You are no longer signed up";
  return (
    <section aria-labelledby="place-heading" className="rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
      <p className="text-sm font-medium text-slate-700">{r.name}</p>
      <h1 id="place-heading" className="mt-1 text-2xl font-bold text-slate-900">
        {title}
      </h1>
      <div className="mt-3">
        <StatusBadge status={r.status} />
      </div>
      <SessionBlock session={s} />
      <div className="mt-5 space-y-3 text-slate-800">
        {s.status === "cancelled" ? (
          <p>
            The training coordinator has cancelled this session{s.cancelReason ? `: ${s.cancelReason}` : "."} You do not need to do anything; we have emailed
            everyone who signed up.
          </p>
        ) : r.status === "registered" ? (
          <p>
            Your confirmation and calendar invitation went to {r.email}. If you can no longer come, please cancel so the next person on the waiting list can
            have your place.
          </p>
        ) : r.status === "waiting" ? (
          <p>
            The session is full. If a place comes free before the session, it goes to the first person waiting and we email them the calendar invitation. If you
            no longer want a place, please leave the list.
          </p>
        ) : (
          <p>
            {r.cancelledAt ? `Cancelled on ${formatDateTime(r.cancelledAt)}. ` : null}
            You no longer have a place or a waiting-list entry for this session.
          </p>
        )}
        {live && s.status === "scheduled" && s.started ? <p>The session has started, so there is nothing to cancel now.</p> : null}
      </div>
      <FormErrors id="cancel-errors" errors={error ? [error] : undefined} />
      {canCancel ? (
        <Form method="post" className="mt-6 border-t border-slate-200 pt-5">
          <input type="hidden" name="intent" value="cancel" />
          <p className="mb-3 text-sm text-slate-700">
            {r.status === "registered"
              ? "This cannot be undone: your place goes to the next person on the waiting list, if anyone is waiting."
              : "This cannot be undone: you would join the end of the list if you signed up again."}
          </p>
          <Button type="submit" variant="danger" className="w-full sm:w-auto" pending={navigation.state === "submitting"}>
            {r.status === "registered" ? "Cancel my place" : "Leave the waiting list"}
          </Button>
        </Form>
      ) : null}
      {!live ? (
        <div className="mt-6 flex flex-wrap gap-3">
          {s.status === "scheduled" && !s.started ? (
            <ButtonLink to={`/sessions/open/${s.id}`} variant="secondary">
              Changed your mind? Sign up again
            </ButtonLink>
          ) : null}
          <ButtonLink to="/sessions/open" variant="secondary">
            See sessions open for sign-up
          </ButtonLink>
        </div>
      ) : null}
    </section>
  );
}

function StatusBadge({ status }: { status: "registered" | "waiting" | "cancelled" }) {
  if (status === "registered") return <Badge tone="green">Place confirmed</Badge>;
  if (status === "waiting") return <Badge tone="amber">On the waiting list</Badge>;
  return <Badge tone="slate">Cancelled</Badge>;
}

function SessionBlock({ session: s }: { session: SessionSummary }) {
  return (
    <dl className="mt-5 divide-y divide-slate-200 rounded-md text-sm ring-1 ring-slate-200">
      <div className="grid gap-1 px-4 py-3 sm:grid-cols-3 sm:gap-4">
        <dt className="font-semibold text-slate-900">Session</dt>
        <dd className="text-slate-800 sm:col-span-2">
          <Link to={`/sessions/open/${s.id}`}>{s.title}</Link>
          {s.title !== s.courseName ? <span className="block text-slate-700">{s.courseName}</span> : null}
        </dd>
      </div>
      <div className="grid gap-1 px-4 py-3 sm:grid-cols-3 sm:gap-4">
        <dt className="font-semibold text-slate-900">When</dt>
        <dd className="text-slate-800 sm:col-span-2">{formatRange(s.startsAt, s.endsAt)}</dd>
      </div>
      <div className="grid gap-1 px-4 py-3 sm:grid-cols-3 sm:gap-4">
        <dt className="font-semibold text-slate-900">Where</dt>
        <dd className="text-slate-800 sm:col-span-2">
          {s.where}
          {s.accessibilityNotes ? <span className="mt-1 block text-slate-700">Access: {s.accessibilityNotes}</span> : null}
        </dd>
      </div>
    </dl>
  );
}
