import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { requireRole } from "#app/auth/guards.server.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { AUDIENCE_LABELS } from "#app/bookings/schemas.ts";
import { buttonClass } from "#app/components/button.tsx";
import { Badge, Card, PageHeader } from "#app/components/layout.tsx";
import { getDb } from "#app/db.server.ts";
import { AssignmentResponse, type RespondActionData } from "#app/trainers/assignment-response.tsx";
import { handleAssignmentResponse } from "#app/trainers/respond.server.ts";
import { trainerSessionView } from "#app/trainers/trainers.server.ts";
import { formatRange } from "#app/utils/dates.ts";
import { findByParam } from "#app/utils/forms.server.ts";
import type { Audience } from "#db/schema.ts";
import { readFormData } from "#app/utils/request-body.server.ts";
import { nounFor, plural, PEOPLE } from "#app/utils/plural.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.session.course.name ?? "Session"} · NeverOK Training` }];

/**
 * Only trainers who are, or were, on the session may see it: other trainers get a 404, not a hint
 * that it exists. What each sees is decided by the module (a trainer who declined sees only that).
 */
function loadView(user: SessionUser, param: string | undefined) {
  return findByParam(param, (id) => trainerSessionView(getDb(), user, id), "We could not find that session among yours.");
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "trainer");
  return loadView(user, params.sessionId);
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "trainer");
  const { session } = await loadView(user, params.sessionId);
  const formData = await readFormData(request);
  formData.set("sessionId", String(session.id));
  return handleAssignmentResponse(user, formData, `/trainer/sessions/${session.id}`);
}

function Row({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="py-3 sm:grid sm:grid-cols-3 sm:gap-4">
      <dt className="text-sm font-semibold text-slate-700">{term}</dt>
      <dd className="mt-1 text-slate-900 sm:col-span-2 sm:mt-0">{children}</dd>
    </div>
  );
}

export default function TrainerSessionPage() {
  const view = useLoaderData<typeof loader>();
  return view.declined ? <DeclinedSession view={view} /> : <SessionToDeliver view={view} />;
}

function DeclinedSession({ view }: { view: Extract<Awaited<ReturnType<typeof loader>>, { declined: true }> }) {
  const s = view.session;
  return (
    <>
      <p className="mb-3 text-sm">
        <Link to="/trainer">← My sessions</Link>
      </p>
      <PageHeader title={s.course.name} description={formatRange(s.startsAt, s.endsAt)} />
      <Card title="Your answer" className="max-w-2xl">
        <p>
          <Badge tone="slate">You declined</Badge>
        </p>
        {view.declineReason ? <p className="mt-2 text-slate-800">Your reason: {view.declineReason}</p> : null}
        <p className="mt-2 text-sm text-slate-700">
          The coordinator has been told. This session is no longer in your calendar feed, and its group&apos;s details are no longer shown to you.
        </p>
      </Card>
    </>
  );
}

