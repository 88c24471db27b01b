import { getFormProps, type SubmissionResult } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { Button } from "#app/components/button.tsx";
import { FormErrors, SelectField, TextareaField, TextField } from "#app/components/field.tsx";
import { Badge, Card, EmptyState } from "#app/components/layout.tsx";
import { NO_LONGER_LISTED, resultFor, useRecordForm, useSending, WithdrawnOrForm, type Refused } from "#app/roster/record-forms.tsx";
import { formatDateTime, formatDay } from "#app/utils/dates.ts";
import type { MemberPageData } from "./pages.server.ts";
import { CompletionFormSchema, EndFormSchema, ExemptionFormSchema, WithdrawFormSchema } from "./schemas.ts";

/** The parts of one staff member's page: their training course by course, what was recorded by hand, and the forms. */

export function TrainingCard({ data }: { data: MemberPageData }) {
  const { coverage, member } = data;
  if (!coverage) {
    return (
      <Card title="Training">
        <EmptyState>
          {member.name} left on {member.endedOn ? formatDay(member.endedOn) : ""} and no longer counts on the staff list.
        </EmptyState>
      </Card>
    );
  }
  return (
    <Card title={`What ${member.roleName} needs`}>
      {coverage.requirements.length === 0 ? (
        <EmptyState>This role needs no training.</EmptyState>
      ) : (
        <ul className="divide-y divide-slate-100 text-sm">
          {coverage.requirements.map((r) => (
            <li key={r.courseId} className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1 py-2">
              <span className="font-medium text-slate-900">{r.courseName}</span>
              <span className="text-slate-800">
                {r.state === "met" ? (
                  <>
                    <Badge tone="green">Done</Badge> {r.metBy ? `on ${formatDay(r.metBy.completedOn)}` : ""}
                    {r.validUntil ? `, counts until ${formatDay(r.validUntil)}` : ", counts for good"}
                  </>
                ) : r.state === "exempt" ? (
                  <>
                    <Badge tone="brand">Exempt</Badge> {r.exemption?.reason}
                  </>
                ) : (
                  <>
                    <Badge tone="red">Needed</Badge> {r.lapsedOn ? `lapsed after ${formatDay(r.lapsedOn)}` : "not done yet"}
                  </>
                )}
              </span>
            </li>
          ))}
        </ul>
      )}
      <h3 className="mt-4 text-sm font-semibold text-slate-900">Sessions attended</h3>
      {data.sessions.length ? (
        <ul className="mt-1 space-y-1 text-sm text-slate-800">
          {data.sessions.map((s) => (
            <li key={s.id}>
              {s.title} ({s.courseName}), {formatDay(s.startsAt)}
            </li>
          ))}
        </ul>
      ) : (
        <p className="mt-1 text-sm text-slate-700">
          No session on record under {member.email}
          {member.staffNumber ? ` or staff number ${member.staffNumber}` : ""}.
        </p>
      )}
    </Card>
  );
}

