import { getFormProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requirePermission } from "#app/auth/guards.server.ts";
import { Button } from "#app/components/button.tsx";
import { CheckboxGroup, FormErrors, TextField } from "#app/components/field.tsx";
import { Card, PageHeader } from "#app/components/layout.tsx";
import { useSchemaForm } from "#app/components/schema-form.ts";
import { getDb } from "#app/db.server.ts";
import { SettingsSchema, WEEKDAY_NAMES } from "#app/settings/schemas.ts";
import { getSettings, saveSettings } from "#app/settings/settings.server.ts";
import { describeReach, reachAfterSaving } from "#app/trainers/weekly-limit.ts";
import { defaultLimitReach } from "#app/trainers/weekly-limit.server.ts";
import { redirectWithFlash } from "#app/utils/flash.server.ts";
import { invalid } from "#app/utils/forms.server.ts";
import { readFormData } from "#app/utils/request-body.server.ts";

export const meta: MetaFunction = () => [{ title: "Scheduling settings · NeverOK Training" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "manage:reference-data");
  const db = getDb();
  const [settings, reach] = await Promise.all([getSettings(db), defaultLimitReach(db)]);
  return { settings, reach };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requirePermission(request, "manage:reference-data");
  const submission = parseWithZod(await readFormData(request), { schema: SettingsSchema });
  if (submission.status !== "success") return invalid(submission);
  const db = getDb();
  const before = await getSettings(db);
  await saveSettings(db, actor, submission.value);
  const limitChanged = before.defaultMaxSessionsPerWeek !== submission.value.defaultMaxSessionsPerWeek;
  const message = `Saved the scheduling settings.${limitChanged ? ` ${reachAfterSaving(await defaultLimitReach(db))}` : ""}`;
  return redirectWithFlash("/coordinator/settings", { kind: "success", message });
}

const DAY_OPTIONS = WEEKDAY_NAMES.map((name, i) => ({ value: String(i + 1), label: name }));

export default function SettingsPage() {
  const { settings, reach } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useSchemaForm(SettingsSchema, {
    id: "scheduling-settings",
    lastResult,
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
              label="Default weekly limit (sessions a trainer may run)"
              type="number"
              inputMode="numeric"
              hint={`Trainers at their limit are flagged when you assign them. ${describeReach(reach)}`}
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
        <Button type="submit" pending={navigation.state === "submitting"}>
          Save settings
        </Button>
      </Form>
    </>
  );
}
