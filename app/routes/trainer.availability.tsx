import { getFormProps, getInputProps, type FieldMetadata, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireRole } from "#app/auth/guards.server.ts";
import { Button } from "#app/components/button.tsx";
import { FieldErrors, FormErrors, TextField } from "#app/components/field.tsx";
import { Card, EmptyState, PageHeader } from "#app/components/layout.tsx";
import { useSchemaForm } from "#app/components/schema-form.ts";
import { getDb } from "#app/db.server.ts";
import { WEEKDAY_NAMES } from "#app/settings/schemas.ts";
import { getSettings } from "#app/settings/settings.server.ts";
import { AvailabilitySchema, TimeOffSchema } from "#app/trainers/schemas.ts";
import { addTimeOff, getTrainerPlanning, removeTimeOff, setWeeklyAvailability } from "#app/trainers/trainers.server.ts";
import { addDays, formatDay, formatRange, londonWallTimeToUtc, utcToLondonWallTime } from "#app/utils/dates.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { redirectWithFlash } from "#app/utils/flash.server.ts";
import { parseId } from "#app/utils/forms.server.ts";
import { nowIso } from "#app/utils/time.ts";
import { readFormData } from "#app/utils/request-body.server.ts";
import { nounFor } from "#app/utils/plural.ts";

export const meta: MetaFunction = () => [{ title: "Availability and time off · NeverOK Training" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "trainer");
  const db = getDb();
  const [planning, settings] = await Promise.all([getTrainerPlanning(db, user.id), getSettings(db)]);
  const at = nowIso();
  return {
    windows: planning.windows,
    timeOff: planning.timeOff.filter((t) => t.ends_at > at),
    maxSessionsPerWeek: planning.maxSessionsPerWeek ?? settings.defaultMaxSessionsPerWeek,
  };
}

type FormName = "availability" | "time-off";
const reply = (form: FormName, result: SubmissionResult<string[]>, status = 400) => data({ form, result }, { status });

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "trainer");
  const db = getDb();
  const formData = await readFormData(request);
  const intent = formData.get("intent");

  if (intent === "remove-time-off") {
    const id = parseId(String(formData.get("timeOffId") ?? ""));
    if (id) await removeTimeOff(db, user, id);
    return redirectWithFlash("/trainer/availability", { kind: "success", message: "Removed that time off." });
  }

  if (intent === "add-time-off") {
    const submission = parseWithZod(formData, { schema: TimeOffSchema });
    if (submission.status !== "success") return reply("time-off", submission.reply());
    const { startDate, reason } = submission.value;
    const endDate = submission.value.endDate ?? startDate;
    try {
      await addTimeOff(db, user, {
        startsAt: londonWallTimeToUtc(startDate, "00:00"),
        endsAt: londonWallTimeToUtc(addDays(endDate, 1), "00:00"),
        reason,
      });
    } catch (err) {
      if (!(err instanceof RuleViolation)) throw err;
      return reply("time-off", submission.reply(err.field === "form" ? { formErrors: [err.message] } : { fieldErrors: { [err.field]: [err.message] } }));
    }
    const days =
      startDate === endDate
        ? formatDay(londonWallTimeToUtc(startDate, "12:00"))
        : `${formatDay(londonWallTimeToUtc(startDate, "12:00"))} to ${formatDay(londonWallTimeToUtc(endDate, "12:00"))}`;
    return redirectWithFlash("/trainer/availability", { kind: "success", message: `Added time off: ${days}. You will not be assigned then.` });
  }

  // The weekly hours, including Conform's "add hours" and "remove" buttons when JavaScript is off.
  const submission = parseWithZod(formData, { schema: AvailabilitySchema });
  if (submission.status !== "success") return reply("availability", submission.reply(), submission.status === "error" ? 400 : 200);
  try {
    await setWeeklyAvailability(db, user, submission.value.windows);
  } catch (err) {
    if (!(err instanceof RuleViolation)) throw err;
    return reply("availability", submission.reply({ formErrors: [err.message] }));
  }
  return redirectWithFlash("/trainer/availability", { kind: "success", message: "Saved your weekly availability." });
}

