import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireRole } from "#app/auth/guards.server.ts";
import { AUDIENCE_LABELS } from "#app/bookings/schemas.ts";
import { Button } from "#app/components/button.tsx";
import { FieldErrors, FormErrors } from "#app/components/field.tsx";
import { Badge, Card, PageHeader } from "#app/components/layout.tsx";
import { ReasonForm } from "#app/components/reason-form.tsx";
import { useSchemaForm } from "#app/components/schema-form.ts";
import { getDb } from "#app/db.server.ts";
import { getRequestForCoordinator, requestScheduling } from "#app/scheduling/queries.server.ts";
import { describeAccessSet } from "#app/scheduling/room-access.ts";
import { DeclineRequestSchema, ScheduleRequestSchema, type ScheduleRequestFields } from "#app/scheduling/schemas.ts";
import { declineRequest, scheduleRequest } from "#app/scheduling/sessions.server.ts";
import { trainersToAssign } from "#app/scheduling/staffing.ts";
import { formatDateTime, formatRange, utcToLondonWallTime } from "#app/utils/dates.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { redirectWithFlash } from "#app/utils/flash.server.ts";
import { findByParam } from "#app/utils/forms.server.ts";
import { readFormData } from "#app/utils/request-body.server.ts";
import { plural, PEOPLE } from "#app/utils/plural.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.request.course_name ?? "Request"} · Schedule · NeverOK Training` }];

const NOT_FOUND = "We could not find that request.";

const loadRequest = (param: string | undefined) => findByParam(param, (id) => getRequestForCoordinator(getDb(), id), NOT_FOUND);

export async function loader({ request: http, params }: LoaderFunctionArgs) {
  await requireRole(http, "coordinator");
  return findByParam(params.requestId, (id) => requestScheduling(getDb(), id, new URL(http.url).searchParams), NOT_FOUND);
}

export async function action({ request: http, params }: ActionFunctionArgs) {
  const actor = await requireRole(http, "coordinator");
  const request = await loadRequest(params.requestId);
  const formData = await readFormData(http);
  if (formData.get("intent") === "decline") {
    const submission = parseWithZod(formData, { schema: DeclineRequestSchema });
    const refuse = (message?: string) =>
      data({ form: "decline" as const, result: submission.reply(message ? { formErrors: [message] } : undefined) }, { status: 400 });
    if (submission.status !== "success") return refuse();
    try {
      await declineRequest(getDb(), actor, request.id, submission.value.reason);
    } catch (err) {
      if (err instanceof RuleViolation) return refuse(err.message);
      throw err;
    }
    return redirectWithFlash("/coordinator/requests", { kind: "success", message: `Declined. ${request.booker_name} has been emailed the reason.` });
  }
  const submission = parseWithZod(formData, { schema: ScheduleRequestSchema });
  const refuse = (field?: "roomId" | "form", message?: string) =>
    data(
      {
        form: "schedule" as const,
        result: submission.reply(message ? (field === "roomId" ? { fieldErrors: { roomId: [message] } } : { formErrors: [message] }) : undefined),
      },
      { status: 400 },
    );
  if (submission.status !== "success") return refuse();
  const { startsAt, roomId } = submission.value;
  try {
    const sessionId = await scheduleRequest(getDb(), actor, {
      requestId: request.id,
      startsAt: new Date(startsAt),
      location: roomId ? { roomId } : { address: request.address ?? "" },
    });
    return redirectWithFlash(`/coordinator/sessions/${sessionId}`, {
      kind: "success",
      message: `Scheduled. ${request.booker_name} has the invitation; now assign ${trainersToAssign(request.trainers_needed)}.`,
    });
  } catch (err) {
    if (err instanceof RuleViolation) return refuse(err.field === "roomId" ? "roomId" : "form", err.message);
    throw err;
  }
}

