import { parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { notFound, requireRole } from "#app/auth/guards.server.ts";
import { Button, ButtonLink } from "#app/components/button.tsx";
import { FieldErrors, FormErrors } from "#app/components/field.tsx";
import { Badge, Card, EmptyState, PageHeader } from "#app/components/layout.tsx";
import { getDb } from "#app/db.server.ts";
import { appUrl } from "#app/scheduling/notifications.server.ts";
import { getSessionDetail } from "#app/scheduling/session-detail.server.ts";
import { sessionWhere } from "#app/scheduling/where.ts";
import { attendeeList, cancelRegistration, promoteByHand, type AttendeeRow, type Cancellation } from "#app/signup/registrations.server.ts";
import { CancelPlaceSchema, PromoteSchema } from "#app/signup/schemas.ts";
import { formatDateTime, formatRange } from "#app/utils/dates.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { redirectWithFlash } from "#app/utils/flash.server.ts";
import { parseId } from "#app/utils/forms.server.ts";
import { nowIso } from "#app/utils/time.ts";
import { readFormData } from "#app/utils/request-body.server.ts";
import { useClipboard } from "#app/utils/use-clipboard.ts";
import { useHydrated } from "#app/utils/use-hydrated.ts";
import { plural } from "#app/utils/plural.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Attendees: ${data?.list.title ?? data?.session.course.name ?? "Session"} · NeverOK Training` },
];

const NOT_FOUND = "We could not find that session.";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "coordinator");
  const id = parseId(params.sessionId);
  const db = getDb();
  const [session, list] = id ? await Promise.all([getSessionDetail(db, id), attendeeList(db, id)]) : [null, null];
  if (!session || !list) throw notFound(NOT_FOUND);
  return { session, list, signupUrl: appUrl(`/sessions/open/${session.id}`), now: nowIso() };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireRole(request, "coordinator");
  const id = parseId(params.sessionId);
  const db = getDb();
  if (!id || !(await getSessionDetail(db, id))) throw notFound(NOT_FOUND);
  const formData = await readFormData(request);
  const intent = formData.get("intent") === "promote" ? "promote" : "cancel";
  const submission = parseWithZod(formData, { schema: intent === "promote" ? PromoteSchema : CancelPlaceSchema });
  const registrationId = Number(formData.get("registrationId")) || null;
  const refuse = (message?: string) =>
    data({ intent, registrationId, result: submission.reply(message ? { formErrors: [message] } : undefined) }, { status: 400 });
  if (submission.status !== "success") return refuse();
  const v = submission.value;
  const here = `/coordinator/sessions/${id}/attendees`;
  const pair = { sessionId: id, registrationId: v.registrationId };
  try {
    if (v.intent === "promote") {
      const promoted = await promoteByHand(db, actor, pair);
      return redirectWithFlash(here, { kind: "success", message: `${promoted.name} has a place now and has been emailed the calendar invite.` });
    }
    return redirectWithFlash(here, { kind: "success", message: cancelledMessage(await cancelRegistration(db, actor, { ...pair, reason: v.reason })) });
  } catch (err) {
    if (err instanceof RuleViolation) return refuse(err.message);
    throw err;
  }
}

function cancelledMessage({ cancelled, firstWaiting }: Cancellation): string {
  const done =
    cancelled.status === "registered"
      ? `Cancelled ${cancelled.name}'s place and emailed them.`
      : `Took ${cancelled.name} off the waiting list and emailed them.`;
  if (!firstWaiting) return done;
  return firstWaiting.promoted
    ? `${done} ${firstWaiting.name} moved up from the waiting list and has been emailed.`
    : `${done} ${firstWaiting.name}, first on the waiting list, was not moved up because the session starts within ${plural(firstWaiting.cutoffHours, "hour")}; promote them by hand if you want to.`;
}

const ATTENDANCE = {
  unknown: { label: "Not taken yet", tone: "slate" },
  present: { label: "Present", tone: "green" },
  absent: { label: "Absent", tone: "red" },
} as const;

const STAT_COLUMNS: Record<number, string> = {
  1: "grid-cols-1",
  2: "grid-cols-2",
  3: "grid-cols-3",
  4: "grid-cols-2 sm:grid-cols-4",
  5: "grid-cols-3 sm:grid-cols-5",
};

const POLICY_LABELS = {
  anyone: "Anyone with the link",
  list: "Only the email addresses on the invited list",
  domain: "Only email addresses at one domain",
} as const;

