import { getFormProps, getInputProps, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requirePermission } from "#app/auth/guards.server.ts";
import { Button } from "#app/components/button.tsx";
import { CheckboxGroup, FieldErrors, FormErrors, SelectField, TextareaField, TextField } from "#app/components/field.tsx";
import { Badge, Card, EmptyState, PageHeader } from "#app/components/layout.tsx";
import { rollOverYear } from "#app/compliance/leaders.server.ts";
import { requirementsCommonToAllRoles } from "#app/compliance/leader-forms.server.ts";
import { currentLeaderYear, listLeaderRoles, listLeaderYears, saveLeaderRole, saveLeaderYear, setRoleRequirements } from "#app/compliance/roles.server.ts";
import { LeaderRoleSchema, LeaderYearSchema, RollOverSchema } from "#app/compliance/schemas.ts";
import { requirementText } from "#app/compliance/requirement-text.ts";
import { useSchemaForm } from "#app/components/schema-form.ts";
import { getDb } from "#app/db.server.ts";
import { academicYearLabel, academicYearStartOf, addMonths, formatDay } from "#app/utils/dates.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { redirectWithFlash } from "#app/utils/flash.server.ts";
import { now } from "#app/utils/time.ts";
import { readFormData } from "#app/utils/request-body.server.ts";
import { plural } from "#app/utils/plural.ts";

export const meta: MetaFunction = () => [{ title: "Roles and years · NeverOK Training" }];

// Each form also sends its "intent", which the schemas leave out.
const AddRoleForm = LeaderRoleSchema;
const DeadlineForm = LeaderYearSchema;
const AddYearForm = LeaderYearSchema;
const RollOverForm = RollOverSchema;

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "manage:leaders");
  const db = getDb();
  const [roles, years, current] = await Promise.all([listLeaderRoles(db, { includeArchived: true }), listLeaderYears(db), currentLeaderYear(db)]);
  const thisYear = academicYearStartOf(now());
  const known = new Set(years.map((y) => y.startYear));
  const newYearOptions = [thisYear - 1, thisYear, thisYear + 1, thisYear + 2].filter((y) => !known.has(y));
  const latest = years[0]?.startYear ?? null;
  const fromYear = current?.startYear ?? latest;
  const toYearOptions = [...years.map((y) => y.startYear)];
  if (latest !== null) toYearOptions.unshift(latest + 1);
  const fromDeadline = years.find((y) => y.startYear === fromYear)?.deadline ?? null;
  return {
    roles: roles.map((r) => ({
      id: r.id,
      name: r.name,
      description: r.description,
      isArchived: r.isArchived,
      requirements: r.requirements.map(requirementText),
    })),
    years: years.map((y) => ({ startYear: y.startYear, label: y.label, deadline: y.deadline, leaders: y.leaders })),
    newYearOptions: newYearOptions.map((y) => ({ value: String(y), label: academicYearLabel(y) })),
    rollOver:
      fromYear === null
        ? null
        : {
            fromYear,
            toYear: fromYear + 1,
            yearOptions: years.map((y) => ({ value: String(y.startYear), label: `${y.label} (${plural(y.leaders, "leader")})` })),
            toYearOptions: [...new Set(toYearOptions)]
              .sort((a, b) => b - a)
              .map((y) => ({ value: String(y), label: `${academicYearLabel(y)}${known.has(y) ? "" : " (new)"}` })),
            carriedDeadline: fromDeadline ? addMonths(fromDeadline, 12) : null,
          },
  };
}

