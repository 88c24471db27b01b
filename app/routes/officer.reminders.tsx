import { getFormProps, getInputProps, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { requirePermission } from "#app/auth/guards.server.ts";
import { complianceForYear, rosterMembers } from "#app/compliance/roster.server.ts";
import {
  GROUP_CHOICES_MAX,
  leaderPath,
  parseDashboardQuery,
  REMINDER_INTERVAL_DAYS,
  reminderResultMessage,
  ReminderRequestSchema,
} from "#app/compliance/dashboard.ts";
import { chooseLeaderYear, previewReminders, recentReminders } from "#app/compliance/dashboard.server.ts";
import { getLeaderYear } from "#app/compliance/facts.server.ts";
import { YearPicker } from "#app/compliance/leader-ui.tsx";
import { LeaderStatusBadge } from "#app/compliance/status-badges.tsx";
import { sendReminders } from "#app/compliance/reminders.server.ts";
import { Button, ButtonLink } from "#app/components/button.tsx";
import { DataTable, Td, Th } from "#app/components/data-table.tsx";
import { FormErrors, RadioCards, SelectField, TextField } from "#app/components/field.tsx";
import { Card, EmptyState, PageHeader } from "#app/components/layout.tsx";
import { useSchemaForm } from "#app/components/schema-form.ts";
import { getDb } from "#app/db.server.ts";
import { academicYearLabel, formatDateTime } from "#app/utils/dates.ts";
import { redirectWithFlash } from "#app/utils/flash.server.ts";
import { readFormData } from "#app/utils/request-body.server.ts";
import { plural } from "#app/utils/plural.ts";

export const meta: MetaFunction = () => [{ title: "Send reminders · NeverOK Training" }];

export const headers: HeadersFunction = () => ({ "Cache-Control": "no-store" });

/** At most this many names in each list of the confirmation step; the counts are always whole. */
const LIST_LIMIT = 50;

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "manage:leaders");
  const db = getDb();
  const { years, year } = await chooseLeaderYear(db, parseDashboardQuery(new URL(request.url).searchParams).year);
  if (!year) return { state: "no-roster" as const };
  // The counts only: the roster's evaluation is kept between requests, and no row is built.
  const [report, history] = await Promise.all([complianceForYear(db, year.startYear, { limit: 0 }), recentReminders(db, year.startYear)]);
  const groups = report.summary.byGroup
    .filter((g) => g.groupName && g.overdue + g.due_soon + g.due > 0)
    .map((g) => ({ name: g.groupName, toDo: g.overdue + g.due_soon + g.due }));
  return {
    state: "ready" as const,
    years,
    year: report.year,
    overdue: report.summary.overall.overdue,
    // A city's thousand groups are typed, not chosen from a list that would outweigh the page.
    groups: groups.length <= GROUP_CHOICES_MAX ? groups : null,
    groupsToDo: groups.length,
    history,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requirePermission(request, "manage:leaders");
  const submission = parseWithZod(await readFormData(request), { schema: ReminderRequestSchema });
  const refuse = (field?: string, message?: string) =>
    data({ step: "choose" as const, result: submission.reply(field && message ? { fieldErrors: { [field]: [message] } } : undefined) }, { status: 400 });
  if (submission.status !== "success") return refuse();
  const v = submission.value;
  const db = getDb();
  if (!(await getLeaderYear(db, v.year))) return refuse("year", "There is no roster for that year");

  let to: "overdue" | number[] = "overdue";
  if (v.to === "chosen") to = [...new Set(v.personId)];
  if (v.to === "group") {
    // Everyone in the group who still has something to do, whichever of their roles it is for.
    const members = await rosterMembers(db, v.year, { filters: { group: v.group } });
    to = [...new Set(members.filter((r) => r.personStatus !== "compliant" && r.personStatus !== "ended").map((r) => r.personId))];
    if (!to.length) return refuse("group", `Nobody in ${v.group} has training to do in ${academicYearLabel(v.year)}`);
  }

  if (v.intent === "review") {
    const preview = await previewReminders(db, v.year, { to, copyPresidents: v.copyPresidents });
    return {
      step: "confirm" as const,
      choice: { year: v.year, to: v.to, group: v.group ?? "", personIds: v.to === "chosen" ? (to as number[]) : [], copyPresidents: v.copyPresidents },
      counts: { toSend: preview.toSend.length, skippedRecent: preview.skippedRecent.length, skippedNothingDue: preview.skippedNothingDue.length },
      toSend: preview.toSend.slice(0, LIST_LIMIT),
      skippedRecent: preview.skippedRecent.slice(0, LIST_LIMIT),
      skippedNothingDue: preview.skippedNothingDue.slice(0, LIST_LIMIT),
    };
  }

  const result = await sendReminders(db, actor, v.year, { to, copyPresidents: v.copyPresidents, minIntervalDays: REMINDER_INTERVAL_DAYS });
  return redirectWithFlash(`/officer/reminders?year=${v.year}`, { kind: result.sent.length ? "success" : "info", message: reminderResultMessage(result) });
}

