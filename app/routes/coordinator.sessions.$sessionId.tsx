import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { listAuditEvents } from "#app/audit/audit.server.ts";
import { requireRole } from "#app/auth/guards.server.ts";
import { Button } from "#app/components/button.tsx";
import { FormErrors, SelectField, TextareaField, TextField } from "#app/components/field.tsx";
import { HistoryList } from "#app/components/history-list.tsx";
import { Badge, Card, PageHeader } from "#app/components/layout.tsx";
import { ReasonForm } from "#app/components/reason-form.tsx";
import { useSchemaForm } from "#app/components/schema-form.ts";
import { getDb } from "#app/db.server.ts";
import { ClosureHint } from "#app/scheduling/closure-hint.tsx";
import { closureCalendar } from "#app/scheduling/closures.server.ts";
import { listRooms } from "#app/reference/reference.server.ts";
import { assignTrainer, rankTrainersForSession, removeTrainer } from "#app/scheduling/assignments.server.ts";
import { rankRoomsByNeeds } from "#app/scheduling/room-access.ts";
import { getSessionDetail } from "#app/scheduling/session-detail.server.ts";
import { sessionWhere } from "#app/scheduling/where.ts";
import {
  AcceptChangeSchema,
  AssignTrainerSchema,
  CancelSessionSchema,
  DeclineChangeSchema,
  locationOf,
  RemoveTrainerSchema,
  RescheduleSchema,
} from "#app/scheduling/schemas.ts";
import { ChangeToAnswer } from "#app/bookings/change-answer.tsx";
import { acceptChange, declineChange, openChangeForSession } from "#app/bookings/changes.server.ts";
import { cancelSession, rescheduleSession } from "#app/scheduling/sessions.server.ts";
import { formatRange, londonToday, londonWallTimeToUtc, utcToLondonWallTime } from "#app/utils/dates.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { redirectWithFlash } from "#app/utils/flash.server.ts";
import { findByParam } from "#app/utils/forms.server.ts";
import { readFormData } from "#app/utils/request-body.server.ts";
import { countOf, plural, PEOPLE } from "#app/utils/plural.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.session.course.name ?? "Session"} · NeverOK Training` }];

const SCHEMAS = {
  assign: AssignTrainerSchema,
  remove: RemoveTrainerSchema,
  reschedule: RescheduleSchema,
  cancel: CancelSessionSchema,
  "accept-change": AcceptChangeSchema,
  "decline-change": DeclineChangeSchema,
};
type FormName = keyof typeof SCHEMAS;

