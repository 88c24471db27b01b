import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireRole } from "#app/auth/guards.server.ts";
import { Card, EmptyState, PageHeader } from "#app/components/layout.tsx";
import { getDb } from "#app/db.server.ts";
import { getPerson } from "#app/users/users.server.ts";

export const meta: MetaFunction = () => [{ title: "My sessions · NeverOK Training" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "trainer");
  const person = await getPerson(getDb(), user.id);
  return { name: user.name, qualifications: person?.qualifications ?? [] };
}

export default function TrainerHome() {
  const { name, qualifications } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader title={`Hello, ${name.split(" ")[0]}`} description="Your assignments, registers and feedback." />
      <div className="grid gap-6 lg:grid-cols-3">
        <Card title="Upcoming sessions" className="lg:col-span-2">
          <EmptyState>No sessions assigned to you yet. When the coordinator assigns you, the session appears here for you to accept.</EmptyState>
        </Card>
        <Card title="You deliver">
          {qualifications.length === 0 ? (
            <p className="text-slate-700">No courses yet. The coordinator records which courses you are qualified to deliver.</p>
          ) : (
            <ul className="space-y-2">
              {qualifications.map((c) => (
                <li key={c.id} className="text-slate-900">
                  {c.name}
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>
    </>
  );
}