function whoLine(choice: { to: "overdue" | "group" | "chosen"; group: string }) {
  if (choice.to === "group") return `Reminding those in ${choice.group} with training to do`;
  return choice.to === "overdue" ? "Reminding everyone overdue" : "Reminding the leaders you chose";
}

export default function RemindersPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  if (data.state === "no-roster") {
    return (
      <>
        <PageHeader title="Send reminders" />
        <EmptyState>
          There is no roster yet.{" "}
          <Link to="/officer/roster/import" className="underline">
            Import the roster
          </Link>{" "}
          first.
        </EmptyState>
      </>
    );
  }
  const confirm = actionData?.step === "confirm" ? actionData : null;
  return (
    <>
      <PageHeader
        title={confirm ? "Check before sending" : "Send reminders"}
        description={
          <>
            {data.year.label} roster. Each reminder lists what the leader still needs and links to the next sessions with places.{" "}
            <strong>Nobody is reminded twice within {REMINDER_INTERVAL_DAYS} days</strong>, whoever sends it.
          </>
        }
        actions={confirm ? undefined : <YearPicker years={data.years} value={data.year.startYear} />}
      />
      <div className="grid gap-6 lg:grid-cols-5">
        <div className="lg:col-span-3">
          {confirm ? (
            <Confirm confirm={confirm} />
          ) : (
            <Choose
              year={data.year.startYear}
              overdue={data.overdue}
              groups={data.groups}
              groupsToDo={data.groupsToDo}
              lastResult={actionData?.step === "choose" ? actionData.result : undefined}
            />
          )}
        </div>
        <History history={data.history} year={data.year.startYear} />
      </div>
    </>
  );
}

function Choose({
  year,
  overdue,
  groups,
  groupsToDo,
  lastResult,
}: {
  year: number;
  overdue: number;
  groups: { name: string; toDo: number }[] | null;
  groupsToDo: number;
  lastResult: SubmissionResult<string[]> | undefined;
}) {
  const navigation = useNavigation();
  const [form, fields] = useSchemaForm(ReminderRequestSchema, {
    id: "reminders",
    lastResult,
    defaultValue: { to: "overdue", year: String(year) },
  });
  return (
    <Card>
      <Form method="post" {...getFormProps(form)} className="space-y-6">
        <input type="hidden" name="year" value={year} />
        <FormErrors id={form.errorId} errors={form.errors} />
        <RadioCards
          meta={fields.to}
          legend="Who to remind"
          options={[
            {
              value: "overdue",
              label: "Everyone overdue",
              description: `${plural(overdue, { one: "leader is", other: "leaders are" })} past their due date.`,
            },
            { value: "group", label: "One group", description: "Everyone in the group who still has training to do, overdue or not." },
          ]}
        />
        {groups ? (
          <SelectField
            meta={fields.group}
            label="Group"
            hint="Only for “One group”."
            placeholder="Choose a group"
            options={groups.map((g) => ({ value: g.name, label: `${g.name} (${g.toDo} to do)` }))}
          />
        ) : (
          <TextField
            meta={fields.group}
            label="Group"
            hint={`Only for “One group”: its full name, as on the roster (${plural(groupsToDo, { one: "group has", other: "groups have" })} training to do). A group’s own page can also send its reminders.`}
          />
        )}
        <CopyPresidents meta={fields.copyPresidents} />
        <p className="text-sm text-slate-700">
          To choose people one by one, tick them on the{" "}
          <Link to={`/officer/leaders?year=${year}&status=overdue`} className="underline">
            leaders list
          </Link>{" "}
          and press “Remind the chosen”.
        </p>
        <Button type="submit" name="intent" value="review" pending={navigation.state === "submitting"}>
          Review before sending
        </Button>
      </Form>
    </Card>
  );
}