const loadSession = (param: string | undefined) => findByParam(param, (id) => getSessionDetail(getDb(), id), "We could not find that session.");

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "coordinator");
  const session = await loadSession(params.sessionId);
  const db = getDb();
  const [candidates, rooms, history, change, closures] = await Promise.all([
    session.status === "scheduled" ? rankTrainersForSession(db, session.id) : Promise.resolve([]),
    listRooms(db),
    listAuditEvents(db, { entityType: "session", entityId: session.id, limit: 50 }),
    openChangeForSession(db, session),
    closureCalendar(db),
  ]);
  // Rooms meeting the group's access needs come first; the others say what they lack.
  const offer = rankRoomsByNeeds(rooms, session.request?.accessNeeds ?? []).map(({ room: r, unmetText }) => ({
    id: r.id,
    label: `${r.name}, ${r.building} (holds ${r.capacity})${unmetText ? `: ${unmetText.charAt(0).toLowerCase()}${unmetText.slice(1)}` : ""}`,
  }));
  return { session, candidates, rooms: offer, history, change, closures: closures.upcoming(londonToday()) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireRole(request, "coordinator");
  const session = await loadSession(params.sessionId);
  const formData = await readFormData(request);
  const asked = String(formData.get("intent"));
  if (!Object.hasOwn(SCHEMAS, asked)) throw data({ message: "Unknown action" }, { status: 400 });
  const intent = asked as FormName;
  const db = getDb();
  const here = `/coordinator/sessions/${session.id}`;
  const submission = parseWithZod(formData, { schema: SCHEMAS[intent] });
  const refuse = (field: string, message?: string) =>
    data(
      {
        form: intent,
        trainerId: Number(formData.get("trainerId")) || null,
        result: submission.reply(message ? (field === "form" ? { formErrors: [message] } : { fieldErrors: { [field]: [message] } }) : undefined),
      },
      { status: 400 },
    );
  if (submission.status !== "success") return refuse("form");
  const v = submission.value;
  try {
    if (v.intent === "assign") {
      await assignTrainer(db, actor, { sessionId: session.id, trainerId: v.trainerId, overrideReason: v.overrideReason });
      return redirectWithFlash(here, { kind: "success", message: "Assigned. The trainer has the invitation and is asked to accept." });
    }
    if (v.intent === "remove") {
      await removeTrainer(db, actor, { sessionId: session.id, trainerId: v.trainerId });
      return redirectWithFlash(here, { kind: "success", message: "Removed. Their calendar copy has been cancelled." });
    }
    if (v.intent === "reschedule") {
      const location = locationOf(v.place, v.address);
      await rescheduleSession(db, actor, {
        sessionId: session.id,
        startsAt: londonWallTimeToUtc(v.date, v.time),
        location,
        reason: v.reason,
        changeId: v.changeId,
      });
      return redirectWithFlash(here, {
        kind: "success",
        message: v.changeId
          ? "Moved, and the booker's change is accepted. Everyone on the session has the calendar update."
          : "Moved. Everyone on the session has the calendar update.",
      });
    }
    if (v.intent === "accept-change") {
      await acceptChange(db, actor, { sessionId: session.id, changeId: v.changeId });
      return redirectWithFlash(here, { kind: "success", message: "Accepted. The booker has been emailed." });
    }
    if (v.intent === "decline-change") {
      await declineChange(db, actor, { sessionId: session.id, changeId: v.changeId, reason: v.reason });
      return redirectWithFlash(here, { kind: "success", message: "Declined. The booker has been emailed the reason." });
    }
    await cancelSession(db, actor, session.id, v.reason);
    return redirectWithFlash(here, { kind: "success", message: "Cancelled. Everyone on the session has the cancellation." });
  } catch (err) {
    if (err instanceof RuleViolation) {
      const field = {
        assign: "overrideReason",
        remove: "form",
        reschedule: err.field === "roomId" ? "place" : err.field === "startsAt" ? "date" : err.field === "address" ? "address" : "form",
        cancel: "form",
        "accept-change": "form",
        "decline-change": "form",
      }[intent];
      return refuse(field, err.message);
    }
    throw err;
  }
}

const ASSIGNMENT_TONE = { assigned: "amber", accepted: "green", declined: "red" } as const;
const ASSIGNMENT_LABEL = { assigned: "Asked, no answer yet", accepted: "Accepted", declined: "Declined" } as const;