function SessionToDeliver({ view }: { view: Extract<Awaited<ReturnType<typeof loader>>, { declined: false }> }) {
  const { session: s, mine, coTrainers, trainersStillNeeded } = view;
  const actionData = useActionData<typeof action>() as RespondActionData;
  const when = formatRange(s.startsAt, s.endsAt);
  const canRespond = s.status === "scheduled" && !s.ended;
  return (
    <>
      <p className="mb-3 text-sm">
        <Link to="/trainer">← My sessions</Link>
      </p>
      <PageHeader
        title={s.course.name}
        description={
          <>
            {when}
            {s.organisation ? ` · ${s.organisation.name}` : ""}
          </>
        }
        actions={
          <>
            {s.status !== "cancelled" ? (
              <>
                <Link to={`/trainer/sessions/${s.id}/register`} className={buttonClass("primary")}>
                  Take the register
                </Link>
                <Link to={`/trainer/sessions/${s.id}/qr`} className={buttonClass("secondary")}>
                  Feedback QR code
                </Link>
              </>
            ) : null}
            <a href={`/sessions/${s.id}.ics`} className={buttonClass("secondary")} download>
              Add to my calendar (.ics)
            </a>
          </>
        }
      />

      {s.status === "cancelled" ? (
        <div role="status" className="mb-6 rounded-md border border-red-300 bg-red-50 p-4 text-red-900">
          <p className="font-semibold">This session has been cancelled.</p>
          {s.cancelReason ? <p className="mt-1">{s.cancelReason}</p> : null}
        </div>
      ) : null}

      {/* On a phone the answer comes first: most people arrive here from the "please deliver" email. */}
      <div className="grid items-start gap-6 lg:grid-cols-3 lg:grid-rows-[auto_1fr]">
        <Card title="Your answer" className="lg:col-start-3 lg:row-start-1">
          <p>{mine.status === "accepted" ? <Badge tone="green">Accepted</Badge> : <Badge tone="amber">Waiting for your answer</Badge>}</p>
          {s.ended && s.status !== "cancelled" ? <p className="mt-2 text-sm text-slate-700">This session has taken place. Thank you.</p> : null}
          {canRespond ? (
            <div className="mt-4">
              {mine.status === "assigned" ? (
                <p className="mb-3 text-sm text-slate-700">
                  Accept if you can deliver it. If you cannot, decline and say why: the coordinator will find someone else.
                </p>
              ) : (
                <p className="mb-3 text-sm text-slate-700">If something changes, tell the coordinator here as early as you can.</p>
              )}
              <AssignmentResponse sessionId={s.id} status={mine.status} label={`${s.course.name}, ${when}`} actionData={actionData} />
            </div>
          ) : null}
        </Card>
        <Card title="The session" className="lg:col-span-2 lg:col-start-1 lg:row-span-2 lg:row-start-1">
          <dl className="divide-y divide-slate-100">
            <Row term="When">{when}</Row>
            <Row term="Where">
              <p>{s.where}</p>
              {s.room ? (
                <p className="mt-1 text-sm text-slate-700">
                  <span className="font-semibold">Access: </span>
                  {s.room.accessibilityNotes ?? "No access notes recorded for this room. Ask the coordinator if you need to know."}
                </p>
              ) : (
                <p className="mt-1 text-sm text-slate-700">At the organisation's own premises.</p>
              )}
            </Row>
            <Row term="For">{s.organisation?.name ?? "Open sign-up: individuals register themselves"}</Row>
            {s.request ? (
              <Row term="Group">
                {plural(s.request.groupSize, PEOPLE)} · {AUDIENCE_LABELS[s.request.audience as Audience] ?? s.request.audience}
              </Row>
            ) : (
              <Row term="Places">{s.capacity}</Row>
            )}
            {s.request ? (
              <Row term="Accessibility needs">
                {s.request.accessibilityNeeds ? (
                  <p className="whitespace-pre-line">{s.request.accessibilityNeeds}</p>
                ) : (
                  <p className="text-slate-700">None given.</p>
                )}
              </Row>
            ) : null}
            {s.request?.notes ? (
              <Row term="Notes from the booker">
                <p className="whitespace-pre-line">{s.request.notes}</p>
              </Row>
            ) : null}
            {s.booker ? (
              <Row term="Booked by">
                {s.booker.name} · <a href={`mailto:${s.booker.email}`}>{s.booker.email}</a>
              </Row>
            ) : null}
            <Row term="About the course">
              <p className="whitespace-pre-line text-slate-800">{s.course.description}</p>
            </Row>
          </dl>
        </Card>
        <Card title="Delivering with" className="lg:col-start-3 lg:row-start-2">
          {coTrainers.length === 0 ? (
            <p className="text-slate-700">No other trainer on this session.</p>
          ) : (
            <ul className="space-y-2">
              {coTrainers.map((t) => (
                <li key={t.id} className="flex flex-wrap items-center justify-between gap-2">
                  <span className="text-slate-900">{t.name}</span>
                  {t.status === "accepted" ? <Badge tone="green">Accepted</Badge> : <Badge tone="amber">Not answered yet</Badge>}
                </li>
              ))}
            </ul>
          )}
          {trainersStillNeeded > 0 && s.status === "scheduled" && !s.ended ? (
            <p className="mt-3 text-sm text-amber-900">
              This session needs {plural(trainersStillNeeded, "more trainer")}: the coordinator is finding{" "}
              {nounFor(trainersStillNeeded, { one: "someone", other: "them" })}.
            </p>
          ) : null}
        </Card>
      </div>
    </>
  );
}
