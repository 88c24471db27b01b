import { getFormProps, getInputProps, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { notFound, requirePermission } from "#app/auth/guards.server.ts";
import { Button, SubmitOrCancel } from "#app/components/button.tsx";
import { FormErrors, TextareaField, TextField } from "#app/components/field.tsx";
import { Badge, Card, EmptyState, PageHeader } from "#app/components/layout.tsx";
import { updateLeaderPerson } from "#app/compliance/leaders.server.ts";
import { endAppointment } from "#app/compliance/records.server.ts";
import { leaderForEdit, type LeaderForEdit } from "#app/compliance/leader-forms.server.ts";
import { currentLeaderYear, listLeaderYears } from "#app/compliance/roles.server.ts";
import { EndAppointmentSchema, LeaderPersonSchema } from "#app/compliance/schemas.ts";
import { useSchemaForm } from "#app/components/schema-form.ts";
import { getDb } from "#app/db.server.ts";
import { academicYearLabel, academicYearStartOf, formatDay, londonToday } from "#app/utils/dates.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { redirectWithFlash } from "#app/utils/flash.server.ts";
import { parseId } from "#app/utils/forms.server.ts";
import { now } from "#app/utils/time.ts";
import { readFormData } from "#app/utils/request-body.server.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Change ${data?.leader.person.name ?? "a leader"} · NeverOK Training` }];

export const headers: HeadersFunction = () => ({ "Cache-Control": "no-store" });

/** The end-a-role form: the schema less the leader, which the page supplies. */
const EndAppointmentForm = EndAppointmentSchema.omit({ personId: true });

async function load(request: Request, param: string | undefined) {
  const db = getDb();
  const personId = parseId(param);
  const [years, current] = await Promise.all([listLeaderYears(db), currentLeaderYear(db)]);
  const asked = Number(new URL(request.url).searchParams.get("year"));
  const startYear = years.find((y) => y.startYear === asked)?.startYear ?? current?.startYear ?? years[0]?.startYear ?? academicYearStartOf(now());
  const leader = personId ? await leaderForEdit(db, personId, startYear) : null;
  if (!leader) throw notFound("We could not find that leader.");
  return { leader, startYear };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "manage:leaders");
  const { leader, startYear } = await load(request, params.personId);
  return { leader, startYear, yearLabel: academicYearLabel(startYear), today: londonToday() };
}

type FormName = "details" | `end-${number}`;
const reply = (form: FormName, result: SubmissionResult<string[]>, status = 400) => data({ form, result }, { status });

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requirePermission(request, "manage:leaders");
  const { leader, startYear } = await load(request, params.personId);
  const db = getDb();
  const formData = await readFormData(request);
  const detailPage = `/officer/leaders/${leader.person.id}?year=${startYear}`;

  if (formData.get("intent") === "end") {
    const appointmentId = Number(formData.get("appointmentId"));
    const appointment = leader.appointments.find((a) => a.id === appointmentId);
    const form: FormName = `end-${appointmentId}`;
    const submission = parseWithZod(formData, { schema: EndAppointmentForm });
    if (submission.status !== "success") return reply(form, submission.reply());
    try {
      await endAppointment(db, actor, { personId: leader.person.id, ...submission.value });
    } catch (err) {
      if (err instanceof RuleViolation) {
        const field = err.field === "endedOn" || err.field === "reason" ? err.field : "";
        return reply(form, submission.reply(field ? { fieldErrors: { [field]: [err.message] } } : { formErrors: [err.message] }));
      }
      throw err;
    }
    return redirectWithFlash(detailPage, {
      kind: "success",
      message: `Ended ${leader.person.name}'s role${appointment ? ` as ${appointment.roleName}${appointment.groupName ? ` (${appointment.groupName})` : ""}` : ""} on ${formatDay(submission.value.endedOn)}. Their history is kept.`,
    });
  }

  const submission = parseWithZod(formData, { schema: LeaderPersonSchema });
  if (submission.status !== "success") return reply("details", submission.reply());
  try {
    await updateLeaderPerson(db, actor, { ...submission.value, personId: leader.person.id });
  } catch (err) {
    if (err instanceof RuleViolation) {
      const field = err.field === "personId" ? "" : err.field;
      return reply("details", submission.reply(field ? { fieldErrors: { [field]: [err.message] } } : { formErrors: [err.message] }));
    }
    throw err;
  }
  return redirectWithFlash(detailPage, { kind: "success", message: `Saved ${submission.value.name}'s details.` });
}