export default function CoordinatorSessionPage() {
  const { session, candidates, rooms, history, change, closures } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const resultFor = (name: FormName) => (actionData?.form === name ? actionData.result : undefined);
  const wall = utcToLondonWallTime(change?.preferredStartsAt ?? session.startsAt);
  const [rescheduleForm, r] = useSchemaForm(RescheduleSchema, {
    id: "reschedule",
    lastResult: resultFor("reschedule"),
    defaultValue: { date: wall.date, time: wall.time, place: session.room ? `room:${session.room.id}` : "address", address: session.address ?? "" },
    shouldRevalidate: "onBlur",
  });
  const [declineChangeForm, dc] = useSchemaForm(DeclineChangeSchema, {
    id: "decline-change",
    lastResult: resultFor("decline-change"),
    shouldRevalidate: "onBlur",
  });
  const [acceptChangeForm] = useForm({ id: "accept-change", lastResult: resultFor("accept-change") });
  const [cancelForm, c] = useSchemaForm(CancelSessionSchema, {
    id: "cancel",
    lastResult: resultFor("cancel"),
    shouldRevalidate: "onBlur",
  });
  const [assignForm] = useForm({ id: "assign", lastResult: resultFor("assign") });
  const assignError = actionData?.form === "assign" ? (actionData.result.error?.overrideReason ?? actionData.result.error?.[""] ?? undefined) : undefined;
  const active = session.trainers.filter((t) => t.status !== "declined");
  const scheduled = session.status === "scheduled";
  return (
    <>
      <PageHeader
        title={`${session.course.name}${session.organisation ? ` for ${session.organisation.name}` : ""}`}
        description={
          <>
            {formatRange(session.startsAt, session.endsAt)} · {sessionWhere(session)}
          </>
        }
        actions={
          <>
            <Badge tone={session.status === "cancelled" ? "red" : session.status === "delivered" ? "green" : "brand"}>{session.status}</Badge>
            <Link to={`/trainer/sessions/${session.id}/register`} className="self-center text-sm">
              Register
            </Link>
            <Link to={`/trainer/sessions/${session.id}/qr`} className="self-center text-sm">
              Feedback QR
            </Link>
            <a href={`/sessions/${session.id}.ics`} className="self-center text-sm">
              Download .ics
            </a>
            <Link to={`/coordinator/sessions/${session.id}/attendees`} className="self-center text-sm">
              Attendees
            </Link>
          </>
        }
      />
      {session.cancelReason ? <p className="mb-6 rounded-md bg-red-50 p-4 text-red-900">Cancelled: {session.cancelReason}</p> : null}
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="space-y-6 lg:col-span-2">
          {change ? <ChangeToAnswer change={change} acceptForm={acceptChangeForm} declineForm={declineChangeForm} reason={dc.reason} /> : null}
          <Card title={`Trainers (${active.length} of ${session.trainersNeeded})`}>
            {session.trainers.length === 0 ? <p className="text-slate-700">Nobody yet.</p> : null}
            <ul className="divide-y divide-slate-100">
              {session.trainers.map((t) => (
                <li key={t.id} className="flex flex-col gap-2 py-3 sm:flex-row sm:items-center sm:justify-between">
                  <div>
                    <p className="font-medium text-slate-900">
                      {t.name} <Badge tone={ASSIGNMENT_TONE[t.status]}>{ASSIGNMENT_LABEL[t.status]}</Badge>
                    </p>
                    {t.declineReason ? <p className="text-sm text-slate-700">Reason: {t.declineReason}</p> : null}
                    {t.overrideReason ? <p className="text-sm text-amber-900">Assigned despite unavailability: {t.overrideReason}</p> : null}
                  </div>
                  {scheduled && t.status !== "declined" ? (
                    <Form method="post">
                      <input type="hidden" name="intent" value="remove" />
                      <input type="hidden" name="trainerId" value={t.id} />
                      <Button type="submit" variant="secondary">
                        Take off this session
                      </Button>
                    </Form>
                  ) : null}
                </li>
              ))}
            </ul>
          </Card>
          {scheduled ? (
            <Card title="Assign a trainer">
              <p className="mb-3 text-sm text-slate-700">
                Qualified and available first, then fewest hours this term. Anyone excluded says why; unavailability can be overridden with a reason, a double
                booking or a missing qualification cannot.
              </p>
              <FormErrors id={assignForm.errorId} errors={assignError} />
              <ul className="space-y-3">
                {candidates
                  .filter((cand) => cand.assignment !== "assigned" && cand.assignment !== "accepted")
                  .map((cand) => {
                    const hard = cand.exclusions.some((e) => e.hard);
                    const soft = !hard && cand.exclusions.length > 0;
                    return (
                      <li
                        key={cand.id}
                        className={`rounded-md p-3 ring-1 ${cand.exclusions.length ? "bg-slate-50 ring-slate-200" : "bg-white ring-green-300"}`}
                      >
                        <div className="flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
                          <div>
                            <p className="font-medium text-slate-900">
                              {cand.name} {cand.exclusions.length === 0 ? <Badge tone="green">Available</Badge> : null}
                              {cand.assignment === "declined" ? <Badge tone="red">Declined before</Badge> : null}
                            </p>
                            <p className="text-sm text-slate-700">
                              {plural(cand.hoursThisTerm, "hour")} this term · {countOf(cand.sessionsThisWeek, cand.maxSessionsPerWeek, "session")} that week
                            </p>
                            {cand.exclusions.length ? (
                              <ul className="mt-1 list-disc pl-5 text-sm text-slate-800">
                                {cand.exclusions.map((e) => (
                                  <li key={e.code + e.message}>{e.message}</li>
                                ))}
                              </ul>
                            ) : null}
                          </div>
                          {!hard ? (
                            <Form method="post" className="flex shrink-0 flex-col gap-2 sm:w-64">
                              <input type="hidden" name="intent" value="assign" />
                              <input type="hidden" name="trainerId" value={cand.id} />
                              {soft ? (
                                <label className="text-sm">
                                  <span className="font-medium">Reason to override</span>
                                  <input
                                    name="overrideReason"
                                    className="mt-1 block w-full rounded-md px-3 py-2 ring-1 ring-slate-400"
                                    required
                                    aria-label={`Reason to assign ${cand.name} anyway`}
                                  />
                                </label>
                              ) : null}
                              <Button type="submit" variant={soft ? "secondary" : "primary"} aria-label={`Assign ${cand.name}`}>
                                {soft ? "Assign anyway" : "Assign"}
                              </Button>
                            </Form>
                          ) : null}
                        </div>
                      </li>
                    );
                  })}
              </ul>
            </Card>
          ) : null}
          {scheduled ? (
            <Card title="Move the session">
              <Form method="post" {...getFormProps(rescheduleForm)} className="space-y-4">
                <FormErrors id={rescheduleForm.errorId} errors={rescheduleForm.errors} />
                <input type="hidden" name="intent" value="reschedule" />
                {change?.preferredStartsAt ? (
                  <>
                    <input type="hidden" name="changeId" value={change.id} />
                    <p className="text-sm text-slate-700">The time {change.askedBy} asked for is filled in. Moving the session accepts their change.</p>
                  </>
                ) : null}
                <div className="grid gap-4 sm:grid-cols-2">
                  <TextField meta={r.date} label="Date" type="date" />
                  <TextField meta={r.time} label="Start time (UK)" type="time" />
                </div>
                <ClosureHint closures={closures} />
                <SelectField
                  meta={r.place}
                  label="Where"
                  options={[...rooms.map((room) => ({ value: `room:${room.id}`, label: room.label })), { value: "address", label: "Another address" }]}
                />
                <TextField meta={r.address} label="Address (when not a campus room)" optional />
                <TextareaField meta={r.reason} label="Reason (sent to everyone on the session)" rows={2} />
                <Button type="submit" pending={navigation.state === "submitting"}>
                  Move and send the update
                </Button>
              </Form>
            </Card>
          ) : null}
        </div>
        <div className="space-y-6">
          <Card title="Details">
            <dl className="space-y-2 text-sm">
              <div>
                <dt className="text-slate-600">Group</dt>
                <dd className="text-slate-900">{session.request ? plural(session.request.groupSize, PEOPLE) : `Up to ${session.capacity}`}</dd>
              </div>
              {session.booker ? (
                <div>
                  <dt className="text-slate-600">Booked by</dt>
                  <dd className="text-slate-900">
                    {session.booker.name} · {session.booker.email}
                  </dd>
                </div>
              ) : null}
              {session.request?.accessibilityNeeds ? (
                <div>
                  <dt className="text-slate-600">Accessibility needs</dt>
                  <dd className="text-slate-900">{session.request.accessibilityNeeds}</dd>
                </div>
              ) : null}
              {session.request?.notes ? (
                <div>
                  <dt className="text-slate-600">Notes</dt>
                  <dd className="text-slate-900">{session.request.notes}</dd>
                </div>
              ) : null}
              {session.request ? (
                <div>
                  <dt className="text-slate-600">Request</dt>
                  <dd>
                    <Link to={`/coordinator/requests/${session.request.id}`}>See the original request</Link>
                  </dd>
                </div>
              ) : null}
              <div>
                <dt className="text-slate-600">Calendar</dt>
                <dd className="text-slate-900">Version {session.icalSequence} of the event</dd>
              </div>
            </dl>
          </Card>
          {scheduled ? (
            <ReasonForm
              title="Cancel the session"
              form={cancelForm}
              reason={c.reason}
              intent="cancel"
              label="Reason (sent to everyone on the session)"
              submitLabel="Cancel the session"
            />
          ) : null}
          <Card title="History">
            <HistoryList events={history} />
          </Card>
        </div>
      </div>
    </>
  );
}
