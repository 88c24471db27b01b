import { getFormProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requirePermission } from "#app/auth/guards.server.ts";
import { ButtonLink, SubmitOrCancel } from "#app/components/button.tsx";
import { CheckboxField, FormErrors, FormSection, SelectField, TextField } from "#app/components/field.tsx";
import { Card, EmptyState, PageHeader } from "#app/components/layout.tsx";
import { addOrUpdateLeader } from "#app/compliance/leaders.server.ts";
import { groupSuggestions, leaderForEdit } from "#app/compliance/leader-forms.server.ts";
import { currentLeaderYear, listLeaderRoles, listLeaderYears } from "#app/compliance/roles.server.ts";
import { academicYearLabel } from "#app/utils/dates.ts";
import { LeaderSchema, StartYearSchema } from "#app/compliance/schemas.ts";
import { useSchemaForm } from "#app/components/schema-form.ts";
import { getDb } from "#app/db.server.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { redirectWithFlash } from "#app/utils/flash.server.ts";
import { parseId, replyWithError, invalid } from "#app/utils/forms.server.ts";
import { readFormData } from "#app/utils/request-body.server.ts";

export const meta: MetaFunction = () => [{ title: "Add a leader · NeverOK Training" }];

export const headers: HeadersFunction = () => ({ "Cache-Control": "no-store" });

const NewLeaderSchema = LeaderSchema.extend({ startYear: StartYearSchema });

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "manage:leaders");
  const db = getDb();
  const url = new URL(request.url);
  const [years, current, roles] = await Promise.all([listLeaderYears(db), currentLeaderYear(db), listLeaderRoles(db)]);
  const asked = Number(url.searchParams.get("year"));
  const startYear = years.find((y) => y.startYear === asked)?.startYear ?? current?.startYear ?? years[0]?.startYear ?? null;
  // "Add another role" from a leader's page starts with who they are.
  const personId = parseId(url.searchParams.get("personId") ?? undefined);
  const known = personId && startYear !== null ? await leaderForEdit(db, personId, startYear) : null;
  return {
    startYear,
    years: years.map((y) => ({ value: String(y.startYear), label: y.label })),
    roles: roles.map((r) => ({ value: String(r.id), label: r.name })),
    groups: startYear === null ? [] : await groupSuggestions(db, startYear),
    person: known?.person ?? null,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requirePermission(request, "manage:leaders");
  const submission = parseWithZod(await readFormData(request), { schema: NewLeaderSchema });
  if (submission.status !== "success") return invalid(submission);
  const { startYear, ...leader } = submission.value;
  let saved: Awaited<ReturnType<typeof addOrUpdateLeader>>;
  try {
    saved = await addOrUpdateLeader(getDb(), actor, startYear, leader);
  } catch (err) {
    if (err instanceof RuleViolation) return replyWithError(submission, err.field, err.message);
    throw err;
  }
  return redirectWithFlash(`/officer/leaders/${saved.personId}?year=${startYear}`, {
    kind: "success",
    message: saved.created
      ? `Added ${leader.name} to the ${academicYearLabel(startYear)} roster.`
      : `${leader.name} already had this role in ${academicYearLabel(startYear)}; their details are updated.`,
  });
}

export default function NewLeaderPage() {
  const { startYear, years, roles, groups, person } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useSchemaForm(NewLeaderSchema, {
    id: "new-leader",
    lastResult,
    defaultValue: {
      startYear: startYear ? String(startYear) : "",
      name: person?.name ?? "",
      email: person?.email ?? "",
      studentId: person?.studentId ?? "",
    },
  });
  if (startYear === null || roles.length === 0) {
    return (
      <>
        <PageHeader title="Add a leader" />
        <EmptyState>
          {startYear === null ? "There is no academic year to add leaders to yet." : "There are no leader roles yet."}{" "}
          <Link to="/officer/roles" className="underline">
            Set up roles and years
          </Link>{" "}
          first.
        </EmptyState>
      </>
    );
  }
  return (
    <>
      <PageHeader
        title={person ? `Add a role for ${person.name}` : "Add a leader"}
        description="One leader by hand. For the whole year's list, import the roster instead."
        actions={
          <ButtonLink to="/officer/roster/import" variant="secondary">
            Import the roster
          </ButtonLink>
        }
      />
      <Card className="max-w-3xl">
        <Form method="post" {...getFormProps(form)} className="space-y-6">
          <FormErrors id={form.errorId} errors={form.errors} />
          <FormSection title="Who">
            <div className="grid gap-5 sm:grid-cols-2">
              <TextField meta={fields.name} label="Full name" autoComplete="off" />
              <TextField
                meta={fields.email}
                label="Email address"
                type="email"
                autoComplete="off"
                hint="Their university address: attendance is matched by it."
              />
              <TextField meta={fields.studentId} label="Student ID" optional autoComplete="off" hint="Also used to match attendance." />
            </div>
          </FormSection>
          <FormSection title="Role">
            <div className="grid gap-5 sm:grid-cols-2">
              <SelectField meta={fields.startYear} label="Academic year" options={years} />
              <SelectField meta={fields.roleId} label="Role" options={roles} placeholder="Choose a role" />
              <TextField
                meta={fields.groupName}
                label="Group"
                optional
                autoComplete="off"
                suggestions={groups}
                hint="The club, society, hall or programme. Linked to the organisation of the same name."
              />
              <TextField
                meta={fields.startedOn}
                label="Started on"
                type="date"
                optional
                hint="Leave empty for today (or 1 August if the year has not started)."
              />
            </div>
            <CheckboxField meta={fields.isPresident} label="President or chair of the group" hint="Can be copied on reminders to the group's leaders." />
          </FormSection>
          <SubmitOrCancel cancelTo="/officer/leaders">Add leader</SubmitOrCancel>
        </Form>
      </Card>
    </>
  );
}