type FormName = "add-role" | "add-year" | "roll-over" | `deadline-${number}`;
const reply = (form: FormName, result: SubmissionResult<string[]>, status = 400) => data({ form, result }, { status });

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requirePermission(request, "manage:leaders");
  const db = getDb();
  const formData = await readFormData(request);
  const intent = formData.get("intent");

  if (intent === "add-role") {
    const submission = parseWithZod(formData, { schema: AddRoleForm });
    if (submission.status !== "success") return reply("add-role", submission.reply());
    const common = requirementsCommonToAllRoles(await listLeaderRoles(db));
    let roleId: number;
    try {
      roleId = await saveLeaderRole(db, actor, null, submission.value);
      if (common.length) await setRoleRequirements(db, actor, roleId, { requirements: common });
    } catch (err) {
      if (err instanceof RuleViolation)
        return reply("add-role", submission.reply({ fieldErrors: { [err.field === "form" ? "name" : err.field]: [err.message] } }));
      throw err;
    }
    return redirectWithFlash(`/officer/roles/${roleId}`, {
      kind: "success",
      message: common.length
        ? `Added the role ${submission.value.name}. Like every role it requires what all roles require; add anything else it needs below.`
        : `Added the role ${submission.value.name}. Now choose the training it requires.`,
    });
  }

  if (intent === "deadline" || intent === "add-year") {
    const schema = intent === "deadline" ? DeadlineForm : AddYearForm;
    const submission = parseWithZod(formData, { schema });
    const form: FormName = intent === "deadline" ? `deadline-${Number(formData.get("startYear"))}` : "add-year";
    if (submission.status !== "success") return reply(form, submission.reply());
    try {
      await saveLeaderYear(db, actor, submission.value);
    } catch (err) {
      if (err instanceof RuleViolation)
        return reply(form, submission.reply({ fieldErrors: { [err.field === "form" ? "deadline" : err.field]: [err.message] } }));
      throw err;
    }
    const label = academicYearLabel(submission.value.startYear);
    return redirectWithFlash("/officer/roles", {
      kind: "success",
      message:
        intent === "deadline"
          ? `The ${label} deadline is now ${formatDay(submission.value.deadline)}.`
          : `Set up ${label} with the deadline ${formatDay(submission.value.deadline)}.`,
    });
  }

  if (intent === "roll-over") {
    const submission = parseWithZod(formData, { schema: RollOverForm });
    if (submission.status !== "success") return reply("roll-over", submission.reply());
    let result: { copied: number; alreadyThere: number };
    try {
      result = await rollOverYear(db, actor, submission.value);
    } catch (err) {
      if (err instanceof RuleViolation)
        return reply("roll-over", submission.reply({ fieldErrors: { [err.field === "form" ? "toYear" : err.field]: [err.message] } }));
      throw err;
    }
    const { fromYear, toYear } = submission.value;
    return redirectWithFlash("/officer/roles", {
      kind: "success",
      message: `Rolled ${academicYearLabel(fromYear)} over into ${academicYearLabel(toYear)}: copied ${plural(result.copied, "leader")}, ${result.alreadyThere} already there.`,
    });
  }

  throw data({ message: "Unknown action" }, { status: 400 });
}

export default function RolesPage() {
  const { roles, years, newYearOptions, rollOver } = useLoaderData<typeof loader>();
  const current = roles.filter((r) => !r.isArchived);
  const archived = roles.filter((r) => r.isArchived);
  return (
    <>
      <PageHeader
        title="Roles and years"
        description="What each leader role has to complete, the deadline in each academic year, and the start of a new year. Changes apply at once to everyone in the role."
      />
      <div className="space-y-8">
        <div className="grid gap-6 lg:grid-cols-5">
          <section aria-labelledby="roles-title" className="space-y-3 lg:col-span-3">
            <h2 id="roles-title" className="text-xl font-semibold text-slate-900">
              Leader roles
            </h2>
            {current.length === 0 ? <EmptyState>No leader roles yet. Add the first one.</EmptyState> : <RoleList roles={current} label="Leader roles" />}
            {archived.length ? (
              <details className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
                <summary className="cursor-pointer font-medium text-brand-800">Archived roles ({archived.length})</summary>
                <p className="mt-2 text-sm text-slate-700">An archived role takes no new leaders; those already in it keep what it requires.</p>
                <div className="mt-3">
                  <RoleList roles={archived} label="Archived roles" />
                </div>
              </details>
            ) : null}
          </section>
          <div className="lg:col-span-2">
            <AddRoleCard />
          </div>
        </div>

        <div className="grid gap-6 lg:grid-cols-5">
          <section aria-labelledby="years-title" className="space-y-3 lg:col-span-3">
            <h2 id="years-title" className="text-xl font-semibold text-slate-900">
              Academic years and deadlines
            </h2>
            <p className="text-sm text-slate-700">
              Each year runs from 1 August to 31 July. Leaders must complete their training by the year's deadline, or within 28 days of starting if they are
              appointed late.
            </p>
            {years.length === 0 ? (
              <EmptyState>No academic year is set up yet.</EmptyState>
            ) : (
              <ul className="divide-y divide-slate-100 rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
                {years.map((y) => (
                  <YearRow key={y.startYear} year={y} />
                ))}
              </ul>
            )}
          </section>
          <div className="lg:col-span-2">{newYearOptions.length ? <AddYearCard options={newYearOptions} /> : null}</div>
        </div>

        {rollOver && current.length ? <RollOverCard rollOver={rollOver} roles={current} /> : null}
      </div>
    </>
  );
}

