import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { notFound, requirePermission } from "#app/auth/guards.server.ts";
import { ArchiveForm } from "#app/components/archive-form.tsx";
import { Card, PageHeader } from "#app/components/layout.tsx";
import { getDb } from "#app/db.server.ts";
import { resultFor } from "#app/roster/record-forms.tsx";
import { RequirementsEditor } from "#app/roster/requirements-editor.tsx";
import { RoleSideCards } from "#app/roster/role-side-cards.tsx";
import { redirectWithFlash } from "#app/utils/flash.server.ts";
import { parseId } from "#app/utils/forms.server.ts";
import { readFormData } from "#app/utils/request-body.server.ts";
import { staffValidityText } from "#app/venues/coverage.ts";
import { staffRolePage, staffRolePageAction } from "#app/venues/roles-page.server.ts";
import { StaffRoleRequirementsSchema, StaffRoleSchema } from "#app/venues/schemas.ts";

/** One of the campaign's staff roles: the courses it needs at every venue and how long each counts. */

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.role.name ?? "Staff role"} · NeverOK Training` }];

async function load(request: Request, roleIdParam: string | undefined) {
  const actor = await requirePermission(request, "manage:venues");
  const roleId = parseId(roleIdParam);
  const page = roleId ? await staffRolePage(getDb(), actor, roleId) : null;
  if (!page) throw notFound("We could not find that staff role.");
  return { actor, page };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  return (await load(request, params.roleId)).page;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { actor, page } = await load(request, params.roleId);
  const outcome = await staffRolePageAction(getDb(), actor, page.role, await readFormData(request));
  if (!outcome) throw data({ message: "We did not understand what you asked for." }, { status: 400 });
  if ("refused" in outcome) return data(outcome.refused, { status: 400 });
  return redirectWithFlash(`/coordinator/venues/roles/${page.role.id}`, outcome.flash);
}

export default function StaffRolePage() {
  const { role, courses } = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  const navigation = useNavigation();
  const submitting = (intent: string) => navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
  return (
    <>
      <p className="mb-3 text-sm">
        <Link to="/coordinator/venues#roles">← Venues and staff teams</Link>
      </p>
      <PageHeader
        title={role.name}
        description={
          role.isArchived
            ? "Archived: nobody new is given this role. Those already in it keep what it needs."
            : (role.description ?? "A staff role at venues and in staff teams.")
        }
        actions={<ArchiveForm archived={role.isArchived} noun="role" />}
      />
      <div className="grid gap-6 lg:grid-cols-5">
        <Card title="Training this role needs" className="lg:col-span-3">
          <RequirementsEditor
            id={`staff-role-${role.id}-requirements`}
            lastResult={resultFor(refused, "requirements")}
            schema={StaffRoleRequirementsSchema}
            requirements={role.requirements}
            courses={courses}
            validities={[{ value: "once", label: "For good, once done" }]}
            intro="Everyone in this role, at every venue and staff team, needs each course. Say how long it counts: for good, or for a number of months (12 or 24 for a yearly or two-yearly refresher)."
            pending={submitting("requirements")}
          />
        </Card>
        <div className="space-y-6 lg:col-span-2">
          <RoleSideCards
            role={role}
            describe={staffValidityText}
            schema={StaffRoleSchema}
            lastResult={resultFor(refused, "rename")}
            pending={submitting("rename")}
          />
        </div>
      </div>
    </>
  );
}