/** Whole days read as days ("Mon 20 Oct 2025 – Fri 24 Oct 2025"); anything else as a time range. */
function describeTimeOff(startsAt: string, endsAt: string) {
  const wholeDays = utcToLondonWallTime(startsAt).time === "00:00" && utcToLondonWallTime(endsAt).time === "00:00";
  if (!wholeDays) return formatRange(startsAt, endsAt);
  const first = formatDay(startsAt);
  const last = formatDay(new Date(new Date(endsAt).getTime() - 1));
  return first === last ? first : `${first} – ${last}`;
}

function TimeInput({ meta, label, context }: { meta: FieldMetadata<string>; label: string; context: string }) {
  const props = getInputProps(meta, { type: "time" });
  return (
    <div>
      <label htmlFor={meta.id} className="block text-sm font-semibold text-slate-900">
        {label}
        <span className="sr-only"> ({context})</span>
      </label>
      <input
        {...props}
        key={props.key}
        aria-describedby={meta.errors?.length ? meta.errorId : undefined}
        className="mt-1 block w-32 rounded-md border-0 bg-white px-3 py-2.5 text-base text-slate-900 shadow-sm ring-1 ring-inset ring-slate-400 focus:ring-2 focus:ring-inset focus:ring-brand-700 aria-[invalid=true]:ring-2 aria-[invalid=true]:ring-red-700 sm:text-sm"
      />
      <FieldErrors id={meta.errorId} errors={meta.errors} />
    </div>
  );
}

