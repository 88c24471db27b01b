import type { SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { notFound, requirePermission } from "#app/auth/guards.server.ts";
import { ArchiveForm } from "#app/components/archive-form.tsx";
import { Card, PageHeader } from "#app/components/layout.tsx";
import { validityText } from "#app/compliance/requirement-text.ts";
import { listLeaderRoles, saveLeaderRole, setLeaderRoleArchived, setRoleRequirements } from "#app/compliance/roles.server.ts";
import { LeaderRoleSchema, RoleRequirementsSchema } from "#app/compliance/schemas.ts";
import { getDb } from "#app/db.server.ts";
import { listCourses } from "#app/reference/reference.server.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { redirectWithFlash } from "#app/utils/flash.server.ts";
import { parseId } from "#app/utils/forms.server.ts";
import { readFormData } from "#app/utils/request-body.server.ts";
import { formFieldName } from "#app/roster/requirement-schema.ts";
import { RequirementsEditor } from "#app/roster/requirements-editor.tsx";
import { RoleSideCards } from "#app/roster/role-side-cards.tsx";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.role.name ?? "Leader role"} · NeverOK Training` }];

// Each form also sends its "intent", which the schemas leave out.
const RenameForm = LeaderRoleSchema;
const RequirementsForm = RoleRequirementsSchema;

async function loadRole(param: string | undefined) {
  const id = parseId(param);
  const role = id ? (await listLeaderRoles(getDb(), { includeArchived: true })).find((r) => r.id === id) : undefined;
  if (!role) throw notFound("We could not find that role.");
  return role;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "manage:leaders");
  const role = await loadRole(params.roleId);
  const courses = await listCourses(getDb(), { includeArchived: true });
  const required = new Set(role.requirements.map((r) => r.courseId));
  return {
    role,
    // Archived courses only where the role still requires one, so it can be seen and removed.
    courses: courses
      .filter((c) => !c.is_archived || required.has(c.id))
      .map((c) => ({ value: String(c.id), label: c.is_archived ? `${c.name} (archived)` : c.name })),
  };
}

type FormName = "rename" | "requirements";
const reply = (form: FormName, result: SubmissionResult<string[]>, status = 400) => data({ form, result }, { status });

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requirePermission(request, "manage:leaders");
  const role = await loadRole(params.roleId);
  const db = getDb();
  const formData = await readFormData(request);
  const intent = formData.get("intent");
  const here = `/officer/roles/${role.id}`;

  if (intent === "archive" || intent === "restore") {
    await setLeaderRoleArchived(db, actor, role.id, intent === "archive");
    return redirectWithFlash(here, {
      kind: "success",
      message:
        intent === "archive" ? `${role.name} is archived: it takes no new leaders. Those in it keep what it requires.` : `${role.name} takes leaders again.`,
    });
  }

  if (intent === "rename") {
    const submission = parseWithZod(formData, { schema: RenameForm });
    if (submission.status !== "success") return reply("rename", submission.reply());
    try {
      await saveLeaderRole(db, actor, role.id, submission.value);
    } catch (err) {
      if (err instanceof RuleViolation)
        return reply("rename", submission.reply({ fieldErrors: { [err.field === "form" ? "name" : err.field]: [err.message] } }));
      throw err;
    }
    return redirectWithFlash(here, { kind: "success", message: `Saved ${submission.value.name}.` });
  }

  // Anything else is refused: an empty list is a valid "requires nothing", so a POST that does not say
  // it is the requirements form must not be read as one.
  if (intent !== "requirements") throw data({ message: "We did not understand what you asked for." }, { status: 400 });

  // What the role requires, including Conform's "add" and "remove" buttons when JavaScript is off.
  const submission = parseWithZod(formData, { schema: RequirementsForm });
  if (submission.status !== "success") return reply("requirements", submission.reply(), submission.status === "error" ? 400 : 200);
  try {
    await setRoleRequirements(db, actor, role.id, { requirements: submission.value.requirements });
  } catch (err) {
    if (err instanceof RuleViolation) {
      const field = err.field === "roleId" || err.field === "form" ? "" : formFieldName(err.field);
      return reply("requirements", submission.reply(field ? { fieldErrors: { [field]: [err.message] } } : { formErrors: [err.message] }));
    }
    throw err;
  }
  return redirectWithFlash(here, {
    kind: "success",
    message: `Saved what ${role.name} requires. It applies at once to everyone in the role.`,
  });
}

export default function RolePage() {
  const { role, courses } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const resultFor = (name: FormName) => (actionData?.form === name ? actionData.result : undefined);
  const submitting = (intent: string) => navigation.state === "submitting" && navigation.formData?.get("intent") === intent;

  return (
    <>
      <p className="mb-3 text-sm">
        <Link to="/officer/roles">← Roles and years</Link>
      </p>
      <PageHeader
        title={role.name}
        description={role.isArchived ? "Archived: this role takes no new leaders. Those already in it keep what it requires." : (role.description ?? undefined)}
        actions={<ArchiveForm archived={role.isArchived} noun="role" />}
      />
      <div className="grid gap-6 lg:grid-cols-5">
        <Card title="Training this role requires" className="lg:col-span-3">
          <RequirementsEditor
            id={`role-${role.id}-requirements`}
            lastResult={resultFor("requirements")}
            schema={RequirementsForm}
            requirements={role.requirements}
            courses={courses}
            validities={[{ value: "academic_year", label: "This academic year only" }]}
            intro="A leader in this role must complete each course by the year's deadline. Say for each how long a completion counts: for the academic year it was done in only (done again every year), or for a number of months."
            pending={submitting("requirements")}
          />
        </Card>

        <div className="space-y-6 lg:col-span-2">
          <RoleSideCards role={role} describe={validityText} schema={RenameForm} lastResult={resultFor("rename")} pending={submitting("rename")} />
        </div>
      </div>
    </>
  );
}
