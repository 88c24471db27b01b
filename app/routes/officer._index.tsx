import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireRole } from "#app/auth/guards.server.ts";
import { Card, EmptyState, PageHeader } from "#app/components/layout.tsx";
import { getDb } from "#app/db.server.ts";
import { listLeaderProgrammes } from "#app/home/home.server.ts";

export const meta: MetaFunction = () => [{ title: "Leader training · NeverOK Training" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "officer");
  return { name: user.name, programmes: await listLeaderProgrammes(getDb()) };
}

export default function OfficerHome() {
  const { name, programmes } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title={`Hello, ${name.split(" ")[0]}`}
        description="Active Bystander training is part of the mandatory induction for every student leader. Check who has done it and chase who has not."
      />
      <Card title="Student-leader programmes">
        {programmes.length === 0 ? (
          <EmptyState>No leader programmes yet.</EmptyState>
        ) : (
          <ul className="divide-y divide-slate-100">
            {programmes.map((p) => (
              <li key={p.id} className="flex flex-col gap-1 py-3 sm:flex-row sm:justify-between">
                <span className="font-medium text-slate-900">{p.name}</span>
                <span className="text-sm text-slate-600">{p.contact_name ? `Contact: ${p.contact_name}` : "No contact set"}</span>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </>
  );
}
