import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { listAuditEvents } from "#app/audit/audit.server.ts";
import { requirePermission } from "#app/auth/guards.server.ts";
import { DataTable, Td, Th } from "#app/components/data-table.tsx";
import { PageHeader } from "#app/components/layout.tsx";
import { getDb } from "#app/db.server.ts";
import { formatDateTime } from "#app/utils/dates.ts";

export const meta: MetaFunction = () => [{ title: "Audit log · NeverOK Training" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "read:audit");
  return { events: await listAuditEvents(getDb(), { limit: 200 }) };
}

export default function AuditPage() {
  const { events } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader title="Audit log" description="Who changed what, and when: the latest 200 changes." />
      <DataTable
        caption="Audit log, newest first"
        head={
          <>
            <Th>When</Th>
            <Th>Who</Th>
            <Th>What</Th>
          </>
        }
      >
        {events.map((e) => (
          <tr key={e.id}>
            <Td className="whitespace-nowrap">{formatDateTime(e.created_at)}</Td>
            <Td>{e.actor_name ?? <span className="text-slate-600">System</span>}</Td>
            <Td>
              {e.summary}
              <span className="block font-mono text-xs text-slate-600">{e.action}</span>
            </Td>
          </tr>
        ))}
      </DataTable>
    </>
  );
}
