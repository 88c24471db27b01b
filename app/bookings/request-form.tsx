import { getFormProps, type FieldMetadata, type SubmissionResult } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { SubmitOrCancel } from "#app/components/button.tsx";
import {
  CheckboxGroup,
  DateAndTime,
  ErrorSummary,
  FormErrors,
  FormSection,
  RadioCards,
  SelectField,
  TextareaField,
  TextField,
} from "#app/components/field.tsx";
import { ACCESS_FEATURE_OPTIONS } from "#app/scheduling/room-access.ts";
import { useSchemaForm } from "#app/components/schema-form.ts";
import { ClosureHint, type UpcomingClosure } from "#app/scheduling/closure-hint.tsx";
import { WEEKDAY_NAMES } from "#app/settings/schemas.ts";
import { AUDIENCE_LABELS, BookingRequestSchema, LOCATION_LABELS } from "./schemas.ts";
import { plural, PEOPLE } from "#app/utils/plural.ts";

export interface RequestFormOptions {
  organisations: { id: number; name: string }[];
  courses: { id: number; name: string; durationMinutes: number; maxGroupSize: number }[];
  hours: { days: number[]; start: string; end: string };
  closures: UpcomingClosure[];
}

/** The form as strings, the way the inputs hold it; the access needs are the boxes ticked. */
export type RequestFormValues = Partial<Record<Exclude<keyof typeof BookingRequestSchema.shape, "accessNeeds">, string>> & { accessNeeds?: string[] };

/**
 * A module's field errors as a Conform reply: "form" is the form as a whole, every other key is a
 * field. Pass the result to `submission.reply()`.
 */
export function ruleViolationReply(fieldErrors: Record<string, string[]>) {
  const { form, ...fields } = fieldErrors;
  return { formErrors: form, fieldErrors: fields };
}

/** "Monday to Friday", or "Monday, Wednesday and Friday" when the days are not a run. */
export function describeDays(days: number[]): string {
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  const names = sorted.map((d) => WEEKDAY_NAMES[d - 1]);
  const isRun = sorted.every((d, i) => i === 0 || d === sorted[i - 1]! + 1);
  if (sorted.length >= 3 && isRun) return `${names[0]} to ${names[names.length - 1]}`;
  if (names.length <= 1) return names.join("");
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

/** How each field is named in the list of problems at the top, where the field's own label is out of sight. */
const SUMMARY_LABELS: Record<string, string> = {
  organisationId: "Organisation",
  courseId: "Course",
  groupSize: "Group size",
  audience: "Who it is for",
  date1: "First choice, date",
  time1: "First choice, time",
  date2: "Second choice, date",
  time2: "Second choice, time",
  date3: "Third choice, date",
  time3: "Third choice, time",
  locationKind: "Where",
  address: "Address",
  accessNeeds: "Access needs",
  accessibilityNeeds: "Other access needs",
  notes: "Notes",
};

function PreferredTime<T>({ legend, date, time, optional }: { legend: string; date: FieldMetadata<T>; time: FieldMetadata<T>; optional?: boolean }) {
  return (
    <fieldset className="rounded-md bg-slate-50 p-4 ring-1 ring-slate-200">
      <legend className="float-left mb-3 w-full text-sm font-semibold text-slate-900">
        {legend}
        {optional ? <span className="ml-1 font-normal text-slate-600">(optional)</span> : null}
      </legend>
      <DateAndTime date={date} time={time} className="clear-both" />
    </fieldset>
  );
}

/** The booking request, as asked for and as changed: the same fields in both places. */
export function BookingRequestForm({
  id,
  lastResult,
  defaultValue,
  options,
  submitLabel,
  cancelTo,
}: {
  id: string;
  lastResult: SubmissionResult<string[]> | undefined;
  defaultValue: RequestFormValues;
  options: RequestFormOptions;
  submitLabel: string;
  cancelTo: string;
}) {
  const [form, fields] = useSchemaForm(BookingRequestSchema, {
    id,
    lastResult,
    defaultValue,
  });
  const hours = `Between ${options.hours.start} and ${options.hours.end}, ${describeDays(options.hours.days)}`;
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-8">
      <FormErrors id={form.errorId} errors={form.errors} />
      <ErrorSummary form={form} fields={fields} labels={SUMMARY_LABELS} />

      <FormSection title="Who and what">
        <SelectField
          meta={fields.organisationId}
          label="Organisation"
          placeholder={options.organisations.length === 1 ? undefined : "Choose your organisation"}
          options={options.organisations.map((o) => ({ value: String(o.id), label: o.name }))}
        />
        <SelectField
          meta={fields.courseId}
          label="Course"
          hint="Each course shows how long it lasts and the most people one session can take."
          placeholder="Choose a course"
          options={options.courses.map((c) => ({
            value: String(c.id),
            label: `${c.name} (${c.durationMinutes} min, up to ${plural(c.maxGroupSize, PEOPLE)})`,
          }))}
        />
        <TextField
          meta={fields.groupSize}
          label="Expected group size"
          hint="Roughly is fine. For a bigger group, send one request for each session you need."
          type="number"
          inputMode="numeric"
          className="max-w-md"
        />
        <RadioCards
          meta={fields.audience}
          legend="Who is the session for?"
          className="sm:grid-cols-2"
          options={Object.entries(AUDIENCE_LABELS).map(([value, label]) => ({ value, label }))}
        />
      </FormSection>

      <FormSection
        title="When"
        description={`Give two times that suit your group, and a third if you can. ${hours}, UK time. We confirm one of them by email.`}
      >
        <div className="space-y-3">
          <PreferredTime legend="First choice" date={fields.date1} time={fields.time1} />
          <PreferredTime legend="Second choice" date={fields.date2} time={fields.time2} />
          <PreferredTime legend="Third choice" date={fields.date3} time={fields.time3} optional />
        </div>
        <ClosureHint closures={options.closures} />
      </FormSection>

      <FormSection title="Where">
        {/* The address hides only while "campus" is chosen, in CSS, so it also works without JavaScript. */}
        <div className="group/location space-y-5">
          <RadioCards
            meta={fields.locationKind}
            legend="Where will the session be?"
            className="sm:grid-cols-2"
            options={Object.entries(LOCATION_LABELS).map(([value, label]) => ({ value, label }))}
          />
          <div className="group-has-[input[value=campus]:checked]/location:hidden">
            <TextareaField
              meta={fields.address}
              label="Address of your premises"
              hint="Needed when the session is at your own premises: the building, the room and how to find it."
              rows={3}
            />
          </div>
        </div>
      </FormSection>

      <FormSection title="Access">
        <CheckboxGroup
          meta={fields.accessNeeds}
          legend="What does the room need to have?"
          hint="Tick any your group needs; we offer rooms that have them first. Leave them all clear if none."
          options={ACCESS_FEATURE_OPTIONS}
        />
        <TextareaField
          meta={fields.accessibilityNeeds}
          label="Other access needs"
          optional
          hint="BSL interpretation, large-print materials, breaks, anything else that helps everyone take part."
          rows={3}
        />
      </FormSection>

      <FormSection title="Anything else">
        <TextareaField
          meta={fields.notes}
          label="Notes for the trainers"
          optional
          hint="Anything that helps them prepare: who the group are, what you would like covered."
          rows={4}
        />
      </FormSection>

      <SubmitOrCancel cancelTo={cancelTo} className="flex flex-col gap-3 border-t border-slate-200 pt-6 sm:flex-row">
        {submitLabel}
      </SubmitOrCancel>
    </Form>
  );
}
