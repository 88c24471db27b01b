import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireRole } from "#app/auth/guards.server.ts";
import { Badge, Card, EmptyState, PageHeader } from "#app/components/layout.tsx";
import { getDb } from "#app/db.server.ts";
import { getBookerOrganisations } from "#app/home/home.server.ts";
import { ORGANISATION_KIND_LABELS } from "#app/reference/schemas.ts";

export const meta: MetaFunction = () => [{ title: "My bookings · NeverOK Training" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "booker");
  const organisations = await getBookerOrganisations(getDb(), user.id);
  return { name: user.name, organisations };
}

export default function BookerHome() {
  const { name, organisations } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title={`Hello, ${name.split(" ")[0]}`}
        description="Book #NeverOK training for your group, follow each request to confirmation and see who attended."
      />
      <h2 className="mb-3 text-lg font-semibold text-slate-900">You book for</h2>
      {organisations.length === 0 ? (
        <EmptyState>You are not a member of any organisation yet. Ask the training coordinator to add you to yours.</EmptyState>
      ) : (
        <div className="grid gap-4 md:grid-cols-2">
          {organisations.map((o) => (
            <Card key={o.id}>
              <div className="flex items-start justify-between gap-3">
                <h3 className="text-lg font-semibold text-slate-900">{o.name}</h3>
                <Badge tone="brand">{ORGANISATION_KIND_LABELS[o.kind]}</Badge>
              </div>
              <dl className="mt-3 space-y-1 text-sm">
                {o.contact_name ? (
                  <div className="flex gap-2">
                    <dt className="text-slate-600">Main contact:</dt>
                    <dd className="text-slate-900">
                      {o.contact_name}
                      {o.contact_email ? ` · ${o.contact_email}` : ""}
                    </dd>
                  </div>
                ) : null}
                <div className="flex gap-2">
                  <dt className="text-slate-600">Bookers:</dt>
                  <dd className="text-slate-900">{o.members.join(", ")}</dd>
                </div>
              </dl>
            </Card>
          ))}
        </div>
      )}
      <Card title="Your requests and sessions" className="mt-6">
        <EmptyState>No requests yet. Requests you make for your organisations, and the sessions they become, are listed here.</EmptyState>
      </Card>
    </>
  );
}