export default function AttendeesPage() {
  const { session, list, signupUrl, now } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const open = list.kind === "open";
  const live = session.status === "scheduled" && session.startsAt > now;
  const seatsLeft = Math.max(0, session.capacity - list.registered.length);
  const busy = (id: number, intent: string) =>
    navigation.state !== "idle" && navigation.formData?.get("registrationId") === String(id) && navigation.formData?.get("intent") === intent;
  const errorFor = (id: number, intent: "cancel" | "promote") =>
    actionData?.registrationId === id && actionData.intent === intent ? actionData.result : undefined;
  // A refusal about the form as a whole goes at the top of the list the person was on.
  const formErrorIn = (where: "registered" | "waiting") => {
    if (!actionData?.result.error?.[""]) return undefined;
    const onWaiting = list.waiting.some((r) => r.id === actionData.registrationId);
    const onRegistered = list.registered.some((r) => r.id === actionData.registrationId);
    if (where === "waiting" ? onWaiting : onRegistered || !onWaiting) return actionData.result.error[""] ?? undefined;
    return undefined;
  };
  const name = list.title ?? session.course.name;
  const present = list.registered.filter((r) => r.attendance === "present").length;
  const stats: { label: string; value: number; of?: number }[] = open
    ? [
        { label: "Places taken", value: list.registered.length, of: session.capacity },
        { label: "Places left", value: seatsLeft },
        { label: "Waiting", value: list.waiting.length },
      ]
    : [{ label: "On the register", value: list.registered.length }];
  if (!live || present > 0) stats.push({ label: "Present", value: present });
  if (list.headCount !== null) stats.push({ label: "Head count", value: list.headCount });
  // Before the day there is no register to show; afterwards, or once anyone is marked, there is.
  const showAttendance = !live || list.registered.some((r) => r.attendance !== "unknown");
  return (
    <>
      <PageHeader
        title={`Attendees: ${name}`}
        description={
          <>
            {list.title ? `${session.course.name} · ` : ""}
            {formatRange(session.startsAt, session.endsAt)} · {sessionWhere(session)}
            {session.organisation ? ` · for ${session.organisation.name}` : ""}
          </>
        }
        actions={
          <>
            {session.status !== "scheduled" ? (
              <span className="self-center">
                <Badge tone={session.status === "cancelled" ? "red" : "green"}>{session.status}</Badge>
              </span>
            ) : null}
            <ButtonLink to={`/coordinator/sessions/${session.id}`} variant="secondary">
              Trainers, time and place
            </ButtonLink>
          </>
        }
      />
      {session.cancelReason ? <p className="mb-6 rounded-md bg-red-50 p-4 text-red-900">Cancelled: {session.cancelReason}</p> : null}

      <dl className={`mb-6 grid gap-px overflow-hidden rounded-lg bg-slate-200 text-center shadow-sm ring-1 ring-slate-200 ${STAT_COLUMNS[stats.length]}`}>
        {stats.map((st) => (
          <Stat key={st.label} {...st} />
        ))}
      </dl>

      {open && session.status === "scheduled" ? (
        <Card title="Sign-up" className="mb-6">
          <div className="grid gap-4 lg:grid-cols-2">
            <div>
              <label htmlFor="signup-link" className="block text-sm font-semibold text-slate-900">
                Sign-up link to share
              </label>
              <div className="mt-1.5 flex gap-2">
                <input
                  id="signup-link"
                  readOnly
                  value={signupUrl}
                  onFocus={(e) => e.currentTarget.select()}
                  className="block w-full min-w-0 rounded-md border-0 bg-slate-50 px-3 py-2.5 font-mono text-sm text-slate-900 ring-1 ring-inset ring-slate-400 focus:ring-2 focus:ring-brand-700"
                />
                <CopyButton text={signupUrl} />
              </div>
              <p className="mt-2 text-sm">
                <a href={signupUrl} target="_blank" rel="noreferrer">
                  Open the sign-up page<span className="sr-only"> (opens in a new tab)</span>
                </a>
              </p>
            </div>
            <dl className="grid gap-2 text-sm sm:grid-cols-2">
              <div>
                <dt className="text-slate-600">Who may sign up</dt>
                <dd className="text-slate-900">
                  {list.signupPolicy === "domain" && list.signupDomain ? `Only @${list.signupDomain} addresses` : POLICY_LABELS[list.signupPolicy]}
                </dd>
              </div>
              <div>
                <dt className="text-slate-600">Sign-up closes</dt>
                <dd className="text-slate-900">{list.signupDeadline ? formatDateTime(list.signupDeadline) : "When the session starts"}</dd>
              </div>
              <div>
                <dt className="text-slate-600">Student ID</dt>
                <dd className="text-slate-900">{list.asksStudentId ? "Asked for" : "Not asked for"}</dd>
              </div>
              <div>
                <dt className="text-slate-600">Waiting list</dt>
                <dd className="text-slate-900">Moves up by itself until {plural(list.promotionCutoffHours, "hour")} before the start</dd>
              </div>
            </dl>
          </div>
        </Card>
      ) : null}

      <section aria-labelledby="registered-heading" className="mb-8">
        <h2 id="registered-heading" className="mb-3 text-xl font-semibold text-slate-900">
          {open ? "People with a place" : "People on the register"} <span className="text-slate-600">({list.registered.length})</span>
        </h2>
        {list.question && list.registered.length ? (
          <p className="mb-3 text-sm text-slate-700">
            Answers are to the question: <q>{list.question}</q>
          </p>
        ) : null}
        <div className="mb-3 empty:hidden">
          <FormErrors id="registered-errors" errors={formErrorIn("registered")} />
        </div>
        {list.registered.length === 0 ? (
          <EmptyState>{open ? "Nobody has signed up yet. Share the sign-up link above." : "Nobody is on the register for this session."}</EmptyState>
        ) : (
          <ol className="divide-y divide-slate-100 rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
            {list.registered.map((r) => (
              <li key={r.id} className="flex flex-col gap-3 p-4 md:flex-row md:items-start md:justify-between">
                <PersonDetails person={r} />
                <div className="flex shrink-0 flex-col gap-2 md:w-72 md:items-end">
                  {showAttendance ? (
                    <p>
                      <span className="sr-only">Attendance: </span>
                      <Badge tone={ATTENDANCE[r.attendance].tone}>{ATTENDANCE[r.attendance].label}</Badge>
                    </p>
                  ) : null}
                  {live ? (
                    <CancelPlace
                      person={r}
                      label="Cancel this place"
                      confirm={`Cancel ${r.name}'s place`}
                      error={errorFor(r.id, "cancel")}
                      pending={busy(r.id, "cancel")}
                    />
                  ) : null}
                </div>
              </li>
            ))}
          </ol>
        )}
      </section>

      {open || list.waiting.length ? (
        <section aria-labelledby="waiting-heading" className="mb-8">
          <h2 id="waiting-heading" className="mb-1 text-xl font-semibold text-slate-900">
            Waiting list <span className="text-slate-600">({list.waiting.length})</span>
          </h2>
          <p className="mb-3 text-sm text-slate-700">In order of joining. The first person moves up when a place is cancelled.</p>
          {live && list.waiting.length && seatsLeft === 0 ? (
            <p id="no-places-hint" className="mb-3 text-sm text-slate-700">
              Every place is taken, so nobody can be promoted until a place is cancelled.
            </p>
          ) : null}
          <div className="mb-3 empty:hidden">
            <FormErrors id="waiting-errors" errors={formErrorIn("waiting")} />
          </div>
          {list.waiting.length === 0 ? (
            <EmptyState>Nobody is waiting.</EmptyState>
          ) : (
            <ol className="divide-y divide-slate-100 rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
              {list.waiting.map((r, i) => (
                <li key={r.id} className="flex flex-col gap-3 p-4 md:flex-row md:items-start md:justify-between">
                  <div className="flex min-w-0 gap-4">
                    <p className="w-8 shrink-0 text-xl font-bold text-slate-900">
                      <span className="sr-only">Position </span>
                      {i + 1}
                    </p>
                    <PersonDetails person={r} joined />
                  </div>
                  {live ? (
                    <div className="flex shrink-0 flex-col gap-2 md:w-72 md:items-end">
                      <Form method="post" className="w-full md:w-auto">
                        <input type="hidden" name="intent" value="promote" />
                        <input type="hidden" name="registrationId" value={r.id} />
                        <Button
                          type="submit"
                          variant={seatsLeft > 0 ? "primary" : "secondary"}
                          className="w-full md:w-auto"
                          pending={busy(r.id, "promote")}
                          aria-describedby={seatsLeft === 0 ? "no-places-hint" : undefined}
                        >
                          Promote<span className="sr-only"> {r.name} to a place</span>
                        </Button>
                      </Form>
                      <CancelPlace
                        person={r}
                        label="Take off the list"
                        confirm={`Take ${r.name} off the waiting list`}
                        error={errorFor(r.id, "cancel")}
                        pending={busy(r.id, "cancel")}
                      />
                    </div>
                  ) : null}
                </li>
              ))}
            </ol>
          )}
        </section>
      ) : null}

      {list.cancelled.length ? (
        <details className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
          <summary className="cursor-pointer font-semibold text-slate-900">Cancelled ({list.cancelled.length})</summary>
          <ul className="mt-3 divide-y divide-slate-100 text-sm">
            {list.cancelled.map((r) => (
              <li key={r.id} className="flex flex-col gap-1 py-2 sm:flex-row sm:justify-between">
                <span className="text-slate-900">
                  {r.name}
                  {r.email ? <span className="text-slate-700"> · {r.email}</span> : null}
                </span>
                <span className="text-slate-700">{r.cancelledAt ? `Cancelled ${formatDateTime(r.cancelledAt)}` : "Cancelled"}</span>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </>
  );
}

/** Copies the link where the browser allows it; the field beside it can always be selected by hand. */
function CopyButton({ text }: { text: string }) {
  const hydrated = useHydrated();
  const { state, copy } = useClipboard();
  if (!hydrated || !navigator.clipboard) return null;
  return (
    <Button type="button" variant="secondary" className="shrink-0" onClick={() => copy(text)}>
      <span aria-live="polite">{state === "copied" ? "Copied" : state === "failed" ? "Select the link to copy it" : "Copy link"}</span>
    </Button>
  );
}

function Stat({ label, value, of }: { label: string; value: number; of?: number }) {
  return (
    <div className="bg-white px-2 py-3 sm:py-4">
      <dt className="text-xs font-medium text-slate-700 sm:text-sm">{label}</dt>
      <dd className="mt-1 text-2xl font-bold text-slate-900 sm:text-3xl">
        {value}
        {of !== undefined ? <span className="text-sm font-medium text-slate-700 sm:text-base"> of {of}</span> : null}
      </dd>
    </div>
  );
}

function PersonDetails({ person: r, joined }: { person: AttendeeRow; joined?: boolean }) {
  return (
    <div className="min-w-0 text-sm">
      <p className="text-base font-semibold text-slate-900">
        {r.name} {r.walkIn ? <Badge>Walk-in</Badge> : null}
      </p>
      <p className="break-words text-slate-800">
        {r.email ?? <span className="text-slate-600">No email</span>}
        {r.studentId ? <span className="text-slate-700"> · Student ID {r.studentId}</span> : null}
      </p>
      {r.answer ? (
        <p className="mt-1 text-slate-800">
          <span className="font-medium">Answer:</span> {r.answer}
        </p>
      ) : null}
      {r.accessibilityNeeds ? (
        <p className="mt-1 text-slate-800">
          <span className="font-medium">Accessibility needs:</span> {r.accessibilityNeeds}
        </p>
      ) : null}
      <p className="mt-1 text-slate-600">
        {joined ? "Joined" : r.walkIn ? "Added at the door" : "Signed up"} {formatDateTime(r.createdAt)}
        {r.promotedAt ? ` · moved up from the waiting list ${formatDateTime(r.promotedAt)}` : ""}
      </p>
    </div>
  );
}

type Reply = { error?: Record<string, string[] | null> | null; initialValue?: Record<string, unknown> | null };

/** A place or waiting-list entry is cancelled with a reason, which goes into the email to the person. */
function CancelPlace({ person, label, confirm, error, pending }: { person: AttendeeRow; label: string; confirm: string; error?: Reply; pending: boolean }) {
  const reasonErrors = error?.error?.reason ?? undefined;
  const typed = typeof error?.initialValue?.reason === "string" ? error.initialValue.reason : "";
  const id = `cancel-${person.id}`;
  return (
    <details open={!!error || undefined} className="group w-full md:w-72">
      <summary className="flex min-h-11 cursor-pointer list-none items-center justify-center rounded-md bg-white px-4 py-2 text-sm font-semibold text-red-800 ring-1 ring-inset ring-slate-300 hover:bg-red-50 md:ml-auto md:w-fit [&::-webkit-details-marker]:hidden">
        {label}
        <span className="sr-only">: {person.name}</span>
      </summary>
      <Form method="post" className="mt-2 space-y-2 rounded-md bg-slate-50 p-3 text-left ring-1 ring-slate-200">
        <input type="hidden" name="intent" value="cancel" />
        <input type="hidden" name="registrationId" value={person.id} />
        <label htmlFor={`${id}-reason`} className="block text-sm font-semibold text-slate-900">
          Reason
        </label>
        <p id={`${id}-hint`} className="text-sm text-slate-600">
          It goes into the email to {person.name}.
        </p>
        <textarea
          id={`${id}-reason`}
          name="reason"
          rows={2}
          required
          minLength={3}
          maxLength={500}
          defaultValue={typed}
          aria-invalid={reasonErrors?.length ? true : undefined}
          aria-describedby={[`${id}-hint`, reasonErrors?.length ? `${id}-error` : null].filter(Boolean).join(" ")}
          className="block w-full rounded-md border-0 bg-white px-3 py-2 text-base text-slate-900 ring-1 ring-inset ring-slate-400 focus:ring-2 focus:ring-inset focus:ring-brand-700 aria-[invalid=true]:ring-2 aria-[invalid=true]:ring-red-700 sm:text-sm"
        />
        <FieldErrors id={`${id}-error`} errors={reasonErrors} />
        <Button type="submit" variant="danger" pending={pending} className="w-full">
          {confirm}
        </Button>
      </Form>
    </details>
  );
}
