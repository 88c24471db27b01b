import { getFormProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requirePermission } from "#app/auth/guards.server.ts";
import { Button } from "#app/components/button.tsx";
import { DataTable, Td, Th } from "#app/components/data-table.tsx";
import { FormErrors, TextField } from "#app/components/field.tsx";
import { Card, PageHeader } from "#app/components/layout.tsx";
import { useSchemaForm } from "#app/components/schema-form.ts";
import { getDb } from "#app/db.server.ts";
import { describePeriod, RETENTION_CATEGORIES, RetentionSchema, type RetentionPeriods } from "#app/privacy/retention.ts";
import { getRetentionPeriods, lastRetentionRun, retentionPreview, saveRetentionPeriods } from "#app/privacy/retention.server.ts";
import { formatDateTime, formatDay } from "#app/utils/dates.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { redirectWithFlash } from "#app/utils/flash.server.ts";
import { invalid, replyWithError } from "#app/utils/forms.server.ts";
import { readFormData } from "#app/utils/request-body.server.ts";

export const meta: MetaFunction = () => [{ title: "Retention periods · NeverOK Training" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "manage:privacy");
  const db = getDb();
  const [periods, preview, lastRun] = await Promise.all([getRetentionPeriods(db), retentionPreview(db), lastRetentionRun(db)]);
  return { periods, preview, lastRun };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requirePermission(request, "manage:privacy");
  const submission = parseWithZod(await readFormData(request), { schema: RetentionSchema });
  if (submission.status !== "success") return invalid(submission);
  try {
    await saveRetentionPeriods(getDb(), actor, submission.value);
  } catch (err) {
    if (err instanceof RuleViolation) return replyWithError(submission, err.field, err.message);
    throw err;
  }
  return redirectWithFlash("/coordinator/retention", {
    kind: "success",
    message: "Saved the retention periods. They apply from the next run, within the hour.",
  });
}

export default function RetentionPage() {
  const { periods, preview, lastRun } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useSchemaForm(RetentionSchema, {
    id: "retention",
    lastResult,
    defaultValue: Object.fromEntries(Object.entries(periods).map(([k, v]) => [k, String(v)])) as Record<keyof RetentionPeriods, string>,
  });
  const byKey = new Map(preview.map((p) => [p.key, p]));
  return (
    <>
      <PageHeader
        title="Retention periods"
        description={
          <>
            How long personal data is kept before it is anonymised or removed, hourly and in small batches. Counts in reports are never lost: registrations and
            attendance stay, without names. To remove one person's data now, use{" "}
            <Link to="/coordinator/privacy" className="underline">
              Personal data
            </Link>
            .
          </>
        }
      />
      <div className="space-y-6">
        <Card title="What it will remove next">
          <DataTable
            caption="What is past its retention period now, and when the next items fall due"
            head={
              <>
                <Th>Data</Th>
                <Th>Kept for</Th>
                <Th>Due now</Th>
                <Th>Next due</Th>
              </>
            }
          >
            {RETENTION_CATEGORIES.map((c) => {
              const p = byKey.get(c.key)!;
              return (
                <tr key={c.key}>
                  <Td>
                    <span className="block font-medium text-slate-900">{c.label}</span>
                    <span className="block text-slate-600">{c.action}</span>
                  </Td>
                  <Td>{describePeriod(periods, c)}</Td>
                  <Td>
                    <span className="font-semibold">{p.due.toLocaleString("en-GB")}</span>
                    <span className="block text-slate-600">older than {formatDay(p.cutoff)}</span>
                  </Td>
                  <Td className="whitespace-nowrap">{p.nextAt ? formatDay(p.nextAt) : <span className="text-slate-600">Nothing yet</span>}</Td>
                </tr>
              );
            })}
          </DataTable>
          <p className="mt-3 text-sm text-slate-700">
            {lastRun ? (
              `Last applied ${formatDateTime(lastRun.at)}: ${Object.values(lastRun.counts)
                .reduce((a, b) => a + b, 0)
                .toLocaleString("en-GB")} items anonymised or removed.`
            ) : (
              <>
                Not applied yet. The server applies these periods hourly; <code>npm run jobs</code> does the same from cron.
              </>
            )}
          </p>
        </Card>

        <Card title="How long to keep each kind of data">
          <Form method="post" {...getFormProps(form)} className="space-y-6">
            <FormErrors id={form.errorId} errors={form.errors} />
            <div className="grid gap-6 md:grid-cols-2">
              {RETENTION_CATEGORIES.map((c) => (
                <TextField key={c.key} meta={fields[c.field]} label={`${c.label} (${c.unit} ${c.from})`} type="number" inputMode="numeric" hint={c.what} />
              ))}
            </div>
            <Button type="submit" pending={navigation.state === "submitting"}>
              Save retention periods
            </Button>
          </Form>
        </Card>
      </div>
    </>
  );
}
