import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "#app/auth/guards.server.ts";
import { ButtonLink } from "#app/components/button.tsx";
import { DataTable, Td, Th } from "#app/components/data-table.tsx";
import { Badge, PageHeader } from "#app/components/layout.tsx";
import { getDb } from "#app/db.server.ts";
import { listCourses } from "#app/reference/reference.server.ts";
import { plural } from "#app/utils/plural.ts";

export const meta: MetaFunction = () => [{ title: "Courses · NeverOK Training" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "manage:reference-data");
  return { courses: await listCourses(getDb(), { includeArchived: true }) };
}

export default function CoursesPage() {
  const { courses } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title="Courses"
        description="What the campaign delivers: each course's length, group sizes and colour on the calendar."
        actions={<ButtonLink to="/coordinator/courses/new">Add a course</ButtonLink>}
      />
      <DataTable
        caption="Courses"
        head={
          <>
            <Th>Course</Th>
            <Th>Length</Th>
            <Th>Default group</Th>
            <Th>Maximum group</Th>
            <Th>Trainers</Th>
            <Th>Status</Th>
          </>
        }
      >
        {courses.map((c) => (
          <tr key={c.id}>
            <Td>
              <span className="flex items-center gap-3">
                <span aria-hidden="true" className="h-3 w-3 shrink-0 rounded-full" style={{ backgroundColor: c.colour }} />
                <Link to={`/coordinator/courses/${c.id}`} className="font-semibold">
                  {c.name}
                </Link>
              </span>
            </Td>
            <Td>{plural(c.duration_minutes, "minute")}</Td>
            <Td>{c.default_group_size}</Td>
            <Td>{c.max_group_size}</Td>
            <Td>{c.trainers_needed}</Td>
            <Td>{c.is_archived ? <Badge>Archived</Badge> : <Badge tone="green">Offered</Badge>}</Td>
          </tr>
        ))}
      </DataTable>
    </>
  );
}
