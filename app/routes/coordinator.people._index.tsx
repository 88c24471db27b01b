import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "#app/auth/guards.server.ts";
import { ROLE_LABELS } from "#app/auth/permissions.ts";
import { Button, ButtonLink } from "#app/components/button.tsx";
import { DataTable, Td, Th } from "#app/components/data-table.tsx";
import { Badge, EmptyState, PageHeader } from "#app/components/layout.tsx";
import { getDb } from "#app/db.server.ts";
import { PeopleFilterSchema } from "#app/users/schemas.ts";
import { listPeople } from "#app/users/users.server.ts";
import { ROLES } from "#db/schema.ts";

export const meta: MetaFunction = () => [{ title: "People · NeverOK Training" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "manage:users");
  const url = new URL(request.url);
  const filter = PeopleFilterSchema.parse(Object.fromEntries(url.searchParams));
  const people = await listPeople(getDb(), { search: filter.q, role: filter.role });
  return { people, filter };
}

export default function PeoplePage() {
  const { people, filter } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title="People"
        description="Everyone with an account: coordinators, trainers, bookers and union officers. Attendees do not need one."
        actions={<ButtonLink to="/coordinator/people/new">Invite someone</ButtonLink>}
      />
      <Form method="get" className="mb-4 flex flex-col gap-3 sm:flex-row sm:items-end" role="search">
        <div className="flex-1">
          <label htmlFor="q" className="block text-sm font-semibold text-slate-900">
            Search by name or email
          </label>
          <input
            id="q"
            name="q"
            type="search"
            defaultValue={filter.q ?? ""}
            className="mt-1.5 block w-full rounded-md border-0 px-3 py-2.5 ring-1 ring-inset ring-slate-400 focus:ring-2 focus:ring-brand-700"
          />
        </div>
        <div>
          <label htmlFor="role" className="block text-sm font-semibold text-slate-900">
            Role
          </label>
          <select
            id="role"
            name="role"
            defaultValue={filter.role ?? ""}
            className="mt-1.5 block w-full rounded-md border-0 px-3 py-2.5 ring-1 ring-inset ring-slate-400 focus:ring-2 focus:ring-brand-700"
          >
            <option value="">Any role</option>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABELS[r]}
              </option>
            ))}
          </select>
        </div>
        <Button type="submit" variant="secondary">
          Filter
        </Button>
      </Form>
      {people.length === 0 ? (
        <EmptyState>Nobody matches. Try another name, or clear the filters.</EmptyState>
      ) : (
        <DataTable
          caption="People with an account"
          head={
            <>
              <Th>Name</Th>
              <Th>Roles</Th>
              <Th>Organisations</Th>
              <Th>Status</Th>
            </>
          }
        >
          {people.map((p) => (
            <tr key={p.id}>
              <Td>
                <Link to={`/coordinator/people/${p.id}`} className="font-semibold">
                  {p.name}
                </Link>
                <span className="block text-slate-600">{p.email}</span>
              </Td>
              <Td>
                <div className="flex flex-wrap gap-1">
                  {p.roles.map((r) => (
                    <Badge key={r} tone="brand">
                      {ROLE_LABELS[r]}
                    </Badge>
                  ))}
                </div>
              </Td>
              <Td>{p.organisations.map((o) => o.name).join(", ") || <span className="text-slate-500">—</span>}</Td>
              <Td>
                {p.is_active !== 1 ? (
                  <Badge tone="red">Deactivated</Badge>
                ) : p.has_password ? (
                  <Badge tone="green">Active</Badge>
                ) : (
                  <Badge tone="amber">Invited</Badge>
                )}
              </Td>
            </tr>
          ))}
        </DataTable>
      )}
    </>
  );
}