export default function EditLeaderPage() {
  const { leader, startYear, yearLabel, today } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { person } = leader;
  const [form, fields] = useSchemaForm(LeaderPersonSchema, {
    id: `leader-${person.id}`,
    lastResult: actionData?.form === "details" ? actionData.result : undefined,
    defaultValue: { personId: String(person.id), name: person.name, email: person.email, studentId: person.studentId ?? "" },
  });
  const saving = navigation.state === "submitting" && navigation.formData?.get("intent") === "details";
  return (
    <>
      <p className="mb-3 text-sm">
        <Link to={`/officer/leaders/${person.id}?year=${startYear}`}>← {person.name}</Link>
      </p>
      <PageHeader
        title={`Change ${person.name}`}
        description="Correct their details, or end a role they have stepped down from. Every change is kept in the history."
      />
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Details">
          <Form method="post" {...getFormProps(form)} className="space-y-5">
            <input type="hidden" name="intent" value="details" />
            <input {...getInputProps(fields.personId, { type: "hidden" })} key={fields.personId.key} />
            <FormErrors id={form.errorId} errors={form.errors} />
            <TextField meta={fields.name} label="Full name" autoComplete="off" />
            <TextField meta={fields.email} label="Email address" type="email" autoComplete="off" hint="Attendance is matched by email and student ID." />
            <TextField meta={fields.studentId} label="Student ID" optional autoComplete="off" />
            <SubmitOrCancel cancelTo={`/officer/leaders/${person.id}?year=${startYear}`} pending={saving}>
              Save details
            </SubmitOrCancel>
          </Form>
        </Card>
        <section aria-labelledby="roles-title" className="space-y-3">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <h2 id="roles-title" className="text-lg font-semibold text-slate-900">
              Roles in {yearLabel}
            </h2>
            <Link to={`/officer/leaders/new?personId=${person.id}&year=${startYear}`} className="text-sm font-semibold">
              Add another role
            </Link>
          </div>
          {leader.appointments.length === 0 ? (
            <EmptyState>No role in {yearLabel}.</EmptyState>
          ) : (
            <ul className="space-y-3">
              {leader.appointments.map((a) => (
                <AppointmentItem key={a.id} appointment={a} today={today} />
              ))}
            </ul>
          )}
        </section>
      </div>
    </>
  );
}

function AppointmentItem({ appointment: a, today }: { appointment: LeaderForEdit["appointments"][number]; today: string }) {
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const name: FormName = `end-${a.id}`;
  const lastResult = actionData?.form === name ? actionData.result : undefined;
  const [form, fields] = useSchemaForm(EndAppointmentForm, {
    id: name,
    lastResult,
    defaultValue: { appointmentId: String(a.id), endedOn: today > a.startedOn ? today : a.startedOn },
  });
  const ending = navigation.state === "submitting" && navigation.formData?.get("appointmentId") === String(a.id);
  const title = `${a.roleName}${a.groupName ? `, ${a.groupName}` : ""}`;
  return (
    <li className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
      <h3 className="font-semibold text-slate-900">
        {title} {a.isPresident ? <Badge tone="brand">President</Badge> : null} {a.endedOn ? <Badge>Ended</Badge> : null}
      </h3>
      <p className="text-sm text-slate-700">
        Started {formatDay(a.startedOn)}
        {a.endedOn ? `; ended ${formatDay(a.endedOn)}${a.endReason ? `: ${a.endReason}` : ""}` : ""}
      </p>
      {a.endedOn ? null : (
        <details className="mt-3" open={lastResult ? true : undefined}>
          <summary className="cursor-pointer text-sm font-semibold text-brand-800">
            End this role<span className="sr-only">: {title}</span>
          </summary>
          <Form method="post" {...getFormProps(form)} className="mt-3 space-y-4">
            <input type="hidden" name="intent" value="end" />
            <input {...getInputProps(fields.appointmentId, { type: "hidden" })} key={fields.appointmentId.key} />
            <FormErrors id={form.errorId} errors={form.errors} />
            <TextField meta={fields.endedOn} label="Last day in the role" type="date" />
            <TextareaField meta={fields.reason} label="Why the role ended" rows={2} hint="For example “Stepped down for health reasons”." />
            <p className="text-sm text-slate-700">They are no longer chased for this role's training. What they have done stays on their record.</p>
            <Button type="submit" variant="danger" pending={ending}>
              End role
            </Button>
          </Form>
        </details>
      )}
    </li>
  );
}