type RoleItem = ReturnType<typeof useLoaderData<typeof loader>>["roles"][number];

function RoleList({ roles, label }: { roles: RoleItem[]; label: string }) {
  return (
    <ul aria-label={label} className="divide-y divide-slate-100 rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
      {roles.map((r) => (
        <li key={r.id} className="p-4">
          <div className="min-w-0">
            <h3 className="font-semibold text-slate-900">
              <Link to={`/officer/roles/${r.id}`}>{r.name}</Link> {r.isArchived ? <Badge>Archived</Badge> : null}
            </h3>
            {r.description ? <p className="text-sm text-slate-700">{r.description}</p> : null}
            {r.requirements.length ? (
              <ul className="mt-2 space-y-1 text-sm">
                {r.requirements.map((q) => (
                  <li key={q.courseName}>
                    <span className="font-medium text-slate-900">{q.courseName}</span> <span className="text-slate-700">({q.validityText})</span>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="mt-2 text-sm font-medium text-amber-900">Requires no training yet.</p>
            )}
          </div>
        </li>
      ))}
    </ul>
  );
}

function useFormResult(name: FormName) {
  const actionData = useActionData<typeof action>();
  return actionData?.form === name ? actionData.result : undefined;
}

function useSubmitting(intent: string, extra?: (fd: FormData) => boolean) {
  const navigation = useNavigation();
  return navigation.state === "submitting" && navigation.formData?.get("intent") === intent && (!extra || extra(navigation.formData));
}

function AddRoleCard() {
  const [form, fields] = useSchemaForm(AddRoleForm, {
    id: "add-role",
    lastResult: useFormResult("add-role"),
  });
  const submitting = useSubmitting("add-role");
  return (
    <Card title="Add a role">
      <Form method="post" {...getFormProps(form)} className="space-y-4">
        <input type="hidden" name="intent" value="add-role" />
        <FormErrors id={form.errorId} errors={form.errors} />
        <TextField meta={fields.name} label="Name" hint="For example “Welfare officer”." />
        <TextareaField meta={fields.description} label="What the role is" optional rows={2} />
        <p className="text-sm text-slate-700">A new role starts with the training every current role requires; you can add more next.</p>
        <Button type="submit" pending={submitting}>
          Add role
        </Button>
      </Form>
    </Card>
  );
}

function YearRow({ year }: { year: { startYear: number; label: string; deadline: string; leaders: number } }) {
  const name: FormName = `deadline-${year.startYear}`;
  const [form, fields] = useSchemaForm(LeaderYearSchema, {
    id: name,
    lastResult: useFormResult(name),
    defaultValue: { startYear: String(year.startYear), deadline: year.deadline },
  });
  const submitting = useSubmitting("deadline", (fd) => fd.get("startYear") === String(year.startYear));
  const deadlineProps = getInputProps(fields.deadline, { type: "date" });
  return (
    <li className="p-4">
      <div className="grid gap-3 sm:grid-cols-[minmax(0,1fr)_auto] sm:items-end">
        <div>
          <h3 className="font-semibold text-slate-900">{year.label}</h3>
          <p className="text-sm text-slate-700">
            Deadline {formatDay(year.deadline)} · {plural(year.leaders, "leader")}
          </p>
        </div>
        <Form method="post" {...getFormProps(form)} className="flex flex-wrap items-end gap-2">
          <input type="hidden" name="intent" value="deadline" />
          <input {...getInputProps(fields.startYear, { type: "hidden" })} key={fields.startYear.key} />
          <div>
            <label htmlFor={fields.deadline.id} className="block text-sm font-semibold text-slate-900">
              Deadline<span className="sr-only"> for {year.label}</span>
            </label>
            <input
              {...deadlineProps}
              key={deadlineProps.key}
              aria-describedby={fields.deadline.errors?.length ? fields.deadline.errorId : undefined}
              className="mt-1 block rounded-md border-0 bg-white px-3 py-2.5 text-base text-slate-900 shadow-sm ring-1 ring-inset ring-slate-400 focus:ring-2 focus:ring-inset focus:ring-brand-700 aria-[invalid=true]:ring-2 aria-[invalid=true]:ring-red-700 sm:text-sm"
            />
          </div>
          <Button type="submit" variant="secondary" pending={submitting}>
            Change<span className="sr-only"> the {year.label} deadline</span>
          </Button>
        </Form>
      </div>
      <FieldErrors id={fields.deadline.errorId} errors={fields.deadline.errors} />
      <FormErrors id={form.errorId} errors={form.errors} />
    </li>
  );
}

function AddYearCard({ options }: { options: { value: string; label: string }[] }) {
  const [form, fields] = useSchemaForm(LeaderYearSchema, {
    id: "add-year",
    lastResult: useFormResult("add-year"),
  });
  const submitting = useSubmitting("add-year");
  return (
    <Card title="Set up a year">
      <Form method="post" {...getFormProps(form)} className="space-y-4">
        <input type="hidden" name="intent" value="add-year" />
        <FormErrors id={form.errorId} errors={form.errors} />
        <SelectField meta={fields.startYear} label="Academic year" options={options} placeholder="Choose a year" />
        <TextField meta={fields.deadline} label="Training deadline" type="date" hint="Within the year, for example 31 October." />
        <p className="text-sm text-slate-700">To carry last year's leaders into a new year, use “Roll over” below instead.</p>
        <Button type="submit" variant="secondary" pending={submitting}>
          Set up year
        </Button>
      </Form>
    </Card>
  );
}

function RollOverCard({ rollOver, roles }: { rollOver: NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["rollOver"]>; roles: RoleItem[] }) {
  const [form, fields] = useSchemaForm(RollOverSchema, {
    id: "roll-over",
    lastResult: useFormResult("roll-over"),
    defaultValue: { fromYear: String(rollOver.fromYear), toYear: String(rollOver.toYear), roleIds: roles.map((r) => String(r.id)) },
  });
  const submitting = useSubmitting("roll-over");
  return (
    <section aria-labelledby="roll-over-title" className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
      <h2 id="roll-over-title" className="text-xl font-semibold text-slate-900">
        Roll over to a new year
      </h2>
      <p className="mt-1 max-w-3xl text-sm text-slate-700">
        Copies the leaders in the roles that continue, unless their role ended, into the new year, starting on 1 August. Training that counts for one academic
        year has to be done again; training that counts for a number of months carries on until it runs out. Running it twice copies nobody twice. Import the
        new year's roster afterwards to add the new leaders.
      </p>
      <Form method="post" {...getFormProps(form)} className="mt-4 space-y-5">
        <input type="hidden" name="intent" value="roll-over" />
        <FormErrors id={form.errorId} errors={form.errors} />
        <div className="grid gap-5 sm:grid-cols-2">
          <SelectField meta={fields.fromYear} label="From" options={rollOver.yearOptions} />
          <SelectField meta={fields.toYear} label="Into" options={rollOver.toYearOptions} />
        </div>
        <div className="max-w-md">
          <TextField
            meta={fields.deadline}
            label="Deadline in the new year"
            type="date"
            optional
            hint={`Leave empty to keep the new year's deadline if it is set up${rollOver.carriedDeadline ? `, or else use ${formatDay(rollOver.carriedDeadline)}` : ""}.`}
          />
        </div>
        <CheckboxGroup
          meta={fields.roleIds}
          legend="Roles that continue"
          hint="Untick a role whose leaders change every year."
          options={roles.map((r) => ({ value: String(r.id), label: r.name }))}
        />
        <Button type="submit" pending={submitting}>
          Roll over
        </Button>
      </Form>
    </section>
  );
}
