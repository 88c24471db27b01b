import { getFormProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "#app/auth/guards.server.ts";
import { SubmitOrCancel } from "#app/components/button.tsx";
import { DateAndTime, ErrorSummary, FormErrors, FormSection, RadioCards, SelectField, TextareaField, TextField } from "#app/components/field.tsx";
import { Card, PageHeader } from "#app/components/layout.tsx";
import { useSchemaForm } from "#app/components/schema-form.ts";
import { getDb } from "#app/db.server.ts";
import { ClosureHint } from "#app/scheduling/closure-hint.tsx";
import { closureCalendar } from "#app/scheduling/closures.server.ts";
import { listCourses, listRooms } from "#app/reference/reference.server.ts";
import { createOpenSession } from "#app/signup/open-sessions.server.ts";
import { OpenSessionSchema } from "#app/signup/schemas.ts";
import { formatRange, londonToday, londonWallTimeToUtc } from "#app/utils/dates.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { redirectWithFlash } from "#app/utils/flash.server.ts";
import { invalid, replyWithError } from "#app/utils/forms.server.ts";
import { addMs, MINUTE } from "#app/utils/time.ts";
import { readFormData } from "#app/utils/request-body.server.ts";
import { PEOPLE, plural } from "#app/utils/plural.ts";

export const meta: MetaFunction = () => [{ title: "Open a session for sign-up · NeverOK Training" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "coordinator");
  const db = getDb();
  const [courses, rooms, closures] = await Promise.all([listCourses(db), listRooms(db), closureCalendar(db)]);
  return {
    closures: closures.upcoming(londonToday()),
    courses: courses.map((c) => ({ id: c.id, label: `${c.name} (${c.duration_minutes} min, up to ${plural(c.max_group_size, PEOPLE)})` })),
    rooms: rooms.map((r) => ({ id: r.id, label: `${r.name}, ${r.building} (holds ${r.capacity})` })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireRole(request, "coordinator");
  const submission = parseWithZod(await readFormData(request), { schema: OpenSessionSchema });
  if (submission.status !== "success") return invalid(submission);
  const db = getDb();
  let sessionId: number;
  try {
    sessionId = await createOpenSession(db, actor, submission.value);
  } catch (err) {
    if (err instanceof RuleViolation) return replyWithError(submission, err.field, err.message);
    throw err;
  }
  const v = submission.value;
  const course = (await listCourses(db)).find((c) => c.id === v.courseId);
  const start = londonWallTimeToUtc(v.date, v.time);
  const when = course ? formatRange(start, addMs(start, course.duration_minutes * MINUTE)) : "";
  return redirectWithFlash(`/coordinator/sessions/${sessionId}/attendees`, {
    kind: "success",
    message: `${v.title ?? course?.name ?? "The session"} (${when}) is open for sign-up with ${plural(v.capacity, "place")}. Share the sign-up link below.`,
  });
}

/** How each field is named in the list of problems at the top, where the field's own label is out of sight. */
const SUMMARY_LABELS: Record<string, string> = {
  courseId: "Course",
  title: "Title",
  date: "Date",
  time: "Start time",
  place: "Where",
  address: "Address",
  capacity: "Number of places",
  deadlineDate: "Sign-up closes, date",
  deadlineTime: "Sign-up closes, time",
  policy: "Who may sign up",
  domain: "Email domain",
  allowlist: "Email addresses",
  asksStudentId: "Student ID",
  question: "Extra question",
  promotionCutoffHours: "Waiting-list cut-off",
};

export default function NewOpenSessionPage() {
  const { courses, rooms, closures } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useSchemaForm(OpenSessionSchema, {
    id: "open-session-new",
    lastResult,
    defaultValue: { policy: "anyone", asksStudentId: "no", promotionCutoffHours: "2" },
  });
  return (
    <>
      <PageHeader
        title="Open a session for sign-up"
        description="People sign up one by one from a link you share, for example a leader induction. When the places are taken, they join a waiting list and move up in order when someone cancels."
      />
      <div className="grid gap-6 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <Form method="post" {...getFormProps(form)} className="space-y-8">
            <FormErrors id={form.errorId} errors={form.errors} />
            <ErrorSummary form={form} fields={fields} labels={SUMMARY_LABELS} />

            <FormSection title="What">
              <SelectField
                meta={fields.courseId}
                label="Course"
                placeholder="Choose a course"
                options={courses.map((c) => ({ value: String(c.id), label: c.label }))}
              />
              <TextField
                meta={fields.title}
                label="Title people see"
                optional
                hint='For example "Student leader induction". Without one, the course name is shown.'
              />
            </FormSection>

            <FormSection title="When and where" description="UK time. The session lasts as long as the course.">
              <DateAndTime date={fields.date} time={fields.time} />
              <ClosureHint closures={closures} />
              {/* The address shows only while "another address" is chosen, in CSS, so it also works without JavaScript. */}
              <div className="group/where space-y-5">
                <SelectField
                  meta={fields.place}
                  label="Where"
                  hint="Only a room that is free then and holds everyone can be booked."
                  placeholder="Choose a room or another address"
                  options={[
                    ...rooms.map((r) => ({ value: `room:${r.id}`, label: r.label })),
                    { value: "address", label: "Another address (not a bookable room)" },
                  ]}
                />
                <div className="hidden group-has-[option[value=address]:checked]/where:block">
                  <TextareaField meta={fields.address} label="Address" hint="The building, the room and how to find it." rows={2} />
                </div>
              </div>
            </FormSection>

            <FormSection title="Places and sign-up">
              <TextField
                meta={fields.capacity}
                label="Number of places"
                hint="No more than the course takes (its limit is beside its name). When they are taken, people can join the waiting list."
                type="number"
                inputMode="numeric"
                className="max-w-md [&_input]:max-w-40"
              />
              <fieldset className="rounded-md bg-slate-50 p-4 ring-1 ring-slate-200">
                <legend className="float-left w-full text-sm font-semibold text-slate-900">
                  Sign-up closes<span className="ml-1 font-normal text-slate-600">(optional)</span>
                </legend>
                <p className="clear-both pt-1 text-sm text-slate-600">Leave both empty to keep sign-up open until the session starts.</p>
                <DateAndTime date={fields.deadlineDate} time={fields.deadlineTime} timeLabel="Time" className="mt-3" />
              </fieldset>
              <div className="group/policy space-y-5">
                <RadioCards
                  meta={fields.policy}
                  legend="Who may sign up?"
                  options={[
                    { value: "anyone", label: "Anyone with the link" },
                    { value: "list", label: "Only email addresses on a list", description: "For example this year's hall reps." },
                    { value: "domain", label: "Only email addresses at one domain", description: "For example everyone with a university address." },
                  ]}
                />
                <div className="hidden group-has-[input[value=list]:checked]/policy:block">
                  <TextareaField
                    meta={fields.allowlist}
                    label="Email addresses"
                    hint="One per line. Commas and spaces between addresses work too; capitals and repeats do not matter."
                    rows={6}
                  />
                </div>
                <div className="hidden group-has-[input[value=domain]:checked]/policy:block">
                  <TextField meta={fields.domain} label="Email domain" hint="The part after the @, for example bath.ac.uk." className="max-w-md" />
                </div>
              </div>
            </FormSection>

            <FormSection title="What people are asked" description="Everyone gives their name and email, and can tell us about accessibility needs.">
              <RadioCards
                meta={fields.asksStudentId}
                legend="Ask for a student ID?"
                className="sm:grid-cols-2"
                options={[
                  { value: "yes", label: "Yes, a student ID is needed" },
                  { value: "no", label: "No" },
                ]}
              />
              <TextField
                meta={fields.question}
                label="One extra question"
                optional
                hint="For example accessibility needs or which leader role they hold; never ask about diet."
              />
            </FormSection>

            <FormSection title="Waiting list">
              <TextField
                meta={fields.promotionCutoffHours}
                label="Stop moving people up this many hours before the start"
                hint="Until then, a cancelled place goes straight to the first person waiting, who is emailed. After it, you are emailed instead and can promote someone by hand."
                type="number"
                inputMode="numeric"
                className="max-w-lg [&_input]:max-w-40"
              />
            </FormSection>

            <SubmitOrCancel cancelTo="/coordinator/open-sessions" className="flex flex-col gap-3 border-t border-slate-200 pt-6 sm:flex-row">
              Open for sign-up
            </SubmitOrCancel>
          </Form>
        </Card>
        <Card title="What happens next" className="self-start">
          <ol className="list-decimal space-y-3 pl-5 text-sm text-slate-800">
            <li>The session appears on the public list of open sessions, with its own sign-up link to share.</li>
            <li>Each person who signs up gets a confirmation with a calendar invite and a link to cancel.</li>
            <li>When the places are taken, people join the waiting list and are told their position.</li>
            <li>You assign trainers on the session's page, as for any session, and see who signed up on its attendees page.</li>
          </ol>
        </Card>
      </div>
    </>
  );
}
