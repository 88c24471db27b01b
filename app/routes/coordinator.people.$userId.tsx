import { getFormProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { listAuditEvents } from "#app/audit/audit.server.ts";
import { requirePermission } from "#app/auth/guards.server.ts";
import { listIdentitiesOf, unlinkIdentity, type LinkedIdentity } from "#app/auth/sso/identity-admin.server.ts";
import { Button, ButtonLink } from "#app/components/button.tsx";
import { FormErrors, RadioCards, SelectField, TextField } from "#app/components/field.tsx";
import { HistoryList } from "#app/components/history-list.tsx";
import { Badge, Card, PageHeader } from "#app/components/layout.tsx";
import { useSchemaForm } from "#app/components/schema-form.ts";
import { getDb } from "#app/db.server.ts";
import { listCourses, listOrganisations } from "#app/reference/reference.server.ts";
import { PersonAccessFields } from "#app/users/person-fields.tsx";
import { PersonSchema } from "#app/users/schemas.ts";
import { weeklySessionLimit } from "#app/trainers/weekly-limit.server.ts";
import { getPerson, resendPasswordLink, updatePerson, UserInputError } from "#app/users/users.server.ts";
import { formatLongDay } from "#app/utils/dates.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { redirectWithFlash } from "#app/utils/flash.server.ts";
import { findByParam, invalid, parseId, replyWithError } from "#app/utils/forms.server.ts";
import { plural } from "#app/utils/plural.ts";
import { readFormData } from "#app/utils/request-body.server.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.person.name ?? "Person"} · NeverOK Training` }];

const loadPerson = (param: string | undefined) => findByParam(param, (id) => getPerson(getDb(), id), "We could not find that person.");

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "manage:users");
  const person = await loadPerson(params.userId);
  const db = getDb();
  const [organisations, courses, history, weeklyLimit, identities] = await Promise.all([
    listOrganisations(db),
    listCourses(db),
    listAuditEvents(db, { entityType: "user", entityId: person.id, limit: 20 }),
    weeklySessionLimit(db, person.id),
    listIdentitiesOf(db, person.id),
  ]);
  return {
    person,
    organisations: organisations.map((o) => ({ id: o.id, name: o.name })),
    courses: courses.map((c) => ({ id: c.id, name: c.name })),
    history,
    weeklyLimit,
    identities,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requirePermission(request, "manage:users");
  const person = await loadPerson(params.userId);
  const formData = await readFormData(request);
  if (formData.get("intent") === "send-link") {
    const sent = await resendPasswordLink(getDb(), actor, person.id).catch((err) => {
      if (err instanceof UserInputError) return null;
      throw err;
    });
    return redirectWithFlash(`/coordinator/people/${person.id}`, {
      kind: sent ? "success" : "error",
      message: sent
        ? `A new ${sent === "invitation" ? "invitation" : "password-reset link"} for ${person.email} is in the outbox.`
        : "This account is deactivated, so no link was sent.",
    });
  }
  if (formData.get("intent") === "unlink") {
    const here = `/coordinator/people/${person.id}`;
    const identityId = parseId(String(formData.get("identityId") ?? ""));
    if (!identityId) throw data({ message: "We could not tell which sign-in to unlink." }, { status: 400 });
    try {
      const { providerName } = await unlinkIdentity(getDb(), actor, person.id, identityId);
      return redirectWithFlash(here, { kind: "success", message: `${person.name} no longer signs in through ${providerName}.` });
    } catch (err) {
      if (err instanceof RuleViolation) return redirectWithFlash(here, { kind: "error", message: err.message });
      throw err;
    }
  }
  const submission = parseWithZod(formData, { schema: PersonSchema });
  if (submission.status !== "success") return invalid(submission);
  try {
    await updatePerson(getDb(), actor, person.id, { ...submission.value, isActive: submission.value.isActive === "yes" });
  } catch (err) {
    if (err instanceof UserInputError) return replyWithError(submission, err.field, err.message);
    throw err;
  }
  return redirectWithFlash(`/coordinator/people/${person.id}`, { kind: "success", message: `Saved the changes to ${submission.value.name}.` });
}

