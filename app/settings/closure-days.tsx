import { getFormProps, type SubmissionResult } from "@conform-to/react";
import { Form, useNavigation } from "@remix-run/react";
import { Button } from "#app/components/button.tsx";
import { FormErrors, TextField } from "#app/components/field.tsx";
import { Card } from "#app/components/layout.tsx";
import { useSchemaForm } from "#app/components/schema-form.ts";
import { AddClosureSchema } from "#app/scheduling/closure-schemas.ts";

interface Props {
  closures: { id: string; name: string; when: string; past: boolean }[];
  bankHolidays: { name: string; when: string }[];
  addResult?: SubmissionResult<string[]>;
  removeResult?: SubmissionResult<string[]>;
}

/** The settings page's list of days the university is closed: the coordinator's closure periods, and the bank holidays for reference. */
export function ClosureDays({ closures, bankHolidays, addResult, removeResult }: Props) {
  const navigation = useNavigation();
  const [form, fields] = useSchemaForm(AddClosureSchema, { id: "add-closure", lastResult: addResult, shouldValidate: "onSubmit" });
  const removeErrors = removeResult?.error?.[""] ?? undefined;
  return (
    <section id="closures" aria-labelledby="closures-title" className="mt-10 max-w-3xl scroll-mt-6">
      <h2 id="closures-title" className="text-xl font-bold text-slate-900">
        Closure days
      </h2>
      <p className="mt-1 text-slate-700">
        Nothing can be requested, scheduled, opened or moved onto a day the university is closed. Sessions already booked on those days stay as they are.
      </p>
      <div className="mt-4 space-y-6">
        <Card title="The university's closure periods">
          <FormErrors id="remove-closure-errors" errors={removeErrors} />
          {closures.length === 0 ? (
            <p className="text-sm text-slate-700">No closure periods yet. Bank holidays are closed without being listed here.</p>
          ) : (
            <ul className="divide-y divide-slate-200">
              {closures.map((c) => (
                <li key={c.id} className="flex flex-wrap items-center justify-between gap-3 py-3">
                  <span>
                    <span className="block font-semibold text-slate-900">{c.name}</span>
                    <span className="block text-sm text-slate-700">
                      {c.when}
                      {c.past ? " (over)" : ""}
                    </span>
                  </span>
                  <Form method="post">
                    <input type="hidden" name="intent" value="remove-closure" />
                    <input type="hidden" name="closureId" value={c.id} />
                    <Button type="submit" variant="secondary" pending={navigation.formData?.get("closureId") === c.id}>
                      Remove<span className="sr-only"> {`${c.name}, ${c.when}`}</span>
                    </Button>
                  </Form>
                </li>
              ))}
            </ul>
          )}
        </Card>
        <Card title="Add a closure period">
          <Form method="post" {...getFormProps(form)} className="space-y-5">
            <FormErrors id={form.errorId} errors={form.errors} />
            <input type="hidden" name="intent" value="add-closure" />
            <TextField
              meta={fields.name}
              label="Name"
              hint="For example Christmas closure. People see it beside a date they cannot choose."
              className="max-w-md"
            />
            <div className="grid gap-5 sm:grid-cols-2">
              <TextField meta={fields.first} label="First closed day" type="date" />
              <TextField meta={fields.last} label="Last closed day" type="date" hint="The same as the first day for a single day." />
            </div>
            <Button type="submit" pending={navigation.formData?.get("intent") === "add-closure"}>
              Add the closure
            </Button>
          </Form>
        </Card>
        <Card title="Bank holidays in the next twelve months">
          <p className="text-sm text-slate-700">England and Wales bank holidays are always closed, substitute days included.</p>
          <ul className="mt-3 grid gap-1 text-sm sm:grid-cols-2">
            {bankHolidays.map((h) => (
              <li key={`${h.name}-${h.when}`}>
                <span className="font-medium text-slate-900">{h.when}</span> <span className="text-slate-700">{h.name}</span>
              </li>
            ))}
          </ul>
        </Card>
      </div>
    </section>
  );
}
