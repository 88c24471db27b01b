import { getFormProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requirePermission } from "#app/auth/guards.server.ts";
import { Button } from "#app/components/button.tsx";
import { CheckboxGroup, FormErrors, TextField } from "#app/components/field.tsx";
import { Card, PageHeader } from "#app/components/layout.tsx";
import { useSchemaForm } from "#app/components/schema-form.ts";
import { getDb } from "#app/db.server.ts";
import { AddClosureSchema, RemoveClosureSchema } from "#app/scheduling/closure-schemas.ts";
import { addClosurePeriod, ClosureCalendar, closureCalendar, formatDateSpan, removeClosurePeriod } from "#app/scheduling/closures.server.ts";
import { ClosureDays } from "#app/settings/closure-days.tsx";
import { SettingsSchema, WEEKDAY_NAMES } from "#app/settings/schemas.ts";
import { getSettings, saveSettings } from "#app/settings/settings.server.ts";
import { londonToday } from "#app/utils/dates.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { redirectWithFlash } from "#app/utils/flash.server.ts";
import { readFormData } from "#app/utils/request-body.server.ts";

export const meta: MetaFunction = () => [{ title: "Scheduling settings · NeverOK Training" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "manage:reference-data");
  const db = getDb();
  const [settings, closures] = await Promise.all([getSettings(db), closureCalendar(db)]);
  return {
    settings,
    closures: closures.periods.map((p) => ({ id: p.id, name: p.name, when: formatDateSpan(p.first, p.last), past: p.last < londonToday() })),
    bankHolidays: new ClosureCalendar([]).upcoming(londonToday()),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requirePermission(request, "manage:reference-data");
  const formData = await readFormData(request);
  const db = getDb();
  const intent = formData.get("intent");
  if (intent === "add-closure" || intent === "remove-closure") {
    const submission = parseWithZod(formData, { schema: intent === "add-closure" ? AddClosureSchema : RemoveClosureSchema });
    const refuse = (field?: string, message?: string) =>
      data(
        {
          form: intent,
          result: submission.reply(message ? (field === "form" ? { formErrors: [message] } : { fieldErrors: { [field!]: [message] } }) : undefined),
        },
        { status: 400 },
      );
    if (submission.status !== "success") return refuse();
    const v = submission.value;
    try {
      if (v.intent === "add-closure") {
        await addClosurePeriod(db, actor, v);
        return redirectWithFlash("/coordinator/settings#closures", { kind: "success", message: `Added ${v.name}. Nothing can be booked on those days.` });
      }
      await removeClosurePeriod(db, actor, v.closureId);
      return redirectWithFlash("/coordinator/settings#closures", { kind: "success", message: "Removed the closure. Those days can be booked again." });
    } catch (err) {
      if (err instanceof RuleViolation) return refuse(err.field, err.message);
      throw err;
    }
  }
  const submission = parseWithZod(formData, { schema: SettingsSchema });
  if (submission.status !== "success") return data({ form: "settings" as const, result: submission.reply() }, { status: 400 });
  await saveSettings(db, actor, submission.value);
  return redirectWithFlash("/coordinator/settings", { kind: "success", message: "Saved the scheduling settings." });
}

const DAY_OPTIONS = WEEKDAY_NAMES.map((name, i) => ({ value: String(i + 1), label: name }));

export default function SettingsPage() {
  const { settings, closures, bankHolidays } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useSchemaForm(SettingsSchema, {
    id: "scheduling-settings",
    lastResult: actionData?.form === "settings" ? actionData.result : undefined,
    defaultValue: {
      workingDays: settings.workingDays.map(String),
      workingHoursStart: settings.workingHoursStart,
      workingHoursEnd: settings.workingHoursEnd,
      travelBufferMinutes: String(settings.travelBufferMinutes),
      reminderLeadHours: String(settings.reminderLeadHours),
      bookerCancellationCutoffHours: String(settings.bookerCancellationCutoffHours),
      defaultMaxSessionsPerWeek: String(settings.defaultMaxSessionsPerWeek),
    },
  });
  return (
    <>
      <PageHeader
        title="Scheduling settings"
        description="The rules used when bookers ask for times, when trainers are suggested and when reminders go out. Changes apply from now on; sessions already scheduled stay as they are."
      />
      <Form method="post" {...getFormProps(form)} className="max-w-3xl space-y-6">
        <FormErrors id={form.errorId} errors={form.errors} />
        <Card title="Working week">
          <div className="space-y-5">
            <CheckboxGroup meta={fields.workingDays} legend="Working days" hint="Bookers can ask for sessions on these days." options={DAY_OPTIONS} />
            <div className="grid gap-5 sm:grid-cols-2">
              <TextField
                meta={fields.workingHoursStart}
                label="Working day starts"
                type="time"
                hint="UK time. A requested session must start at or after this."
              />
              <TextField meta={fields.workingHoursEnd} label="Working day ends" type="time" hint="A requested session must finish by this time." />
            </div>
          </div>
        </Card>
        <Card title="Trainers and travel">
          <div className="grid gap-5 sm:grid-cols-2">
            <TextField
              meta={fields.travelBufferMinutes}
              label="Travel time between sessions (minutes)"
              type="number"
              inputMode="numeric"
              hint="A trainer with less time than this between sessions at different places is flagged when you assign them."
            />
            <TextField
              meta={fields.defaultMaxSessionsPerWeek}
              label="Sessions a trainer may run each week"
              type="number"
              inputMode="numeric"
              hint="Trainers at their limit are flagged when you assign them. It can be changed for each trainer."
            />
          </div>
        </Card>
        <Card title="Reminders and cancellations">
          <div className="grid gap-5 sm:grid-cols-2">
            <TextField
              meta={fields.reminderLeadHours}
              label="Send reminders (hours before)"
              type="number"
              inputMode="numeric"
              hint="Bookers and trainers are reminded this long before a session."
            />
            <TextField
              meta={fields.bookerCancellationCutoffHours}
              label="Bookers may cancel until (hours before)"
              type="number"
              inputMode="numeric"
              hint="After this, a booker has to contact the coordinator to cancel."
            />
          </div>
        </Card>
        <Button type="submit" pending={navigation.state === "submitting" && navigation.formData?.get("intent") === null}>
          Save settings
        </Button>
      </Form>
      <ClosureDays
        closures={closures}
        bankHolidays={bankHolidays}
        addResult={actionData?.form === "add-closure" ? actionData.result : undefined}
        removeResult={actionData?.form === "remove-closure" ? actionData.result : undefined}
      />
    </>
  );
}