export default function PersonPage() {
  const { person, organisations, courses, history, weeklyLimit, identities } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useSchemaForm(PersonSchema, {
    id: `person-${person.id}`,
    lastResult,
    defaultValue: {
      name: person.name,
      roles: person.roles,
      organisationIds: person.organisations.map((o) => String(o.id)),
      qualificationCourseIds: person.qualifications.map((q) => String(q.id)),
      isActive: person.is_active === 1 ? "yes" : "no",
      weeklyLimit: weeklyLimit.own ? "own" : "default",
      maxSessionsPerWeek: String(weeklyLimit.sessions),
    },
  });
  return (
    <>
      <PageHeader
        title={person.name}
        description={person.email}
        actions={
          <Form method="post">
            <Button type="submit" name="intent" value="send-link" variant="secondary">
              {person.has_password ? "Send a password-reset link" : "Send the invitation again"}
            </Button>
          </Form>
        }
      />
      <LinkedSignIns identities={identities} />
      <div className="grid gap-6 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <Form method="post" {...getFormProps(form)} className="space-y-6">
            <FormErrors id={form.errorId} errors={form.errors} />
            <div className="grid gap-5 sm:grid-cols-2">
              <TextField meta={fields.name} label="Full name" />
              <SelectField
                meta={fields.isActive}
                label="May sign in"
                options={[
                  { value: "yes", label: "Yes: the account is active" },
                  { value: "no", label: "No: deactivated (history is kept)" },
                ]}
              />
            </div>
            <PersonAccessFields
              roles={fields.roles}
              organisationIds={fields.organisationIds}
              qualificationCourseIds={fields.qualificationCourseIds}
              organisations={organisations}
              courses={courses}
            />
            {person.roles.includes("trainer") ? (
              <div className="space-y-3">
                <RadioCards
                  meta={fields.weeklyLimit}
                  legend="Sessions a week, at most"
                  hint="Trainers at their limit are not proposed for more that week."
                  options={[
                    {
                      value: "default",
                      label: `Follow the default: ${plural(weeklyLimit.defaultLimit, "session")} a week`,
                      description: "Set in the scheduling settings; a change there applies to them too.",
                    },
                    { value: "own", label: "A limit of their own", description: "Kept when the default changes." },
                  ]}
                />
                <TextField
                  meta={fields.maxSessionsPerWeek}
                  label="Their own limit (sessions a week)"
                  type="number"
                  inputMode="numeric"
                  className="max-w-xs"
                  hint="Used only with “A limit of their own”."
                />
              </div>
            ) : null}
            <div className="flex gap-3">
              <Button type="submit" name="intent" value="save" pending={navigation.state === "submitting"}>
                Save changes
              </Button>
              <ButtonLink to="/coordinator/people" variant="secondary">
                Back to people
              </ButtonLink>
            </div>
          </Form>
        </Card>
        <Card title="History">
          <p className="mb-3">
            {person.has_password ? (
              <Badge tone="green">Has chosen a password</Badge>
            ) : person.signsInThrough.length ? (
              <Badge tone="green">Signs in through {person.signsInThrough.join(" and ")}</Badge>
            ) : (
              <Badge tone="amber">Invited, no password yet</Badge>
            )}
          </p>
          <HistoryList events={history} empty="No changes recorded." />
        </Card>
      </div>
    </>
  );
}

/** The providers this person signs in through, each with the button that unlinks it: first on the page, as it is how they get in. */
function LinkedSignIns({ identities }: { identities: LinkedIdentity[] }) {
  if (!identities.length) return null;
  return (
    <Card title="Sign-in providers" className="mb-6">
      <ul className="space-y-3">
        {identities.map((i) => (
          <li key={i.id} className="flex flex-col gap-2 text-sm sm:flex-row sm:items-center sm:justify-between">
            <p>
              Signs in through {i.providerName} as <span className="break-all">{i.email}</span>, linked {formatDate(i.linkedAt)}, last{" "}
              {formatDate(i.lastSignedInAt)}.
            </p>
            <Form method="post" className="shrink-0">
              <input type="hidden" name="identityId" value={i.id} />
              <Button type="submit" name="intent" value="unlink" variant="secondary">
                Unlink<span className="sr-only"> {i.providerName}</span>
              </Button>
            </Form>
          </li>
        ))}
      </ul>
      <p className="mt-3 text-sm text-slate-600">Unlinking signs them out of sessions begun through that provider.</p>
    </Card>
  );
}

/** "3 March 2026": the weekday adds nothing to when an account was linked. */
const formatDate = (iso: string) => formatLongDay(iso).replace(/^\S+ /, "");
