import { getFormProps, type SubmissionResult } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { NO_LONGER_LISTED, resultFor, useRecordForm, useSending, WithdrawnOrForm, type Refused } from "#app/roster/record-forms.tsx";
import { Button } from "#app/components/button.tsx";
import { FormErrors, SelectField, TextareaField, TextField } from "#app/components/field.tsx";
import { Card, EmptyState } from "#app/components/layout.tsx";
import { academicYearLabel, formatDateTime, formatDay } from "#app/utils/dates.ts";
import type { LeaderDetail } from "./leader-detail.server.ts";
import { ExemptionFormSchema, ExternalCompletionFormSchema, WithdrawFormSchema } from "./schemas.ts";

/** What officers record by hand on a leader's page, the forms to record it, and the withdrawing of it. */

type CourseChoice = { value: string; label: string };

export function RecordedCard({ detail, refused }: { detail: LeaderDetail; refused: Refused }) {
  return (
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
                  Recorded by {c.recordedByName ?? NO_LONGER_LISTED} on {formatDateTime(c.createdAt)}
                </p>
              </div>
              <WithdrawnOrForm
                record={c}
                kind="completion"
                what={`${c.courseName} on ${formatDay(c.completedOn)}`}
                lastResult={resultFor(refused, `withdraw-completion-${c.id}`)}
                schema={WithdrawFormSchema}
              />
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

export function ExemptionsCard({ detail, refused }: { detail: LeaderDetail; refused: Refused }) {
  return (
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
                  Granted by {e.grantedBy}; recorded by {e.recordedByName ?? NO_LONGER_LISTED} on {formatDateTime(e.createdAt)}
                </p>
              </div>
              <WithdrawnOrForm
                record={e}
                kind="exemption"
                what={`the exemption from ${e.courseName ?? "every course"}`}
                lastResult={resultFor(refused, `withdraw-exemption-${e.id}`)}
                schema={WithdrawFormSchema}
              />
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

/** The forms to record training done elsewhere and an exemption; the page's header links to each, far down on a phone. */
export function RecordForms({ detail, courses, today, refused }: { detail: LeaderDetail; courses: CourseChoice[]; today: string; refused: Refused }) {
  // Each form is keyed on how many records there are, so a record made clears it for the next.
  return (
    <>
      <div id="record-external" className="scroll-mt-4">
        <Card title="Record training done elsewhere">
          <ExternalCompletionForm
            key={`external-${detail.recorded.length}`}
            courses={courses}
            defaultCourseId={detail.result.requirements.find((r) => r.state === "missing")?.courseId}
            today={today}
            lastResult={resultFor(refused, "external")}
          />
        </Card>
      </div>
      <div id="record-exemption" className="scroll-mt-4">
        <Card title="Record an exemption">
          <ExemptionForm
            key={`exemption-${detail.exemptions.length}`}
            courses={courses}
            startYear={detail.year.startYear}
            yearLabel={detail.year.label}
            lastResult={resultFor(refused, "exemption")}
          />
        </Card>
      </div>
    </>
  );
}

function ExternalCompletionForm({
  courses,
  defaultCourseId,
  today,
  lastResult,
}: {
  courses: CourseChoice[];
  defaultCourseId: number | undefined;
  today: string;
  lastResult: SubmissionResult<string[]> | undefined;
}) {
  const [form, fields] = useRecordForm("external", ExternalCompletionFormSchema, lastResult, { courseId: defaultCourseId ? String(defaultCourseId) : "" });
  const busy = useSending("external");
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

function ExemptionForm({
  courses,
  startYear,
  yearLabel,
  lastResult,
}: {
  courses: CourseChoice[];
  startYear: number;
  yearLabel: string;
  lastResult: SubmissionResult<string[]> | undefined;
}) {
  const [form, fields] = useRecordForm("exemption", ExemptionFormSchema, lastResult, { startYear: String(startYear) });
  const busy = useSending("exemption");
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
