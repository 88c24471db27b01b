import { getFormProps } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { requirePermission } from "#app/auth/guards.server.ts";
import { ArchiveForm } from "#app/components/archive-form.tsx";
import { SubmitOrCancel } from "#app/components/button.tsx";
import { FormErrors, TextareaField, TextField } from "#app/components/field.tsx";
import { Card, PageHeader } from "#app/components/layout.tsx";
import { useSchemaForm } from "#app/components/schema-form.ts";
import { getDb } from "#app/db.server.ts";
import { recordFromAddress, submitRecordForm } from "#app/reference/record-page.server.ts";
import { getCourse, saveCourse } from "#app/reference/reference.server.ts";
import { CourseSchema } from "#app/reference/schemas.ts";
import { readFormData } from "#app/utils/request-body.server.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.course?.name ?? "New course"} · NeverOK Training` }];

const loadCourse = (param: string | undefined) => recordFromAddress(param, (id) => getCourse(getDb(), id), "course");

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "manage:reference-data");
  return { course: await loadCourse(params.courseId) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requirePermission(request, "manage:reference-data");
  const course = await loadCourse(params.courseId);
  return submitRecordForm(actor, await readFormData(request), {
    kind: "course",
    record: course,
    schema: CourseSchema,
    save: (id, value) => saveCourse(getDb(), actor, id, value),
    path: "/coordinator/courses",
    said: {
      saved: (value) => `Saved ${value.name}.`,
      archived: (name) => `${name} is archived: it can no longer be booked.`,
      restored: (name) => `${name} can be booked again.`,
    },
  });
}

export default function CoursePage() {
  const { course } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useSchemaForm(CourseSchema, {
    id: `course-${course?.id ?? "new"}`,
    lastResult,
    defaultValue: course
      ? {
          name: course.name,
          description: course.description,
          durationMinutes: String(course.duration_minutes),
          defaultGroupSize: String(course.default_group_size),
          maxGroupSize: String(course.max_group_size),
          trainersNeeded: String(course.trainers_needed),
          colour: course.colour,
        }
      : { colour: "#6d28d9", durationMinutes: "90", trainersNeeded: "1" },
  });
  return (
    <>
      <PageHeader
        title={course ? course.name : "Add a course"}
        description={course?.is_archived ? "Archived: not offered for new bookings." : undefined}
        actions={course ? <ArchiveForm archived={course.is_archived === 1} noun="course" /> : null}
      />
      <Card className="max-w-3xl">
        <Form method="post" {...getFormProps(form)} className="space-y-5">
          <FormErrors id={form.errorId} errors={form.errors} />
          <TextField meta={fields.name} label="Name" />
          <TextareaField meta={fields.description} label="Description" hint="Shown to bookers and on the public sign-up page." />
          <div className="grid gap-5 sm:grid-cols-3">
            <TextField meta={fields.durationMinutes} label="Length (minutes)" type="number" inputMode="numeric" />
            <TextField meta={fields.defaultGroupSize} label="Default group size" type="number" inputMode="numeric" />
            <TextField meta={fields.maxGroupSize} label="Maximum group size" type="number" inputMode="numeric" />
          </div>
          <div className="grid gap-5 sm:grid-cols-3">
            <TextField
              meta={fields.trainersNeeded}
              label="Trainers per session"
              type="number"
              inputMode="numeric"
              hint="Handling Disclosures is co-delivered by two."
            />
            <TextField meta={fields.colour} label="Colour on the calendar" type="color" />
          </div>
          <SubmitOrCancel cancelTo="/coordinator/courses">{course ? "Save changes" : "Add course"}</SubmitOrCancel>
        </Form>
      </Card>
    </>
  );
}
