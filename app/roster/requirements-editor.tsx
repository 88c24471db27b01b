import { getFormProps, getInputProps, getSelectProps, useForm, type FieldMetadata, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import type { z } from "zod";
import { Button } from "#app/components/button.tsx";
import { FieldErrors, FormErrors } from "#app/components/field.tsx";

/**
 * The form that says what a role requires: courses, each with how long it counts. Leader roles and
 * venue staff roles use it with their own choices of how long (the academic year, or for good).
 * It posts `intent=requirements`; Conform's add and remove buttons work without JavaScript too.
 */

const controlClass =
  "mt-1 block w-full rounded-md border-0 bg-white px-3 py-2.5 text-base text-slate-900 shadow-sm ring-1 ring-inset ring-slate-400 focus:ring-2 focus:ring-inset focus:ring-brand-700 aria-[invalid=true]:ring-2 aria-[invalid=true]:ring-red-700 sm:text-sm";

type Option = { value: string; label: string };

function SmallSelect<T>({ meta, label, context, options }: { meta: FieldMetadata<T>; label: string; context: string; options: Option[] }) {
  const props = getSelectProps(meta);
  return (
    <div>
      <label htmlFor={meta.id} className="block text-sm font-semibold text-slate-900">
        {label}
        <span className="sr-only"> ({context})</span>
      </label>
      <select {...props} key={props.key} aria-describedby={meta.errors?.length ? meta.errorId : undefined} className={controlClass}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldErrors id={meta.errorId} errors={meta.errors} />
    </div>
  );
}

type RequirementsValue = { requirements: { courseId: number; validity: string; validityMonths: number | null }[] };

export interface RequirementsEditorProps {
  id: string;
  lastResult: SubmissionResult<string[]> | undefined;
  schema: z.ZodType<RequirementsValue>;
  requirements: readonly { courseId: number; validity: string; validityMonths: number | null }[];
  courses: Option[];
  /** How long a course can count besides a number of months ("For good", "This academic year only"), the first the default. */
  validities: [Option, ...Option[]];
  intro: ReactNode;
  pending: boolean;
}

export function RequirementsEditor({ id, lastResult, schema, requirements, courses, validities, intro, pending }: RequirementsEditorProps) {
  const [form, fields] = useForm<RequirementsValue>({
    id,
    lastResult,
    constraint: getZodConstraint(schema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    defaultValue: {
      requirements: requirements.map((r) => ({
        courseId: String(r.courseId),
        validity: r.validity,
        validityMonths: r.validityMonths ? String(r.validityMonths) : "",
      })),
    },
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
  });
  const items = fields.requirements.getFieldList();
  const unused = courses.find((c) => !items.some((i) => i.getFieldset().courseId.value === c.value));
  const validityOptions = [...validities, { value: "months", label: "A number of months" }];
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-4">
      {/* Enter in a field saves, rather than pressing the first "Remove" button. */}
      <button type="submit" className="sr-only" tabIndex={-1} aria-hidden="true">
        Save
      </button>
      <input type="hidden" name="intent" value="requirements" />
      <p className="text-sm text-slate-700">{intro}</p>
      <FormErrors id={form.errorId} errors={form.errors} />
      <FieldErrors id={fields.requirements.errorId} errors={fields.requirements.errors} />
      {items.length === 0 ? <p className="rounded-md border border-dashed border-slate-300 p-4 text-slate-700">This role requires no training.</p> : null}
      <ol className="space-y-3">
        {items.map((item, index) => {
          const set = item.getFieldset();
          const courseName = courses.find((c) => c.value === (set.courseId.value ?? set.courseId.initialValue))?.label ?? `course ${index + 1}`;
          const context = `requirement ${index + 1}`;
          const inMonths = (set.validity.value ?? set.validity.initialValue) === "months";
          const monthsProps = getInputProps(set.validityMonths, { type: "number" });
          return (
            <li key={item.key} className="rounded-md bg-slate-50 p-3 ring-1 ring-slate-200">
              <div className="grid gap-3 sm:grid-cols-[minmax(0,1.3fr)_minmax(0,1.3fr)_minmax(0,0.7fr)] sm:items-start">
                <SmallSelect meta={set.courseId} label="Course" context={context} options={courses} />
                <SmallSelect meta={set.validity} label="Counts for" context={context} options={validityOptions} />
                {inMonths ? (
                  <div>
                    <label htmlFor={set.validityMonths.id} className="block text-sm font-semibold text-slate-900">
                      Months<span className="sr-only"> ({context})</span>
                    </label>
                    <input
                      {...monthsProps}
                      key={monthsProps.key}
                      inputMode="numeric"
                      aria-describedby={set.validityMonths.errors?.length ? set.validityMonths.errorId : undefined}
                      className={controlClass}
                    />
                    <FieldErrors id={set.validityMonths.errorId} errors={set.validityMonths.errors} />
                  </div>
                ) : null}
              </div>
              <Button variant="ghost" className="mt-2 -ml-3" {...form.remove.getButtonProps({ name: fields.requirements.name, index })}>
                Remove<span className="sr-only"> {courseName}</span>
              </Button>
            </li>
          );
        })}
      </ol>
      <div className="flex flex-wrap gap-3">
        <Button
          variant="secondary"
          {...form.insert.getButtonProps({
            name: fields.requirements.name,
            defaultValue: { courseId: unused?.value ?? "", validity: validities[0].value, validityMonths: "" },
          })}
        >
          Add a course
        </Button>
        <Button type="submit" pending={pending}>
          Save requirements
        </Button>
      </div>
    </Form>
  );
}