function CopyPresidents({ meta, defaultChecked }: { meta?: Parameters<typeof getInputProps>[0]; defaultChecked?: boolean }) {
  const props = meta ? getInputProps(meta, { type: "checkbox" }) : { name: "copyPresidents", id: "copyPresidents", defaultChecked };
  const { key: _key, ...rest } = props as typeof props & { key?: string };
  return (
    <label
      htmlFor={rest.id}
      className="flex min-h-11 cursor-pointer items-start gap-3 rounded-md bg-white px-3 py-2.5 ring-1 ring-slate-300 has-[:checked]:ring-2 has-[:checked]:ring-brand-700"
    >
      <input {...rest} type="checkbox" className="mt-0.5 h-5 w-5 shrink-0 accent-brand-700" />
      <span>
        <span className="block text-sm font-medium text-slate-900">Copy each group’s president</span>
        <span className="block text-sm text-slate-700">The president gets one email listing the people in their group who were reminded.</span>
      </span>
    </label>
  );
}

type Confirmation = Extract<NonNullable<ReturnType<typeof useActionData<typeof action>>>, { step: "confirm" }>;

function Confirm({ confirm }: { confirm: Confirmation }) {
  const navigation = useNavigation();
  const heading = useRef<HTMLHeadingElement>(null);
  // The page changed under the button: take keyboard and screen reader users to what it now says.
  useEffect(() => heading.current?.focus(), [confirm]);
  const { choice, counts } = confirm;
  const more = (shown: number, total: number) =>
    total > shown ? <li className="py-2 text-sm text-slate-700">…and {(total - shown).toLocaleString("en-GB")} more</li> : null;
  return (
    <Card>
      <h2 ref={heading} tabIndex={-1} className="text-lg font-semibold text-slate-900 outline-none">
        {whoLine(choice)}
      </h2>
      <p className="mt-2 text-2xl font-bold text-slate-900" data-testid="reminder-count">
        {counts.toSend === 0 ? "Nobody will get a reminder." : `${plural(counts.toSend, "leader")} will get a reminder.`}
      </p>
      {counts.skippedRecent || counts.skippedNothingDue ? (
        <p className="mt-1 text-slate-800">
          {[
            counts.skippedRecent ? `${counts.skippedRecent} skipped: reminded in the last ${REMINDER_INTERVAL_DAYS} days` : null,
            counts.skippedNothingDue ? `${counts.skippedNothingDue} skipped: nothing due` : null,
          ]
            .filter(Boolean)
            .join(" · ")}
        </p>
      ) : null}

      {confirm.toSend.length ? (
        <details className="mt-4" open={counts.toSend <= 10}>
          <summary className="cursor-pointer font-semibold text-brand-800">Who will get one ({counts.toSend})</summary>
          <ul className="mt-2 divide-y divide-slate-100">
            {confirm.toSend.map((p) => (
              <li key={p.personId} className="flex flex-col gap-1 py-2 sm:flex-row sm:items-center sm:justify-between">
                <span>
                  <span className="font-medium text-slate-900">{p.name}</span>
                  <span className="block text-sm text-slate-700">Needs {p.missing.join(", ")}</span>
                </span>
                <span className="shrink-0">
                  <LeaderStatusBadge status={p.status} />
                </span>
              </li>
            ))}
            {more(confirm.toSend.length, counts.toSend)}
          </ul>
        </details>
      ) : null}

      {confirm.skippedRecent.length ? (
        <section className="mt-4">
          <h3 className="font-semibold text-slate-900">
            Skipped: reminded in the last {REMINDER_INTERVAL_DAYS} days ({counts.skippedRecent})
          </h3>
          <ul className="mt-1 divide-y divide-slate-100">
            {confirm.skippedRecent.map((p) => (
              <li key={p.personId} className="py-2 text-sm">
                <span className="font-medium text-slate-900">{p.name}</span>, reminded {formatDateTime(p.lastSentAt)}
              </li>
            ))}
            {more(confirm.skippedRecent.length, counts.skippedRecent)}
          </ul>
        </section>
      ) : null}

      {confirm.skippedNothingDue.length ? (
        <section className="mt-4">
          <h3 className="font-semibold text-slate-900">Skipped: nothing due ({counts.skippedNothingDue})</h3>
          <p className="text-sm text-slate-700">Already trained or exempt, their role has ended, or not on this year’s roster.</p>
          <ul className="mt-1 divide-y divide-slate-100">
            {confirm.skippedNothingDue.map((p) => (
              <li key={p.personId} className="py-2 text-sm font-medium text-slate-900">
                {p.name}
              </li>
            ))}
            {more(confirm.skippedNothingDue.length, counts.skippedNothingDue)}
          </ul>
        </section>
      ) : null}

      <Form method="post" className="mt-6 space-y-4">
        <input type="hidden" name="year" value={choice.year} />
        <input type="hidden" name="to" value={choice.to} />
        {choice.group ? <input type="hidden" name="group" value={choice.group} /> : null}
        {choice.personIds.map((id) => (
          <input key={id} type="hidden" name="personId" value={id} />
        ))}
        {counts.toSend > 0 ? <CopyPresidents defaultChecked={choice.copyPresidents} /> : null}
        <div className="flex flex-col gap-3 sm:flex-row">
          {counts.toSend > 0 ? (
            <Button type="submit" name="intent" value="send" pending={navigation.state === "submitting"}>
              Send {plural(counts.toSend, "reminder")}
            </Button>
          ) : null}
          <ButtonLink to={`/officer/reminders?year=${choice.year}`} variant="secondary">
            {counts.toSend > 0 ? "Cancel" : "Back"}
          </ButtonLink>
        </div>
      </Form>
    </Card>
  );
}

