import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireRole } from "#app/auth/guards.server.ts";
import { Card, EmptyState, PageHeader } from "#app/components/layout.tsx";
import { getDb } from "#app/db.server.ts";
import { listCourses } from "#app/reference/reference.server.ts";

export const meta: MetaFunction = () => [{ title: "My sessions · NeverOK Training" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "trainer");
  const courses = await listCourses(getDb());
  return { name: user.name, courses: courses.map((c) => ({ id: c.id, name: c.name, duration: c.duration_minutes, colour: c.colour })) };
}

export default function TrainerHome() {
  const { name, courses } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader title={`Hello, ${name.split(" ")[0]}`} description="Your assignments, registers and feedback." />
      <div className="grid gap-6 lg:grid-cols-3">
        <Card title="Upcoming sessions" className="lg:col-span-2">
          <EmptyState>No sessions assigned to you yet. When the coordinator assigns you, the session appears here for you to accept.</EmptyState>
        </Card>
        <Card title="The campaign's courses">
          <ul className="space-y-2">
            {courses.map((c) => (
              <li key={c.id} className="flex items-center gap-3">
                <span aria-hidden="true" className="h-3 w-3 rounded-full" style={{ backgroundColor: c.colour }} />
                <span className="text-slate-900">{c.name}</span>
                <span className="ml-auto text-sm text-slate-600">{c.duration} min</span>
              </li>
            ))}
          </ul>
        </Card>
      </div>
    </>
  );
}
