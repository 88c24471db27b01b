import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import { z } from "zod";
import { notFound, requirePermission } from "#app/auth/guards.server.ts";
import { Button, ButtonLink, buttonClass } from "#app/components/button.tsx";
import { FormErrors, SelectField, TextareaField, TextField } from "#app/components/field.tsx";
import { Badge, Card, EmptyState, PageHeader } from "#app/components/layout.tsx";
import { leaderDetail, type LeaderDetail } from "#app/compliance/leader-detail.server.ts";
import { confirmMatch, dismissMatch } from "#app/compliance/near-misses.server.ts";
import { recordExemption, recordExternalCompletion, withdrawCompletion, withdrawExemption } from "#app/compliance/records.server.ts";
import { asOfDate, getLeaderYear } from "#app/compliance/facts.server.ts";
import { yearFromQuery } from "#app/compliance/page-year.server.ts";
import { academicYearLabel, type PersonRequirement } from "#app/compliance/rules.ts";
import { ExemptionSchema, ExternalCompletionSchema, MatchSchema, StartYearSchema, WithdrawSchema } from "#app/compliance/schemas.ts";
import { LeaderStatusBadge, RequirementBadge } from "#app/compliance/status-badges.tsx";
import { getDb } from "#app/db.server.ts";
import { listCourses } from "#app/reference/reference.server.ts";
import { formatDateTime, formatDay } from "#app/utils/dates.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { redirectWithFlash } from "#app/utils/flash.server.ts";
import { parseId } from "#app/utils/forms.server.ts";
import { readFormData } from "#app/utils/request-body.server.ts";