export default function ScheduleRequestPage() {
  const { request, query, startsAt, rooms, typed, otherProblem, choiceProblems } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [scheduleForm, scheduleFields] = useForm<ScheduleRequestFields>({
    id: "schedule",
    lastResult: actionData?.form === "schedule" ? actionData.result : undefined,
    constraint: getZodConstraint(ScheduleRequestSchema),
  });
  const [declineForm, declineFields] = useSchemaForm(DeclineRequestSchema, {
    id: "decline",
    lastResult: actionData?.form === "decline" ? actionData.result : undefined,
    shouldRevalidate: "onBlur",
  });
  const open = request.status === "requested";
  const otherWall = query.slot === "other" ? typed : startsAt ? utcToLondonWallTime(startsAt) : { date: "", time: "" };
  return (
    <>
      <PageHeader
        title={`${request.course_name} for ${request.organisation_name}`}
        description={`${plural(request.group_size, PEOPLE)} · ${AUDIENCE_LABELS[request.audience]} · ${plural(request.duration_minutes, "minute")} · requested by ${request.booker_name} (${request.booker_email}) on ${formatDateTime(request.created_at)}`}
        actions={<Link to="/coordinator/requests">← Back to the queue</Link>}
      />
      {!open ? (
        <Card className="mb-6">
          <p className="text-slate-800">
            This request is <Badge>{request.status}</Badge>
            {request.status_reason ? ` — ${request.status_reason}` : ""}.{" "}
            {request.session_id ? <Link to={`/coordinator/sessions/${request.session_id}`}>Open the session</Link> : null}
          </p>
        </Card>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="space-y-6 lg:col-span-2">
          <Card title="1. Choose the time">
            <Form method="get" className="space-y-4">
              <fieldset>
                <legend className="text-sm font-semibold text-slate-900">Preferred times (UK time)</legend>
                <div className="mt-2 space-y-2">
                  {request.preferredTimes.map((t, i) => (
                    <label
                      key={t}
                      className="flex min-h-11 cursor-pointer items-center gap-3 rounded-md bg-white p-3 ring-1 ring-slate-300 has-[:checked]:ring-2 has-[:checked]:ring-brand-700"
                    >
                      <input
                        type="radio"
                        name="slot"
                        value={String(i + 1)}
                        defaultChecked={query.slot === String(i + 1)}
                        className="h-5 w-5 accent-brand-700"
                      />
                      <span>
                        Choice {i + 1}: {formatRange(t, new Date(new Date(t).getTime() + request.duration_minutes * 60_000).toISOString())}
                        {choiceProblems[i] ? <span className="block text-sm text-red-800">{choiceProblems[i]}</span> : null}
                      </span>
                    </label>
                  ))}
                  <div className="rounded-md bg-white p-3 ring-1 ring-slate-300 has-[:checked]:ring-2 has-[:checked]:ring-brand-700">
                    <label className="flex min-h-11 cursor-pointer items-center gap-3">
                      <input type="radio" name="slot" value="other" defaultChecked={query.slot === "other"} className="h-5 w-5 accent-brand-700" />
                      <span>Another time</span>
                    </label>
                    <div className="mt-2 flex flex-wrap gap-3 pl-8">
                      <label className="text-sm">
                        <span className="block font-medium">Date</span>
                        <input
                          type="date"
                          name="date"
                          defaultValue={otherWall.date}
                          aria-invalid={otherProblem ? true : undefined}
                          aria-describedby={otherProblem ? "other-time-error" : undefined}
                          className="mt-1 rounded-md px-3 py-2 ring-1 ring-slate-400"
                        />
                      </label>
                      <label className="text-sm">
                        <span className="block font-medium">Start time</span>
                        <input
                          type="time"
                          name="time"
                          defaultValue={otherWall.time}
                          aria-invalid={otherProblem ? true : undefined}
                          aria-describedby={otherProblem ? "other-time-error" : undefined}
                          className="mt-1 rounded-md px-3 py-2 ring-1 ring-slate-400"
                        />
                      </label>
                    </div>
                    <div className="pl-8">
                      <FieldErrors id="other-time-error" errors={otherProblem ? [otherProblem] : undefined} />
                    </div>
                  </div>
                </div>
              </fieldset>
              <Button type="submit" variant="secondary">
                {request.location_kind === "campus" ? "Show rooms for this time" : "Use this time"}
              </Button>
            </Form>
          </Card>
          {startsAt && open ? (
            <Card title={request.location_kind === "campus" ? "2. Choose a room" : "2. Confirm"}>
              <Form method="post" {...getFormProps(scheduleForm)} className="space-y-4">
                <FormErrors id={scheduleForm.errorId} errors={scheduleForm.errors} />
                <input type="hidden" name="intent" value="schedule" />
                <input type="hidden" name="startsAt" value={startsAt} />
                <p className="font-medium text-slate-900">
                  {formatRange(startsAt, new Date(new Date(startsAt).getTime() + request.duration_minutes * 60_000).toISOString())}
                </p>
                {request.location_kind === "campus" ? (
                  <fieldset aria-describedby={scheduleFields.roomId.errors?.length ? scheduleFields.roomId.errorId : undefined}>
                    <legend className="text-sm font-semibold text-slate-900">
                      {request.access_needs.length
                        ? "Rooms (free, big enough and meeting the group's access needs first)"
                        : "Rooms (free and big enough first)"}
                    </legend>
                    <div className="mt-2 space-y-2">
                      {rooms.map((room) => (
                        <label
                          key={room.id}
                          className={`flex min-h-11 items-start gap-3 rounded-md p-3 ring-1 ${room.available ? "cursor-pointer bg-white ring-slate-300 has-[:checked]:ring-2 has-[:checked]:ring-brand-700" : "bg-slate-50 ring-slate-200"}`}
                        >
                          <input type="radio" name="roomId" value={room.id} disabled={!room.available} className="mt-0.5 h-5 w-5 accent-brand-700" />
                          <span>
                            <span className="block font-medium text-slate-900">
                              {room.name}, {room.building} <span className="font-normal text-slate-700">· holds {room.capacity}</span>
                            </span>
                            {room.reason ? <span className="block text-sm text-red-800">{room.reason}</span> : null}
                            {room.unmetText ? <span className="block text-sm font-medium text-amber-900">{room.unmetText}</span> : null}
                            {room.features.length ? <span className="block text-sm text-slate-700">{describeAccessSet(room.features)}</span> : null}
                            {room.accessibility_notes ? <span className="block text-sm text-slate-700">{room.accessibility_notes}</span> : null}
                          </span>
                        </label>
                      ))}
                    </div>
                    <FieldErrors id={scheduleFields.roomId.errorId} errors={scheduleFields.roomId.errors} />
                  </fieldset>
                ) : (
                  <p className="text-slate-800">At the organisation&apos;s own premises: {request.address}</p>
                )}
                <Button type="submit" pending={navigation.state === "submitting"}>
                  Schedule and send the invitation
                </Button>
              </Form>
            </Card>
          ) : null}
        </div>
        <div className="space-y-6">
          <Card title="What they asked for">
            <dl className="space-y-2 text-sm">
              <div>
                <dt className="text-slate-600">Where</dt>
                <dd className="text-slate-900">{request.location_kind === "campus" ? "A campus room" : request.address}</dd>
              </div>
              <div>
                <dt className="text-slate-600">Access needs</dt>
                <dd className="text-slate-900">{describeAccessSet(request.access_needs) ?? "None ticked"}</dd>
              </div>
              <div>
                <dt className="text-slate-600">Other access needs</dt>
                <dd className="whitespace-pre-line text-slate-900">{request.accessibility_needs ?? "None given"}</dd>
              </div>
              <div>
                <dt className="text-slate-600">Notes</dt>
                <dd className="text-slate-900">{request.notes ?? "None"}</dd>
              </div>
            </dl>
          </Card>
          {open ? (
            <ReasonForm
              title="Decline"
              form={declineForm}
              reason={declineFields.reason}
              intent="decline"
              label="Reason (sent to the booker)"
              submitLabel="Decline the request"
            />
          ) : null}
        </div>
      </div>
    </>
  );
}
