import { parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import type { SessionUser } from "#app/auth/session.server.ts";
import { notFound, requireRole } from "#app/auth/guards.server.ts";
import { bookerStatus, RequestStatusBadge, type BookerStatus } from "#app/bookings/request-status.tsx";
import { cancelByBooker, getRequestForBooker, getRequestForEditing, requestHistoryForBooker } from "#app/bookings/requests.server.ts";
import { AUDIENCE_LABELS, LOCATION_LABELS, ReasonSchema } from "#app/bookings/schemas.ts";
import { ButtonLink } from "#app/components/button.tsx";
import { HistoryList } from "#app/components/history-list.tsx";
import { Card, PageHeader } from "#app/components/layout.tsx";
import { ReasonForm } from "#app/components/reason-form.tsx";
import { useSchemaForm } from "#app/components/schema-form.ts";
import { getDb } from "#app/db.server.ts";
import { getCourse } from "#app/reference/reference.server.ts";
import { activeTrainers, getSessionDetail, sessionWhere } from "#app/scheduling/session-detail.server.ts";
import { getSettings } from "#app/settings/settings.server.ts";
import { formatDateTime, formatRange } from "#app/utils/dates.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { redirectWithFlash } from "#app/utils/flash.server.ts";
import { invalid, parseId, replyWithError } from "#app/utils/forms.server.ts";
import { addMs, MINUTE } from "#app/utils/time.ts";
import { readFormData } from "#app/utils/request-body.server.ts";
import { nounFor, PEOPLE, plural } from "#app/utils/plural.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data ? `${data.request.courseName} for ${data.request.organisationName}` : "Request"} · NeverOK Training` },
];

/** Another organisation's request is "not found", never "forbidden": its existence is not ours to tell. */
async function loadRequest(user: SessionUser, param: string | undefined) {
  const id = parseId(param);
  if (!id) throw notFound("We could not find that request.");
  try {
    return await getRequestForBooker(getDb(), user, id);
  } catch (err) {
    if (err instanceof RuleViolation && err.field === "not_found") throw notFound(err.message);
    throw err;
  }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "booker");
  const row = await loadRequest(user, params.requestId);
  const db = getDb();
  const [{ request: asked }, session, history, settings] = await Promise.all([
    getRequestForEditing(db, user, row.id),
    row.session ? getSessionDetail(db, row.session.id) : null,
    requestHistoryForBooker(db, user, row.id),
    getSettings(db),
  ]);
  const course = await getCourse(db, asked.course_id);
  const duration = (course?.duration_minutes ?? 90) * MINUTE;
  return {
    request: {
      id: row.id,
      status: bookerStatus(row),
      statusReason: row.session?.status === "cancelled" ? (session?.cancelReason ?? row.statusReason) : row.statusReason,
      courseName: row.courseName,
      organisationName: row.organisationName,
      groupSize: row.groupSize,
      createdAt: row.createdAt,
      audience: AUDIENCE_LABELS[asked.audience],
      location: asked.location_kind === "own_premises" ? (asked.address ?? LOCATION_LABELS.own_premises) : LOCATION_LABELS.campus,
      accessibilityNeeds: asked.accessibility_needs,
      notes: asked.notes,
    },
    preferredTimes: row.preferredTimes.map((start) => formatRange(start, addMs(new Date(start), duration))),
    session: session
      ? {
          cancelled: session.status === "cancelled",
          when: formatRange(session.startsAt, session.endsAt),
          where: sessionWhere(session),
          accessibility: session.room?.accessibilityNotes ?? null,
          trainers: activeTrainers(session).map((t) => t.name),
        }
      : null,
    history: history.map((h) => ({ id: h.id, summary: h.summary, created_at: h.created_at })),
    canChange: row.status === "requested",
    cancellable:
      row.status === "requested" ? ("request" as const) : row.status === "scheduled" && row.session?.status === "scheduled" ? ("session" as const) : null,
    cutoffHours: settings.bookerCancellationCutoffHours,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "booker");
  const row = await loadRequest(user, params.requestId);
  const formData = await readFormData(request);
  if (formData.get("intent") !== "cancel") throw data({ message: "We did not understand what you asked for." }, { status: 400 });
  const submission = parseWithZod(formData, { schema: ReasonSchema });
  if (submission.status !== "success") return invalid(submission);
  try {
    await cancelByBooker(getDb(), user, row.id, submission.value.reason);
  } catch (err) {
    if (err instanceof RuleViolation) {
      if (err.field === "not_found") throw notFound(err.message);
      return replyWithError(submission, err.field, err.message);
    }
    throw err;
  }
  return redirectWithFlash(`/booker/requests/${row.id}`, {
    kind: "success",
    message: row.status === "scheduled" ? "The session is cancelled. Everyone on it has been emailed." : "Your request is cancelled.",
  });
}