export function RecordedCard({ data, refused }: { data: MemberPageData; refused: Refused }) {
  const records = [
    ...data.recorded.map((c) => ({
      ...c,
      kind: "completion" as const,
      text: `${c.courseName} on ${formatDay(c.completedOn)}, with ${c.provider}`,
      note: c.evidenceNote ? `Evidence: ${c.evidenceNote}` : null,
      by: `Recorded by ${c.recordedByName ?? NO_LONGER_LISTED} on ${formatDateTime(c.createdAt)}`,
    })),
    ...data.exemptions.map((e) => ({
      ...e,
      kind: "exemption" as const,
      text: `Exempt from ${e.courseName ?? "every course"}: ${e.reason}`,
      note: null,
      by: `Granted by ${e.grantedBy}; recorded by ${e.recordedByName ?? NO_LONGER_LISTED} on ${formatDateTime(e.createdAt)}`,
    })),
  ];
  return (
    <Card title="Recorded by hand">
      {records.length === 0 ? (
        <EmptyState>No training done elsewhere and no exemption recorded.</EmptyState>
      ) : (
        <ul className="divide-y divide-slate-100">
          {records.map((r) => (
            <li key={`${r.kind}-${r.id}`} className="py-3 text-sm">
              <p className={r.withdrawnAt ? "text-slate-600 line-through" : "text-slate-900"}>{r.text}</p>
              {r.note ? <p className="text-slate-700">{r.note}</p> : null}
              <p className="text-slate-600">{r.by}</p>
              {r.kind === "exemption" && !data.canExempt && !r.withdrawnAt ? null : (
                <WithdrawnOrForm
                  record={r}
                  kind={r.kind}
                  what={r.text}
                  lastResult={resultFor(refused, `withdraw-${r.kind}-${r.id}`)}
                  schema={WithdrawFormSchema}
                />
              )}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

export function TrainingForm({ data, lastResult }: { data: MemberPageData; lastResult: SubmissionResult<string[]> | undefined }) {
  const missing = data.coverage?.needs[0]?.courseId;
  const [form, fields] = useRecordForm("training", CompletionFormSchema, lastResult, { courseId: missing ? String(missing) : "" });
  const busy = useSending("training");
  return (
    <Card title="Record training done elsewhere">
      <Form method="post" {...getFormProps(form)} className="space-y-4">
        <input type="hidden" name="intent" value="training" />
        <p className="text-sm text-slate-700">An equivalent course with another provider. It counts from the day it was done, for as long as the role says.</p>
        <FormErrors id={form.errorId} errors={form.errors} />
        <SelectField meta={fields.courseId} label="Course" options={data.courses} placeholder="Choose a course" />
        <TextField meta={fields.completedOn} label="Date done" type="date" hint={`On or before today, ${formatDay(data.today)}.`} />
        <TextField meta={fields.provider} label="Who delivered it" />
        <TextareaField meta={fields.evidenceNote} label="Evidence" optional rows={3} hint="What you saw: a certificate, an attendance list." />
        <Button type="submit" pending={busy}>
          Record training
        </Button>
      </Form>
    </Card>
  );
}

export function ExemptionForm({ data, lastResult }: { data: MemberPageData; lastResult: SubmissionResult<string[]> | undefined }) {
  const [form, fields] = useRecordForm("exemption", ExemptionFormSchema, lastResult);
  const busy = useSending("exemption");
  return (
    <Card title="Record an exemption">
      <Form method="post" {...getFormProps(form)} className="space-y-4">
        <input type="hidden" name="intent" value="exemption" />
        <p className="text-sm text-slate-700">An exempt person counts as trained towards the venue's accreditation until the exemption is withdrawn.</p>
        <FormErrors id={form.errorId} errors={form.errors} />
        <SelectField meta={fields.courseId} label="Exempt from" placeholder="Choose" options={[{ value: "all", label: "Every course" }, ...data.courses]} />
        <TextareaField meta={fields.reason} label="Reason" rows={3} />
        <TextField meta={fields.grantedBy} label="Granted by" hint="Name and role." />
        <Button type="submit" variant="secondary" pending={busy}>
          Record exemption
        </Button>
      </Form>
    </Card>
  );
}

export function EndForm({ data, lastResult }: { data: MemberPageData; lastResult: SubmissionResult<string[]> | undefined }) {
  const [form, fields] = useRecordForm("end", EndFormSchema, lastResult, { endedOn: data.today });
  const busy = useSending("end");
  return (
    <Card title="They have left">
      <Form method="post" {...getFormProps(form)} className="space-y-4">
        <input type="hidden" name="intent" value="end" />
        <p className="text-sm text-slate-700">From this day they no longer count on the staff list. Their record stays, and they can be put back.</p>
        <FormErrors id={form.errorId} errors={form.errors} />
        <TextField meta={fields.endedOn} label="Left on" type="date" />
        <TextField meta={fields.reason} label="Why" optional />
        <Button type="submit" variant="danger" pending={busy}>
          Take off the staff list
        </Button>
      </Form>
    </Card>
  );
}