export default function AvailabilityPage() {
  const { windows, timeOff, maxSessionsPerWeek } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const submitting = (intent: string) => navigation.state === "submitting" && navigation.formData?.get("intent") === intent;

  const [form, fields] = useSchemaForm(AvailabilitySchema, {
    id: "availability",
    lastResult: actionData?.form === "availability" ? actionData.result : undefined,
    defaultValue: { windows: windows.map((w) => ({ weekday: String(w.weekday), startTime: w.startTime, endTime: w.endTime })) },
  });
  // A new id once an entry is added gives an empty form for the next one.
  const offFormId = `time-off-${timeOff.map((t) => t.id).join("-")}`;
  const [offForm, offFields] = useSchemaForm(TimeOffSchema, {
    id: offFormId,
    lastResult: actionData?.form === "time-off" ? actionData.result : undefined,
  });

  const list = fields.windows.getFieldList();
  const byDay = WEEKDAY_NAMES.map((name, i) => ({
    weekday: i + 1,
    name,
    items: list
      .map((field, index) => ({ field, index, set: field.getFieldset() }))
      .filter(({ set }) => Number(set.weekday.value ?? set.weekday.initialValue) === i + 1),
  }));

  return (
    <>
      <p className="mb-3 text-sm">
        <Link to="/trainer">← My sessions</Link>
      </p>
      <PageHeader
        title="Availability and time off"
        description="The coordinator only assigns you inside your weekly hours, never during time off. Times are UK time."
      />
      <div className="grid gap-6 lg:grid-cols-5">
        <Card title="Your usual week" className="lg:col-span-3">
          <Form method="post" {...getFormProps(form)} className="space-y-4">
            {/* Enter in a time box saves, rather than pressing the first "Remove" button. */}
            <button type="submit" className="sr-only" tabIndex={-1} aria-hidden="true">
              Save
            </button>
            <input type="hidden" name="intent" value="availability" />
            <p className="text-sm text-slate-700">Give the hours you can usually deliver on each day. A day with no hours is a day you are not available.</p>
            <FormErrors id={form.errorId} errors={form.errors} />
            <ul className="divide-y divide-slate-200 border-y border-slate-200">
              {byDay.map((day) => (
                <li key={day.weekday} className="py-4 sm:flex sm:gap-4">
                  <h3 className="w-28 shrink-0 pt-1 font-semibold text-slate-900">{day.name}</h3>
                  <div className="mt-2 flex-1 space-y-3 sm:mt-0">
                    {day.items.length === 0 ? <p className="pt-1 text-slate-700">Not available</p> : null}
                    {day.items.map(({ field, index, set }, n) => {
                      const context = `${day.name}${day.items.length > 1 ? `, hours ${n + 1}` : ""}`;
                      return (
                        <div key={field.key} className="flex flex-wrap items-end gap-3">
                          <input {...getInputProps(set.weekday, { type: "hidden" })} key={set.weekday.key} />
                          <TimeInput meta={set.startTime} label="From" context={context} />
                          <TimeInput meta={set.endTime} label="Until" context={context} />
                          <Button variant="ghost" {...form.remove.getButtonProps({ name: fields.windows.name, index })}>
                            Remove<span className="sr-only"> {context}</span>
                          </Button>
                        </div>
                      );
                    })}
                    <Button
                      variant="secondary"
                      {...form.insert.getButtonProps({
                        name: fields.windows.name,
                        defaultValue: {
                          weekday: String(day.weekday),
                          startTime: day.items.length ? (day.items.at(-1)!.set.endTime.value ?? "") : "09:00",
                          endTime: day.items.length ? "" : "17:00",
                        },
                      })}
                    >
                      {day.items.length ? "Add more hours" : "Add hours"}
                      <span className="sr-only"> on {day.name}</span>
                    </Button>
                  </div>
                </li>
              ))}
            </ul>
            <Button type="submit" pending={submitting("availability")}>
              Save my week
            </Button>
          </Form>
        </Card>

        <div className="space-y-6 lg:col-span-2">
          <Card title="Time off">
            {timeOff.length === 0 ? (
              <EmptyState>No time off booked.</EmptyState>
            ) : (
              <ul className="divide-y divide-slate-100">
                {timeOff.map((t) => {
                  const when = describeTimeOff(t.starts_at, t.ends_at);
                  return (
                    <li key={t.id} className="flex items-center justify-between gap-3 py-2">
                      <div>
                        <p className="font-medium text-slate-900">{when}</p>
                        {t.reason ? <p className="text-sm text-slate-700">{t.reason}</p> : null}
                      </div>
                      <Form method="post">
                        <input type="hidden" name="timeOffId" value={t.id} />
                        <Button type="submit" name="intent" value="remove-time-off" variant="ghost">
                          Remove<span className="sr-only"> time off {when}</span>
                        </Button>
                      </Form>
                    </li>
                  );
                })}
              </ul>
            )}
            <Form key={offFormId} method="post" {...getFormProps(offForm)} className="mt-5 space-y-4 border-t border-slate-200 pt-5">
              <div>
                <h3 className="font-semibold text-slate-900">Add time off</h3>
                <p className="text-sm text-slate-700">Whole days, UK time. For a single day, leave the last day empty.</p>
              </div>
              <input type="hidden" name="intent" value="add-time-off" />
              <FormErrors id={offForm.errorId} errors={offForm.errors} />
              <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-1 xl:grid-cols-2">
                <TextField meta={offFields.startDate} label="First day" type="date" />
                <TextField meta={offFields.endDate} label="Last day" type="date" optional />
              </div>
              <TextField meta={offFields.reason} label="Reason" optional hint="For example “annual leave”. The coordinator sees this." />
              <Button type="submit" pending={submitting("add-time-off")}>
                Add time off
              </Button>
            </Form>
          </Card>
          <Card title="Sessions a week">
            <p className="text-slate-900">
              You are given at most <strong>{maxSessionsPerWeek}</strong> {nounFor(maxSessionsPerWeek, "session")} a week.
            </p>
            <p className="mt-1 text-sm text-slate-700">This limit is set by the coordinator. To change it, ask them.</p>
          </Card>
        </div>
      </div>
    </>
  );
}