const PAGE_HEADERS = { "Cache-Control": "no-store" };
export const headers: HeadersFunction = () => PAGE_HEADERS;
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.detail.person.name ?? "Leader"} · NeverOK Training` }];

/** The forms on this page: the module's schemas, less what the page supplies itself. */
const ExternalForm = ExternalCompletionSchema.omit({ personId: true });
const WithdrawFields = WithdrawSchema.omit({ personId: true });
const ExemptionForm = z.object({
  courseId: z.string({ error: "Choose a course, or every course" }).regex(/^(all|\d+)$/, { error: "Choose a course, or every course" }),
  startYear: StartYearSchema,
  reason: ExemptionSchema.shape.reason,
  grantedBy: ExemptionSchema.shape.grantedBy,
});

type ActionResult = { form: string; result: SubmissionResult<string[]> };

async function loadPersonId(param: string | undefined): Promise<number> {
  const id = parseId(param);
  const person = id ? await getDb().selectFrom("leader_people").select("id").where("id", "=", id).executeTakeFirst() : null;
  if (!person) throw notFound("We could not find that leader.");
  return person.id;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "manage:leaders");
  const db = getDb();
  const personId = await loadPersonId(params.personId);
  // This year's roster, or the last year the person held a role when no year is current.
  let year = await yearFromQuery(db, request);
  if (!year) {
    const latest = await db
      .selectFrom("leader_appointments")
      .select("start_year")
      .where("person_id", "=", personId)
      .orderBy("start_year", "desc")
      .executeTakeFirst();
    year = latest ? await getLeaderYear(db, latest.start_year) : null;
  }
  if (!year) throw notFound("No roster year is set up yet.");
  const [detail, courses] = await Promise.all([leaderDetail(db, personId, year.startYear), listCourses(db)]);
  if (!detail) throw notFound("We could not find that leader.");
  return data(
    {
      detail,
      today: asOfDate(),
      courses: courses.map((c) => ({ value: String(c.id), label: c.name })),
    },
    { headers: PAGE_HEADERS },
  );
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requirePermission(request, "manage:leaders");
  const personId = await loadPersonId(params.personId);
  const db = getDb();
  const url = new URL(request.url);
  const here = `/officer/leaders/${personId}${url.search}`;
  const formData = await readFormData(request);
  const intent = String(formData.get("intent") ?? "");

  // A refusal goes back to the form it came from, beside the field it is about, with everything typed kept.
  const refuse = (form: string, result: SubmissionResult<string[]>) => data<ActionResult>({ form, result }, { status: 400, headers: PAGE_HEADERS });
  const beside = (form: string, submission: { reply: (o?: object) => SubmissionResult<string[]> }, fields: string[], err: RuleViolation) =>
    refuse(
      form,
      fields.includes(err.field) ? submission.reply({ fieldErrors: { [err.field]: [err.message] } }) : submission.reply({ formErrors: [err.message] }),
    );

  try {
    if (intent === "external") {
      const submission = parseWithZod(formData, { schema: ExternalForm });
      if (submission.status !== "success") return refuse(intent, submission.reply());
      try {
        await recordExternalCompletion(db, actor, {
          personId,
          ...submission.value,
          evidenceNote: submission.value.evidenceNote ?? undefined,
        });
      } catch (err) {
        if (err instanceof RuleViolation) return beside(intent, submission, ["courseId", "completedOn", "provider", "evidenceNote"], err);
        throw err;
      }
      return redirectWithFlash(here, {
        kind: "success",
        message: `Recorded: training done on ${formatDay(submission.value.completedOn)} with ${submission.value.provider}.`,
      });
    }
    if (intent === "exemption") {
      const submission = parseWithZod(formData, { schema: ExemptionForm });
      if (submission.status !== "success") return refuse(intent, submission.reply());
      try {
        await recordExemption(db, actor, { personId, ...submission.value });
      } catch (err) {
        if (err instanceof RuleViolation) return beside(intent, submission, ["courseId", "reason", "grantedBy"], err);
        throw err;
      }
      return redirectWithFlash(here, {
        kind: "success",
        message: `Recorded the exemption for ${academicYearLabel(submission.value.startYear)}.`,
      });
    }
    if (intent === "withdraw-completion" || intent === "withdraw-exemption") {
      const form = `${intent}-${Number(formData.get("id")) || 0}`;
      const submission = parseWithZod(formData, { schema: WithdrawFields });
      if (submission.status !== "success") return refuse(form, submission.reply());
      try {
        // Only this leader's records: the module refuses another leader's.
        if (intent === "withdraw-completion") await withdrawCompletion(db, actor, { personId, ...submission.value });
        else await withdrawExemption(db, actor, { personId, ...submission.value });
      } catch (err) {
        if (err instanceof RuleViolation) return beside(form, submission, ["reason"], err);
        throw err;
      }
      return redirectWithFlash(here, {
        kind: "success",
        message:
          intent === "withdraw-completion"
            ? "Withdrawn. The record stays in the history but no longer counts."
            : "Withdrawn. The exemption stays in the history but no longer applies.",
      });
    }
    if (intent === "confirm" || intent === "dismiss") {
      const match = MatchSchema.safeParse({
        personId,
        registrationId: formData.get("registrationId"),
      });
      if (!match.success)
        return redirectWithFlash(here, {
          kind: "error",
          message: "We could not tell which attendance you meant. Please try again.",
        });
      if (intent === "confirm") {
        await confirmMatch(db, actor, match.data);
        return redirectWithFlash(here, {
          kind: "success",
          message: "Confirmed. The attendance now counts as this leader's training.",
        });
      }
      await dismissMatch(db, actor, match.data);
      return redirectWithFlash(here, {
        kind: "success",
        message: "Noted: not this leader. It will not be shown for them again.",
      });
    }
  } catch (err) {
    // Confirming or dismissing has nothing typed to keep: the refusal is a message at the top.
    if (err instanceof RuleViolation) return redirectWithFlash(here, { kind: "error", message: err.message });
    throw err;
  }
  throw data({ message: "We did not understand that request." }, { status: 400 });
}

type Detail = LeaderDetail;

export default function LeaderPage() {
  const { detail, today, courses } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionResult | undefined;
  const resultFor = (form: string) => (actionData?.form === form ? actionData.result : undefined);
  const { person, year, result } = detail;
  const yearQuery = `?year=${year.startYear}`;
  const firstMissing = result.requirements.find((r) => r.state === "missing")?.courseId;
  const years = [...new Set([year.startYear, ...detail.otherYears.map((o) => o.startYear)])].sort((a, b) => b - a);

  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-4 text-sm">
        <Link to={`/officer/leaders${yearQuery}`}>← All leaders in {year.label}</Link>
      </nav>
      <PageHeader
        title={person.name}
        description={
          <>
            <a href={`mailto:${person.email}`} className="underline">
              {person.email}
            </a>{" "}
            · {person.studentId ? `Student ID ${person.studentId}` : "No student ID"}
          </>
        }
        actions={
          <>
            <ButtonLink to={`/officer/leaders/${person.id}/edit${yearQuery}`} variant="secondary">
              Edit<span className="sr-only"> {person.name}</span>
            </ButtonLink>
            {/* On a phone the forms are far down the page. */}
            <a href="#record-external" className={buttonClass("secondary", "lg:hidden")}>
              Record training
            </a>
            <a href="#record-exemption" className={buttonClass("secondary", "lg:hidden")}>
              Record exemption
            </a>
          </>
        }
      />

      <div className="mb-6 flex flex-col gap-3 sm:flex-row sm:items-center sm:justify-between">
        <p className="flex flex-wrap items-center gap-2 text-slate-800">
          <span className="font-semibold">{year.label}:</span>
          {detail.appointments.length ? <LeaderStatusBadge status={result.status} /> : <Badge>No role this year</Badge>}
          {result.dueOn ? (
            <>
              <span>
                {result.dueOn < detail.asOf ? "Training was due by" : "Training due by"} {formatDay(result.dueOn)}
              </span>
              {result.dueOn !== year.deadline ? <span className="text-slate-600">(the year's deadline is {formatDay(year.deadline)})</span> : null}
            </>
          ) : (
            <span className="text-slate-600">The year's deadline is {formatDay(year.deadline)}</span>
          )}
        </p>
        {years.length > 1 ? (
          <nav aria-label="Roster years" className="flex flex-wrap gap-2 text-sm">
            {years.map((y) =>
              y === year.startYear ? (
                <span key={y} aria-current="page" className="rounded-md bg-brand-100 px-3 py-1.5 font-semibold text-brand-900">
                  {academicYearLabel(y)}
                </span>
              ) : (
                <Link key={y} to={`?year=${y}`} className="rounded-md px-3 py-1.5 ring-1 ring-slate-300">
                  {academicYearLabel(y)}
                </Link>
              ),
            )}
          </nav>
        ) : null}
      </div>

      <div className="grid gap-6 lg:grid-cols-3">
        <div className="min-w-0 space-y-6 lg:col-span-2">
          <Card title="What their roles require">
            {result.requirements.length === 0 ? (
              <EmptyState>{detail.appointments.length ? "Nothing is required: every role this year has ended." : `No role in ${year.label}.`}</EmptyState>
            ) : (
              <ul className="divide-y divide-slate-100">
                {result.requirements.map((r) => (
                  <li key={r.courseId} className="py-3">
                    <div className="flex flex-wrap items-center justify-between gap-2">
                      <span className="font-medium text-slate-900">{r.courseName}</span>
                      <RequirementBadge state={r.state} overdue={r.dueOn < detail.asOf} />
                    </div>
                    <div className="mt-1 text-sm text-slate-700">
                      <HowItStands requirement={r} detail={detail} />
                    </div>
                  </li>
                ))}
              </ul>
            )}
          </Card>

          <Card title={`Roles in ${year.label}`}>
            {detail.appointments.length === 0 ? (
              <EmptyState>No role in {year.label}.</EmptyState>
            ) : (
              <ul className="divide-y divide-slate-100">
                {detail.appointments.map((a) => {
                  const r = result.appointments.find((x) => x.appointmentId === a.id);
                  return (
                    <li key={a.id} className="flex flex-col items-start gap-1 py-3 sm:flex-row sm:justify-between">
                      <div>
                        <p className="font-medium text-slate-900">
                          {a.roleName}
                          {a.groupName ? `, ${a.groupName}` : ""} {a.isPresident ? <Badge tone="brand">President</Badge> : null}
                        </p>
                        <p className="text-sm text-slate-700">
                          Started {formatDay(a.startedOn)}
                          {a.endedOn
                            ? ` · ended ${formatDay(a.endedOn)}${a.endReason ? `: ${a.endReason}` : ""}`
                            : r
                              ? ` · training due by ${formatDay(r.dueOn)}`
                              : ""}
                        </p>
                      </div>
                      {r ? <LeaderStatusBadge status={r.status} /> : null}
                    </li>
                  );
                })}
              </ul>
            )}
          </Card>

          {detail.nearMisses.length ? (
            <Card title="Possible matches to check">
              <p className="mb-3 text-sm text-slate-700">
                Someone with this name was at a session of a course this leader still needs, under another email address and without their student ID. If it was
                them, confirm it and it counts.
              </p>
              <ul className="space-y-3">
                {detail.nearMisses.map((m) => (
                  <li key={m.registrationId} className="rounded-md bg-amber-50 p-3 ring-1 ring-amber-200">
                    <p className="text-slate-900">
                      <span className="font-medium">{m.registeredName}</span> ({m.registeredEmail ?? "no email"}
                      {m.registeredStudentId ? `, student ID ${m.registeredStudentId}` : ", no student ID"}) was at{" "}
                      {m.sessionTitle.includes(m.courseName) ? m.sessionTitle : `${m.sessionTitle} (${m.courseName})`} on {formatDay(m.attendedOn)}.
                    </p>
                    <div className="mt-2 flex flex-wrap gap-2">
                      <Form method="post">
                        <input type="hidden" name="intent" value="confirm" />
                        <input type="hidden" name="registrationId" value={m.registrationId} />
                        <Button type="submit">
                          Confirm
                          <span className="sr-only">
                            : {m.registeredName} at {m.sessionTitle} was {person.name}
                          </span>
                        </Button>
                      </Form>
                      <Form method="post">
                        <input type="hidden" name="intent" value="dismiss" />
                        <input type="hidden" name="registrationId" value={m.registrationId} />
                        <Button type="submit" variant="secondary">
                          Not them
                          <span className="sr-only">
                            : {m.registeredName} at {m.sessionTitle}
                          </span>
                        </Button>
                      </Form>
                    </div>
                  </li>
                ))}
              </ul>
            </Card>
          ) : null}

          <Card title="Sessions attended">
            <p className="mb-3 text-sm text-slate-700">
              Every delivered session where the register has their email address or student ID, any course, any year.
            </p>
            {detail.attendance.length === 0 ? (
              <EmptyState>No attendance on any register yet.</EmptyState>
            ) : (
              <ul className="divide-y divide-slate-100">
                {detail.attendance.map((a) => (
                  <li key={a.registrationId} className="py-2.5">
                    <p className="text-slate-900">
                      <span className="font-medium">{a.courseName}</span>: {a.sessionTitle} on {formatDay(a.completedOn)}
                    </p>
                    {a.registeredAs && a.registeredAs !== person.name ? <p className="text-sm text-slate-700">Registered as {a.registeredAs}</p> : null}
                  </li>
                ))}
              </ul>
            )}
          </Card>

          <Card title="Training recorded by officers">
            {detail.recorded.length === 0 ? (
              <EmptyState>Nothing recorded by hand.</EmptyState>
            ) : (
              <ul className="divide-y divide-slate-100">
                {detail.recorded.map((c) => (
                  <li key={c.id} className="py-3">
                    <div className={c.withdrawnAt ? "text-slate-600" : undefined}>
                      <p className={c.withdrawnAt ? "line-through" : "text-slate-900"}>
                        <span className="font-medium">{c.courseName}</span> on {formatDay(c.completedOn)}:{" "}
                        {c.source === "external" ? `done elsewhere, with ${c.provider}` : "attendance confirmed as theirs"}
                      </p>
                      {c.evidenceNote ? <p className={`text-sm ${c.withdrawnAt ? "line-through" : "text-slate-700"}`}>Evidence: {c.evidenceNote}</p> : null}
                      <p className="text-sm text-slate-600">
                        Recorded by {c.recordedByName ?? "someone no longer listed"} on {formatDateTime(c.createdAt)}
                      </p>
                    </div>
                    {c.withdrawnAt ? (
                      <p className="mt-1 text-sm text-slate-800">
                        <Badge>Withdrawn</Badge> by {c.withdrawnByName ?? "someone no longer listed"} on {formatDateTime(c.withdrawnAt)}: {c.withdrawReason}
                      </p>
                    ) : (
                      <WithdrawForm
                        key={`completion-${c.id}`}
                        kind="completion"
                        id={c.id}
                        what={`${c.courseName} on ${formatDay(c.completedOn)}`}
                        lastResult={resultFor(`withdraw-completion-${c.id}`)}
                      />
                    )}
                  </li>
                ))}
              </ul>
            )}
          </Card>

          <Card title="Exemptions">
            {detail.exemptions.length === 0 ? (
              <EmptyState>No exemptions.</EmptyState>
            ) : (
              <ul className="divide-y divide-slate-100">
                {detail.exemptions.map((e) => (
                  <li key={e.id} className="py-3">
                    <div className={e.withdrawnAt ? "text-slate-600" : undefined}>
                      <p className={e.withdrawnAt ? "line-through" : "text-slate-900"}>
                        <span className="font-medium">{e.courseName ?? "Every course"}</span> in {academicYearLabel(e.startYear)}: {e.reason}
                      </p>
                      <p className="text-sm text-slate-600">
                        Granted by {e.grantedBy}; recorded by {e.recordedByName ?? "someone no longer listed"} on {formatDateTime(e.createdAt)}
                      </p>
                    </div>
                    {e.withdrawnAt ? (
                      <p className="mt-1 text-sm text-slate-800">
                        <Badge>Withdrawn</Badge> by {e.withdrawnByName ?? "someone no longer listed"} on {formatDateTime(e.withdrawnAt)}: {e.withdrawReason}
                      </p>
                    ) : (
                      <WithdrawForm
                        key={`exemption-${e.id}`}
                        kind="exemption"
                        id={e.id}
                        what={`the exemption from ${e.courseName ?? "every course"}`}
                        lastResult={resultFor(`withdraw-exemption-${e.id}`)}
                      />
                    )}
                  </li>
                ))}
              </ul>
            )}
          </Card>
        </div>

        <div className="min-w-0 space-y-6">
          <div id="record-external" className="scroll-mt-4">
            <Card title="Record training done elsewhere">
              <ExternalCompletionForm
                key={`external-${detail.recorded.length}`}
                courses={courses}
                defaultCourseId={firstMissing}
                today={today}
                lastResult={resultFor("external")}
              />
            </Card>
          </div>
          <div id="record-exemption" className="scroll-mt-4">
            <Card title="Record an exemption">
              <ExemptionFormCard
                key={`exemption-${detail.exemptions.length}`}
                courses={courses}
                startYear={year.startYear}
                yearLabel={year.label}
                lastResult={resultFor("exemption")}
              />
            </Card>
          </div>
          <Card title="Reminders sent">
            {detail.reminders.length === 0 ? (
              <p className="text-slate-700">None.</p>
            ) : (
              <ul className="space-y-2 text-sm">
                {detail.reminders.map((r) => (
                  <li key={r.sentAt + r.startYear}>
                    <span className="text-slate-900">{formatDateTime(r.sentAt)}</span>{" "}
                    <span className="text-slate-700">
                      {r.sentByName ? `by ${r.sentByName}` : "sent automatically"}
                      {r.startYear !== year.startYear ? ` (for ${academicYearLabel(r.startYear)})` : ""}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </Card>
          <Card title="Other years">
            {detail.otherYears.length === 0 ? (
              <p className="text-slate-700">No roles in other years.</p>
            ) : (
              <ul className="space-y-2 text-sm">
                {detail.otherYears.map((o) => (
                  <li key={`${o.startYear}-${o.roleName}-${o.groupName}`}>
                    <Link to={`?year=${o.startYear}`} className="underline">
                      {academicYearLabel(o.startYear)}
                    </Link>
                    : {o.roleName}
                    {o.groupName ? `, ${o.groupName}` : ""}
                    {o.endedOn ? ` (ended ${formatDay(o.endedOn)})` : ""}
                  </li>
                ))}
              </ul>
            )}
          </Card>
        </div>
      </div>
    </>
  );
}

/** How a requirement stands, in words: what met it, who exempted it, or when it is due. */
function HowItStands({ requirement: r, detail }: { requirement: PersonRequirement; detail: Detail }): ReactNode {
  const validity = r.validity === "academic_year" ? `counts for ${detail.year.label}` : `counts for ${r.validityMonths} months`;
  if (r.state === "met" && r.metBy) {
    const m = r.metBy;
    const until = r.validUntil ? `; ${validity}, until ${formatDay(r.validUntil)}` : "";
    if (m.source === "attendance") {
      const seen = detail.attendance.find((a) => a.registrationId === m.registrationId);
      return (
        <p>
          Attended {seen?.sessionTitle ?? "a session"} on {formatDay(m.completedOn)}
          {until}.
        </p>
      );
    }
    const recorded = detail.recorded.find((c) => c.id === m.completionId);
    if (m.source === "external") {
      return (
        <>
          <p>
            Done elsewhere: {m.provider ?? recorded?.provider}, {formatDay(m.completedOn)}
            {until}.
          </p>
          {recorded?.evidenceNote ? <p>Evidence: {recorded.evidenceNote}</p> : null}
          {recorded ? <p className="text-slate-600">Recorded by {recorded.recordedByName ?? "someone no longer listed"}.</p> : null}
        </>
      );
    }
    return (
      <>
        <p>
          Attendance confirmed as theirs, {formatDay(m.completedOn)}
          {until}.
        </p>
        {recorded?.evidenceNote ? <p>{recorded.evidenceNote}</p> : null}
        {recorded ? <p className="text-slate-600">Confirmed by {recorded.recordedByName ?? "someone no longer listed"}.</p> : null}
      </>
    );
  }
  if (r.state === "exempt" && r.exemption) {
    return (
      <p>
        Exempt: {r.exemption.reason} Granted by {r.exemption.grantedBy}.
      </p>
    );
  }
  const overdue = r.dueOn < detail.asOf;
  return (
    <p className={overdue ? "font-medium text-red-800" : undefined}>
      {overdue ? `Not done; it was due by ${formatDay(r.dueOn)}.` : `Not done yet; due by ${formatDay(r.dueOn)}.`} Training {validity}.
    </p>
  );
}

function ExternalCompletionForm({
  courses,
  defaultCourseId,
  today,
  lastResult,
}: {
  courses: { value: string; label: string }[];
  defaultCourseId: number | undefined;
  today: string;
  lastResult: SubmissionResult<string[]> | undefined;
}) {
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "external",
    lastResult,
    constraint: getZodConstraint(ExternalForm),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    defaultValue: { courseId: defaultCourseId ? String(defaultCourseId) : "" },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ExternalForm }),
  });
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "external";
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-4">
      <input type="hidden" name="intent" value="external" />
      <p className="text-sm text-slate-700">For training at another university, a club's governing body or an employer. It counts from the date it was done.</p>
      <FormErrors id={form.errorId} errors={form.errors} />
      <SelectField meta={fields.courseId} label="Course" options={courses} placeholder="Choose a course" />
      <TextField meta={fields.completedOn} label="Date done" type="date" hint={`On or before today, ${formatDay(today)}.`} />
      <TextField meta={fields.provider} label="Who delivered it" hint="For example, another students' union or a sports governing body." />
      <TextareaField meta={fields.evidenceNote} label="Evidence" optional rows={3} hint="What you saw: a certificate, an attendance list, an email." />
      <Button type="submit" pending={busy}>
        Record training
      </Button>
    </Form>
  );
}

function ExemptionFormCard({
  courses,
  startYear,
  yearLabel,
  lastResult,
}: {
  courses: { value: string; label: string }[];
  startYear: number;
  yearLabel: string;
  lastResult: SubmissionResult<string[]> | undefined;
}) {
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "exemption",
    lastResult,
    constraint: getZodConstraint(ExemptionForm),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    defaultValue: { startYear: String(startYear) },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ExemptionForm }),
  });
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "exemption";
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-4">
      <input type="hidden" name="intent" value="exemption" />
      <input type="hidden" name={fields.startYear.name} value={startYear} />
      <p className="text-sm text-slate-700">For {yearLabel} only. The leader is not chased for what they are exempt from.</p>
      <FormErrors id={form.errorId} errors={[...(form.errors ?? []), ...(fields.startYear.errors ?? [])]} />
      <SelectField meta={fields.courseId} label="Exempt from" placeholder="Choose" options={[{ value: "all", label: "Every course this year" }, ...courses]} />
      <TextareaField meta={fields.reason} label="Reason" rows={3} />
      <TextField meta={fields.grantedBy} label="Granted by" hint="Name and role, for example Jordan Ellis, VP Welfare." />
      <Button type="submit" variant="secondary" pending={busy}>
        Record exemption
      </Button>
    </Form>
  );
}

function WithdrawForm({
  kind,
  id,
  what,
  lastResult,
}: {
  kind: "completion" | "exemption";
  id: number;
  what: string;
  lastResult: SubmissionResult<string[]> | undefined;
}) {
  const [form, fields] = useForm({
    id: `withdraw-${kind}-${id}`,
    lastResult,
    constraint: getZodConstraint(WithdrawFields),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: WithdrawFields }),
  });
  return (
    <details open={lastResult ? true : undefined} className="mt-2">
      <summary className="inline-flex min-h-11 cursor-pointer items-center text-sm font-semibold text-brand-700">
        Withdraw<span className="sr-only">&nbsp;{what}</span>
      </summary>
      <Form method="post" {...getFormProps(form)} className="mt-1 space-y-3 rounded-md bg-slate-50 p-3">
        <input type="hidden" name="intent" value={`withdraw-${kind}`} />
        <input type="hidden" name={fields.id.name} value={id} />
        <FormErrors id={form.errorId} errors={[...(form.errors ?? []), ...(fields.id.errors ?? [])]} />
        <TextField meta={fields.reason} label="Why it is withdrawn" hint="Kept in the history with your name." />
        <Button type="submit" variant="danger">
          Withdraw<span className="sr-only">&nbsp;{what}</span>
        </Button>
      </Form>
    </details>
  );
}
