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
import { CoordinatorContactSchema, SettingsSchema, WEEKDAY_NAMES } from "#app/settings/schemas.ts";
import { getCoordinatorContact, getSettings, saveCoordinatorContact, saveSettings } from "#app/settings/settings.server.ts";
import { londonToday } from "#app/utils/dates.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { describeReach, reachAfterSaving } from "#app/trainers/weekly-limit.ts";
import { defaultLimitReach } from "#app/trainers/weekly-limit.server.ts";
import { redirectWithFlash } from "#app/utils/flash.server.ts";
import { readFormData } from "#app/utils/request-body.server.ts";

export const meta: MetaFunction = () => [{ title: "Scheduling settings · NeverOK Training" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "manage:reference-data");
  const db = getDb();
  const [settings, contact, closures, reach] = await Promise.all([getSettings(db), getCoordinatorContact(db), closureCalendar(db), defaultLimitReach(db)]);
  return {
    settings,
    contact,
    reach,
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
  if (intent === "contact") {
    const submission = parseWithZod(formData, { schema: CoordinatorContactSchema });
    if (submission.status !== "success") return data({ form: "contact" as const, result: submission.reply() }, { status: 400 });
    await saveCoordinatorContact(db, actor, submission.value);
    return redirectWithFlash("/coordinator/settings", { kind: "success", message: "Saved the contact details bookers see." });
  }
  if (intent !== "scheduling") throw data({ message: "We did not understand what you asked for." }, { status: 400 });
  const submission = parseWithZod(formData, { schema: SettingsSchema });
  if (submission.status !== "success") return data({ form: "scheduling" as const, result: submission.reply() }, { status: 400 });
  const before = await getSettings(db);
  await saveSettings(db, actor, submission.value);
  const limitChanged = before.defaultMaxSessionsPerWeek !== submission.value.defaultMaxSessionsPerWeek;
  const message = `Saved the scheduling settings.${limitChanged ? ` ${reachAfterSaving(await defaultLimitReach(db))}` : ""}`;
  return redirectWithFlash("/coordinator/settings", { kind: "success", message });
}

const DAY_OPTIONS = WEEKDAY_NAMES.map((name, i) => ({ value: String(i + 1), label: name }));

export default function SettingsPage() {
  const { settings, contact, closures, bankHolidays, reach } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const pending = (intent: string) => navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
  const [contactForm, contactFields] = useSchemaForm(CoordinatorContactSchema, {
    id: "coordinator-contact",
    lastResult: actionData?.form === "contact" ? actionData.result : undefined,
    defaultValue: { name: contact?.name ?? "", email: contact?.email ?? "", phone: contact?.phone ?? "" },
  });
  const [form, fields] = useSchemaForm(SettingsSchema, {
    id: "scheduling-settings",
    lastResult: actionData?.form === "scheduling" ? actionData.result : undefined,
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
        <input type="hidden" name="intent" value="scheduling" />
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
        <Button type="submit" pending={pending("scheduling")}>
          Save settings
        </Button>
      </Form>
      <Form method="post" {...getFormProps(contactForm)} className="mt-10 max-w-3xl">
        <Card title="Contact for bookers">
          <p className="mb-4 text-sm text-slate-700">
            Shown on bookers&apos; booking pages and in the emails that tell them what to do next, for anything they cannot do in the app (such as cancelling
            after the cut-off).
          </p>
          <FormErrors id={contactForm.errorId} errors={contactForm.errors} />
          <input type="hidden" name="intent" value="contact" />
          <div className="grid gap-5 sm:grid-cols-2">
            <TextField meta={contactFields.name} label="Name" autoComplete="off" />
            <TextField meta={contactFields.email} label="Email address" type="email" autoComplete="off" />
            <TextField meta={contactFields.phone} label="Phone" type="tel" optional autoComplete="off" hint="Leave empty to show no phone number." />
          </div>
          <Button type="submit" className="mt-5" pending={pending("contact")}>
            Save contact details
          </Button>
        </Card>
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