const STATUS_EXPLAINED: Record<BookerStatus, string> = {
  requested: "Waiting for the training coordinator, who will confirm a time and a place by email.",
  scheduled: "Confirmed. The calendar invite is in your email.",
  delivered: "This session has taken place. Thank you for booking it.",
  declined: "The training coordinator could not schedule this request.",
  cancelled: "This booking is cancelled.",
};

function Detail({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="py-3 sm:grid sm:grid-cols-3 sm:gap-4">
      <dt className="text-sm font-medium text-slate-600">{term}</dt>
      <dd className="mt-1 text-slate-900 sm:col-span-2 sm:mt-0">{children}</dd>
    </div>
  );
}

export default function RequestPage() {
  const { request, preferredTimes, session, history, canChange, cancellable, cutoffHours } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useSchemaForm(ReasonSchema, {
    id: `cancel-request-${request.id}`,
    lastResult,
  });
  return (
    <>
      <p className="mb-2 text-sm">
        <Link to="/booker">← My bookings</Link>
      </p>
      <PageHeader
        title={request.courseName}
        description={`${request.organisationName} · ${plural(request.groupSize, PEOPLE)}`}
        actions={
          canChange ? (
            <ButtonLink to={`/booker/requests/${request.id}/edit`} variant="secondary">
              Change this request
            </ButtonLink>
          ) : null
        }
      />
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="space-y-6 lg:col-span-2">
          <section aria-labelledby="status-heading" className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
            <div className="flex flex-wrap items-center gap-3">
              <h2 id="status-heading" className="text-lg font-semibold text-slate-900">
                Status
              </h2>
              <RequestStatusBadge status={request.status} />
            </div>
            <p className="mt-2 text-slate-800">{STATUS_EXPLAINED[request.status]}</p>
            {request.statusReason && (request.status === "declined" || request.status === "cancelled") ? (
              <p className="mt-2 text-slate-800">
                <span className="font-semibold">Reason:</span> {request.statusReason}
              </p>
            ) : null}
          </section>

          {session ? (
            <Card title={session.cancelled ? "The session as it was planned" : "The session"}>
              <dl className="divide-y divide-slate-100">
                <Detail term="When">{session.when}</Detail>
                <Detail term="Where">
                  {session.where}
                  {session.accessibility ? <span className="block text-sm text-slate-600">{session.accessibility}</span> : null}
                </Detail>
                {session.cancelled ? null : (
                  <Detail term={nounFor(session.trainers.length, "Trainer")}>
                    {session.trainers.length ? session.trainers.join(" and ") : <span className="text-slate-600">To be confirmed</span>}
                  </Detail>
                )}
              </dl>
            </Card>
          ) : null}

          <Card title="What you asked for">
            <dl className="divide-y divide-slate-100">
              <Detail term="Preferred times">
                <ol className="space-y-1">
                  {preferredTimes.map((t, i) => (
                    <li key={t}>
                      <span className="text-slate-600">{i + 1}.</span> {t}
                    </li>
                  ))}
                </ol>
              </Detail>
              <Detail term="Group size">{request.groupSize}</Detail>
              <Detail term="Audience">{request.audience}</Detail>
              <Detail term="Location">{request.location}</Detail>
              <Detail term="Accessibility needs">{request.accessibilityNeeds ?? <span className="text-slate-600">None given</span>}</Detail>
              <Detail term="Notes">
                {request.notes ? <span className="whitespace-pre-line">{request.notes}</span> : <span className="text-slate-600">None given</span>}
              </Detail>
              <Detail term="Sent">{formatDateTime(request.createdAt)}</Detail>
            </dl>
          </Card>

          {cancellable ? (
            <ReasonForm
              title={cancellable === "session" ? "Cancel this session" : "Cancel this request"}
              form={form}
              reason={fields.reason}
              intent="cancel"
              label="Why are you cancelling?"
              hint={
                cancellable === "session"
                  ? `The trainers and the coordinator read this. You can cancel here up to ${plural(cutoffHours, "hour")} before the session starts; after that, contact the training coordinator.`
                  : "The training coordinator reads this."
              }
              submitLabel={cancellable === "session" ? "Cancel this session" : "Cancel this request"}
              pending={navigation.state === "submitting"}
            />
          ) : null}
        </div>

        <Card title="History" className="self-start">
          <HistoryList events={history} />
        </Card>
      </div>
    </>
  );
}