function History({
  history,
  year,
}: {
  year: number;
  history: { items: { id: number; personId: number; name: string; sentAt: string; sentByName: string | null }[]; total: number };
}) {
  return (
    <section aria-labelledby="history-heading" className="lg:col-span-2">
      <h2 id="history-heading" className="mb-1 text-lg font-semibold text-slate-900">
        Recent reminders
      </h2>
      <p className="mb-3 text-sm text-slate-700">
        {history.total === 0
          ? "No reminders yet this year."
          : `${history.total.toLocaleString("en-GB")} sent this year${history.total > history.items.length ? `; the latest ${history.items.length}` : ""}.`}
      </p>
      {history.items.length ? (
        <DataTable
          caption="Recent reminders: who, when and by whom"
          head={
            <>
              <Th>Leader</Th>
              <Th>Sent</Th>
              <Th>By</Th>
            </>
          }
        >
          {history.items.map((h) => (
            <tr key={h.id}>
              <Td>
                <Link to={leaderPath(h.personId, year)}>{h.name}</Link>
              </Td>
              <Td className="whitespace-nowrap">{formatDateTime(h.sentAt)}</Td>
              <Td>{h.sentByName ?? "Automatic"}</Td>
            </tr>
          ))}
        </DataTable>
      ) : null}
    </section>
  );
}
