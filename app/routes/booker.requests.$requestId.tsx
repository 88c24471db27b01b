import { getFormProps, type Submission } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import type { SessionUser } from "#app/auth/session.server.ts";
import { notFound, requireRole } from "#app/auth/guards.server.ts";
import { bookerStatus, RequestStatusBadge, type BookerStatus } from "#app/bookings/request-status.tsx";
import { bookerBookingPage } from "#app/bookings/booking-page.server.ts";
import { ChangesCard, ContactDetails, DeliveredCard, TooLateToCancel } from "#app/bookings/booking-view.tsx";
import { askForChange } from "#app/bookings/changes.server.ts";
import { cancelByBooker, getRequestForBooker } from "#app/bookings/requests.server.ts";
import { AUDIENCE_LABELS, BookingChangeSchema, LOCATION_LABELS, ReasonSchema } from "#app/bookings/schemas.ts";
import { Button, ButtonLink } from "#app/components/button.tsx";
import { DateAndTime, FormErrors, TextareaField, TextField } from "#app/components/field.tsx";
import { HistoryList } from "#app/components/history-list.tsx";
import { Card, PageHeader } from "#app/components/layout.tsx";
import { ReasonForm } from "#app/components/reason-form.tsx";
import { useSchemaForm } from "#app/components/schema-form.ts";
import { getDb } from "#app/db.server.ts";
import { getCourse } from "#app/reference/reference.server.ts";
import { describeAccessSet, readAccessSet } from "#app/scheduling/room-access.ts";
import { activeTrainers, sessionWhere } from "#app/scheduling/session-detail.server.ts";
import { formatDateTime, formatRange } from "#app/utils/dates.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { redirectWithFlash } from "#app/utils/flash.server.ts";
import { parseId } from "#app/utils/forms.server.ts";
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
  const page = await bookerBookingPage(db, user, row.id);
  const { booking, request: asked, session } = page;
  const course = await getCourse(db, asked.course_id);
  const duration = (course?.duration_minutes ?? 90) * MINUTE;
  const cancellation = page.cancellation;
  return {
    request: {
      id: booking.id,
      status: bookerStatus(booking),
      statusReason: booking.session?.status === "cancelled" ? (session?.cancelReason ?? booking.statusReason) : booking.statusReason,
      courseName: booking.courseName,
      organisationName: booking.organisationName,
      groupSize: booking.groupSize,
      createdAt: booking.createdAt,
      audience: AUDIENCE_LABELS[asked.audience],
      location: asked.location_kind === "own_premises" ? (asked.address ?? LOCATION_LABELS.own_premises) : LOCATION_LABELS.campus,
      accessNeeds: describeAccessSet(readAccessSet(asked.access_needs)),
      accessibilityNeeds: asked.accessibility_needs,
      notes: asked.notes,
    },
    preferredTimes: booking.preferredTimes.map((start) => formatRange(start, addMs(new Date(start), duration))),
    session: session
      ? {
          cancelled: session.status === "cancelled",
          when: formatRange(session.startsAt, session.endsAt),
          where: sessionWhere(session),
          accessibility: session.room?.accessibilityNotes ?? null,
          trainers: activeTrainers(session).map((t) => t.name),
        }
      : null,
    history: page.history.map((h) => ({ id: h.id, summary: h.summary, created_at: h.created_at })),
    canChange: page.canEdit,
    canAskForChange: page.canAskForChange,
    changes: page.changes,
    delivered: page.delivered,
    contact: page.contact,
    cancellation: cancellation
      ? cancellation.kind === "request"
        ? { kind: "request" as const }
        : {
            kind: cancellation.kind,
            cutoffHours: cancellation.cutoffHours,
            at: (cancellation.kind === "session" ? cancellation.until : cancellation.closedAt).toISOString(),
          }
      : null,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "booker");
  const row = await loadRequest(user, params.requestId);
  const formData = await readFormData(request);
  const intent = formData.get("intent");
  if (intent === "change") {
    return submit("change", parseWithZod(formData, { schema: BookingChangeSchema }), async (change) => {
      await askForChange(getDb(), user, row.id, change);
      return "Your change is asked for. The training coordinator will answer it by email.";
    });
  }
  if (intent === "cancel") {
    return submit("cancel", parseWithZod(formData, { schema: ReasonSchema }), async ({ reason }) => {
      await cancelByBooker(getDb(), user, row.id, reason);
      return row.status === "scheduled" ? "The session is cancelled. Everyone on it has been emailed." : "Your request is cancelled.";
    });
  }
  throw data({ message: "We did not understand what you asked for." }, { status: 400 });

  /** Runs one of the page's forms: its errors beside its fields, a rule's refusal beside the field it is about. */
  async function submit<Shape extends Record<string, unknown>, T>(
    form: "change" | "cancel",
    submission: Submission<Shape, string[], T>,
    run: (value: T) => Promise<string>,
  ) {
    const refuse = (field?: string, message?: string) =>
      data(
        { form, result: submission.reply(message ? (field === "form" ? { formErrors: [message] } : { fieldErrors: { [field!]: [message] } }) : undefined) },
        { status: 400 },
      );
    if (submission.status !== "success") return refuse();
    try {
      const message = await run(submission.value);
      return redirectWithFlash(`/booker/requests/${row.id}`, { kind: "success", message });
    } catch (err) {
      if (err instanceof RuleViolation) {
        if (err.field === "not_found") throw notFound(err.message);
        return refuse(err.field, err.message);
      }
      throw err;
    }
  }
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
  const { request, preferredTimes, session, history, canChange, canAskForChange, changes, delivered, contact, cancellation } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const pending = (intent: string) => navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
  const [form, fields] = useSchemaForm(ReasonSchema, {
    id: `cancel-request-${request.id}`,
    lastResult: actionData?.form === "cancel" ? actionData.result : undefined,
  });
  const [changeForm, changeFields] = useSchemaForm(BookingChangeSchema, {
    id: `change-request-${request.id}`,
    lastResult: actionData?.form === "change" ? actionData.result : undefined,
    shouldValidate: "onSubmit",
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
          ) : canAskForChange ? (
            <ButtonLink to="#ask-for-a-change" variant="secondary">
              Ask for a change
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

          {delivered ? <DeliveredCard summary={delivered} /> : null}

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

          <ChangesCard changes={changes} />

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
              <Detail term="Access needs">
                {request.accessNeeds || request.accessibilityNeeds ? (
                  <>
                    {request.accessNeeds ? <span className="block">{request.accessNeeds}</span> : null}
                    {request.accessibilityNeeds ? <span className="block whitespace-pre-line">{request.accessibilityNeeds}</span> : null}
                  </>
                ) : (
                  <span className="text-slate-600">None given</span>
                )}
              </Detail>
              <Detail term="Notes">
                {request.notes ? <span className="whitespace-pre-line">{request.notes}</span> : <span className="text-slate-600">None given</span>}
              </Detail>
              <Detail term="Sent">{formatDateTime(request.createdAt)}</Detail>
            </dl>
          </Card>

          {canAskForChange ? (
            <section id="ask-for-a-change" aria-labelledby="change-heading" className="scroll-mt-4 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
              <h2 id="change-heading" className="text-lg font-semibold text-slate-900">
                Ask for a change
              </h2>
              <p className="mt-1 text-sm text-slate-700">
                Fill in only what should change. The training coordinator answers by email; until then the session stays as it is.
              </p>
              <Form method="post" {...getFormProps(changeForm)} className="mt-4 space-y-5">
                <FormErrors id={changeForm.errorId} errors={changeForm.errors} />
                <input type="hidden" name="intent" value="change" />
                <fieldset>
                  <legend className="text-sm font-semibold text-slate-900">
                    A time that would suit better <span className="font-normal text-slate-600">(optional, UK time)</span>
                  </legend>
                  <DateAndTime date={changeFields.date} time={changeFields.time} className="mt-2" />
                </fieldset>
                <TextField meta={changeFields.groupSize} label="New group size" type="number" inputMode="numeric" optional className="sm:w-48" />
                <TextareaField
                  meta={changeFields.accessibilityNeeds}
                  label="Accessibility needs"
                  optional
                  rows={2}
                  hint="Anything the room or the trainers should know now."
                />
                <TextareaField meta={changeFields.message} label="Message to the coordinator" optional rows={3} />
                <Button type="submit" pending={pending("change")}>
                  Send the change
                </Button>
              </Form>
            </section>
          ) : null}

          {cancellation?.kind === "too-late" ? (
            <TooLateToCancel closedAt={cancellation.at} cutoffHours={cancellation.cutoffHours} contact={contact} />
          ) : cancellation ? (
            <ReasonForm
              title={cancellation.kind === "session" ? "Cancel this session" : "Cancel this request"}
              form={form}
              reason={fields.reason}
              intent="cancel"
              label="Why are you cancelling?"
              hint={
                cancellation.kind === "session"
                  ? `The trainers and the coordinator read this. You can cancel here until ${formatDateTime(cancellation.at)} (${plural(cancellation.cutoffHours, "hour")} before the session); after that, contact the training coordinator.`
                  : "The training coordinator reads this."
              }
              submitLabel={cancellation.kind === "session" ? "Cancel this session" : "Cancel this request"}
              pending={pending("cancel")}
            />
          ) : null}
        </div>

        <div className="space-y-6 self-start">
          <Card title="Your training coordinator">
            <ContactDetails contact={contact} />
          </Card>
          <Card title="History">
            <HistoryList events={history} />
          </Card>
        </div>
      </div>
    </>
  );
}
