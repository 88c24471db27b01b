import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "#app/auth/guards.server.ts";
import { ButtonLink } from "#app/components/button.tsx";
import { DataTable, Td, Th } from "#app/components/data-table.tsx";
import { Badge, PageHeader } from "#app/components/layout.tsx";
import { getDb } from "#app/db.server.ts";
import { listRooms } from "#app/reference/reference.server.ts";
import { describeAccessSet, readAccessSet } from "#app/scheduling/room-access.ts";

export const meta: MetaFunction = () => [{ title: "Rooms · NeverOK Training" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "manage:reference-data");
  return { rooms: await listRooms(getDb(), { includeArchived: true }) };
}

export default function RoomsPage() {
  const { rooms } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title="Rooms"
        description="Campus rooms sessions can be held in. When scheduling, rooms that are free, big enough and meet the group's access needs are offered first."
        actions={<ButtonLink to="/coordinator/rooms/new">Add a room</ButtonLink>}
      />
      <DataTable
        caption="Rooms"
        head={
          <>
            <Th>Room</Th>
            <Th>Building</Th>
            <Th>Capacity</Th>
            <Th>Accessibility</Th>
            <Th>Status</Th>
          </>
        }
      >
        {rooms.map((r) => (
          <tr key={r.id}>
            <Td>
              <Link to={`/coordinator/rooms/${r.id}`} className="font-semibold">
                {r.name}
              </Link>
            </Td>
            <Td>{r.building}</Td>
            <Td>{r.capacity}</Td>
            <Td className="max-w-sm">
              {describeAccessSet(readAccessSet(r.access_features)) ?? <span className="text-slate-600">No access features recorded</span>}
              {r.accessibility_notes ? <span className="block text-sm text-slate-700">{r.accessibility_notes}</span> : null}
            </Td>
            <Td>{r.is_archived ? <Badge>Archived</Badge> : <Badge tone="green">In use</Badge>}</Td>
          </tr>
        ))}
      </DataTable>
    </>
  );
}
