import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "#app/auth/guards.server.ts";
import { ROLE_LABELS } from "#app/auth/permissions.ts";
import { ButtonLink } from "#app/components/button.tsx";
import { FilterBar, FilterSearch, FilterSelect } from "#app/components/filters.tsx";
import { DataTable, Td, Th } from "#app/components/data-table.tsx";
import { Badge, EmptyState, PageHeader } from "#app/components/layout.tsx";
import { Pager } from "#app/components/pager.tsx";
import { getDb } from "#app/db.server.ts";
import { PeopleFilterSchema } from "#app/users/schemas.ts";
import { describeLimit } from "#app/trainers/weekly-limit.ts";
import { countPeople, listPeople } from "#app/users/users.server.ts";
import { pageWindow } from "#app/utils/paging.ts";
import { ROLES } from "#db/schema.ts";

export const meta: MetaFunction = () => [{ title: "People · NeverOK Training" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "manage:users");
  const url = new URL(request.url);
  const filter = PeopleFilterSchema.parse(Object.fromEntries(url.searchParams));
  const db = getDb();
  const where = { search: filter.q, role: filter.role };
  const page = pageWindow(await countPeople(db, where), filter.page);
  const people = page.total ? await listPeople(db, { ...where, limit: page.size, offset: page.offset }) : [];
  return { people, page, filter };
}

export default function PeoplePage() {
  const { people, page, filter } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title="People"
        description="Everyone with an account: coordinators, trainers, bookers and union officers. Attendees do not need one."
        actions={<ButtonLink to="/coordinator/people/new">Invite someone</ButtonLink>}
      />
      <FilterBar>
        <FilterSearch name="q" label="Search by name or email" value={filter.q} />
        <FilterSelect name="role" label="Role" value={filter.role} anyLabel="Any role" options={ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))} />
      </FilterBar>
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
              <Th>Weekly limit</Th>
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
              <Td>{p.weeklyLimit ? describeLimit(p.weeklyLimit) : <span className="text-slate-500">—</span>}</Td>
              <Td>
                {p.is_active !== 1 ? (
                  <Badge tone="red">Deactivated</Badge>
                ) : p.has_password ? (
                  <Badge tone="green">Active</Badge>
                ) : p.signsInThrough.length ? (
                  <Badge tone="green">Signs in through {p.signsInThrough.join(" and ")}</Badge>
                ) : (
                  <Badge tone="amber">Invited</Badge>
                )}
              </Td>
            </tr>
          ))}
        </DataTable>
      )}
      {page.total ? <Pager page={page} noun="people" /> : null}
    </>
  );
}
