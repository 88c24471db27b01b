import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "#app/auth/guards.server.ts";
import { ButtonLink } from "#app/components/button.tsx";
import { DataTable, Td, Th } from "#app/components/data-table.tsx";
import { Badge, PageHeader } from "#app/components/layout.tsx";
import { getDb } from "#app/db.server.ts";
import { listOrganisations } from "#app/reference/reference.server.ts";
import { ORGANISATION_KIND_LABELS } from "#app/reference/schemas.ts";

export const meta: MetaFunction = () => [{ title: "Organisations · NeverOK Training" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "manage:reference-data");
  return { organisations: await listOrganisations(getDb(), { includeArchived: true }) };
}

export default function OrganisationsPage() {
  const { organisations } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title="Organisations"
        description="Departments, clubs, societies, leader programmes, partner venues and staff teams that book training."
        actions={<ButtonLink to="/coordinator/organisations/new">Add an organisation</ButtonLink>}
      />
      <DataTable
        caption="Organisations"
        head={
          <>
            <Th>Organisation</Th>
            <Th>Kind</Th>
            <Th>Main contact</Th>
            <Th>Bookers</Th>
          </>
        }
      >
        {organisations.map((o) => (
          <tr key={o.id}>
            <Td>
              <Link to={`/coordinator/organisations/${o.id}`} className="font-semibold">
                {o.name}
              </Link>
              {o.is_archived ? (
                <span className="ml-2">
                  <Badge>Archived</Badge>
                </span>
              ) : null}
            </Td>
            <Td>{ORGANISATION_KIND_LABELS[o.kind]}</Td>
            <Td>
              {o.contact_name ?? <span className="text-slate-500">—</span>}
              {o.contact_email ? <span className="block text-slate-600">{o.contact_email}</span> : null}
            </Td>
            <Td>{Number(o.member_count)}</Td>
          </tr>
        ))}
      </DataTable>
    </>
  );
}
