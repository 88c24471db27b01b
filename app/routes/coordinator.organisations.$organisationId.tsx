import { getFormProps } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requirePermission } from "#app/auth/guards.server.ts";
import { ArchiveForm } from "#app/components/archive-form.tsx";
import { SubmitOrCancel } from "#app/components/button.tsx";
import { FormErrors, SelectField, TextareaField, TextField } from "#app/components/field.tsx";
import { Card, EmptyState, PageHeader } from "#app/components/layout.tsx";
import { useSchemaForm } from "#app/components/schema-form.ts";
import { getDb } from "#app/db.server.ts";
import { recordFromAddress, submitRecordForm } from "#app/reference/record-page.server.ts";
import { listInstitutions } from "#app/reference/institutions.server.ts";
import { getOrganisation, listOrganisationMembers, saveOrganisation } from "#app/reference/reference.server.ts";
import { ORGANISATION_KIND_LABELS, ORGANISATION_KINDS, OrganisationSchema } from "#app/reference/schemas.ts";
import { readFormData } from "#app/utils/request-body.server.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.organisation?.name ?? "New organisation"} · NeverOK Training` }];

const loadOrganisation = (param: string | undefined) => recordFromAddress(param, (id) => getOrganisation(getDb(), id), "organisation");

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "manage:reference-data");
  const organisation = await loadOrganisation(params.organisationId);
  const [members, institutions] = await Promise.all([organisation ? listOrganisationMembers(getDb(), organisation.id) : [], listInstitutions(getDb())]);
  const institution = institutions.find((i) => i.id === organisation?.institution_id)?.name ?? "";
  return { organisation, members, institution, institutions: institutions.map((i) => i.name) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requirePermission(request, "manage:reference-data");
  const organisation = await loadOrganisation(params.organisationId);
  return submitRecordForm(actor, await readFormData(request), {
    kind: "organisation",
    record: organisation,
    schema: OrganisationSchema,
    save: (id, value) => saveOrganisation(getDb(), actor, id, value),
    path: "/coordinator/organisations",
    said: {
      saved: (value) => `Saved ${value.name}.`,
      archived: (name) => `${name} is archived.`,
      restored: (name) => `${name} is active again.`,
    },
  });
}

export default function OrganisationPage() {
  const { organisation, members, institution, institutions } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useSchemaForm(OrganisationSchema, {
    id: `organisation-${organisation?.id ?? "new"}`,
    lastResult,
    defaultValue: organisation
      ? {
          name: organisation.name,
          kind: organisation.kind,
          contactName: organisation.contact_name ?? "",
          contactEmail: organisation.contact_email ?? "",
          contactPhone: organisation.contact_phone ?? "",
          institution,
          notes: organisation.notes ?? "",
        }
      : undefined,
  });
  return (
    <>
      <PageHeader
        title={organisation ? organisation.name : "Add an organisation"}
        description={organisation ? ORGANISATION_KIND_LABELS[organisation.kind] : undefined}
        actions={organisation ? <ArchiveForm archived={organisation.is_archived === 1} noun="organisation" /> : null}
      />
      <div className="grid gap-6 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <Form method="post" {...getFormProps(form)} className="space-y-5">
            <FormErrors id={form.errorId} errors={form.errors} />
            <div className="grid gap-5 sm:grid-cols-2">
              <TextField meta={fields.name} label="Name" />
              <SelectField
                meta={fields.kind}
                label="Kind"
                placeholder="Choose…"
                options={ORGANISATION_KINDS.map((k) => ({ value: k, label: ORGANISATION_KIND_LABELS[k] }))}
              />
            </div>
            <fieldset className="space-y-5">
              <legend className="text-base font-semibold text-slate-900">Main contact</legend>
              <div className="grid gap-5 sm:grid-cols-3">
                <TextField meta={fields.contactName} label="Name" optional />
                <TextField meta={fields.contactEmail} label="Email" type="email" optional />
                <TextField meta={fields.contactPhone} label="Phone" type="tel" optional />
              </div>
            </fieldset>
            <TextField
              meta={fields.institution}
              label="Institution"
              optional
              hint="In a city partnership, the university, college or union this organisation belongs to: the impact report compares institutions. Type a new name to add one."
              suggestions={institutions}
            />
            <TextareaField meta={fields.notes} label="Notes" optional />
            <SubmitOrCancel cancelTo="/coordinator/organisations">{organisation ? "Save changes" : "Add organisation"}</SubmitOrCancel>
          </Form>
        </Card>
        {organisation ? (
          <Card title="Bookers" actions={<Link to="/coordinator/people/new">Invite a booker</Link>}>
            {members.length === 0 ? (
              <EmptyState>Nobody books for this organisation yet.</EmptyState>
            ) : (
              <ul className="divide-y divide-slate-100">
                {members.map((m) => (
                  <li key={m.id} className="py-2">
                    <Link to={`/coordinator/people/${m.id}`} className="font-medium">
                      {m.name}
                    </Link>
                    <span className="block text-sm text-slate-600">{m.email}</span>
                  </li>
                ))}
              </ul>
            )}
          </Card>
        ) : null}
      </div>
    </>
  );
}
