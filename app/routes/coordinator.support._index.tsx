import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "#app/auth/guards.server.ts";
import { Button, ButtonLink } from "#app/components/button.tsx";
import { Badge, EmptyState, PageHeader } from "#app/components/layout.tsx";
import { getDb } from "#app/db.server.ts";
import type { SupportServiceView } from "#app/support/directory.ts";
import { moveSupportService, supportDirectory } from "#app/support/support.server.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { redirectWithFlash } from "#app/utils/flash.server.ts";
import { parseId } from "#app/utils/forms.server.ts";
import { readFormData } from "#app/utils/request-body.server.ts";

export const meta: MetaFunction = () => [{ title: "Support directory · NeverOK Training" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "manage:reference-data");
  return { services: await supportDirectory(getDb()) };
}

/** Moves one service up or down the list; the page comes back with what happened. */
export async function action({ request }: ActionFunctionArgs) {
  const actor = await requirePermission(request, "manage:reference-data");
  const formData = await readFormData(request);
  const intent = formData.get("intent");
  if (intent !== "up" && intent !== "down") throw data({ message: "We did not understand what you asked for." }, { status: 400 });
  const serviceId = parseId(String(formData.get("serviceId") ?? ""));
  if (!serviceId) throw data({ message: "We could not tell which service to move." }, { status: 400 });
  try {
    const { name } = await moveSupportService(getDb(), actor, serviceId, intent);
    return redirectWithFlash("/coordinator/support", { kind: "success", message: `Moved ${name} ${intent}.` });
  } catch (err) {
    if (err instanceof RuleViolation) return redirectWithFlash("/coordinator/support", { kind: "error", message: err.message });
    throw err;
  }
}

export default function SupportDirectoryPage() {
  const { services } = useLoaderData<typeof loader>();
  const urgent = services.filter((s) => s.urgent);
  const others = services.filter((s) => !s.urgent);
  return (
    <>
      <PageHeader
        title="Support directory"
        description="Where people can get support. It is shown on every feedback page, in the footer of every page (as below), and in the emails that ask for feedback or remind people of a session. Urgent services always come first."
        actions={<ButtonLink to="/coordinator/support/new">Add a service</ButtonLink>}
      />
      {services.length === 0 ? (
        <EmptyState>The directory is empty, so pages and emails only say to call 999 in an emergency. Add the services people can turn to.</EmptyState>
      ) : (
        <div className="space-y-8">
          <ServiceList title="Urgent services, shown first" services={urgent} />
          <ServiceList title="Other services" services={others} />
        </div>
      )}
    </>
  );
}

/** One group of the directory in its order, each service with the buttons that move it. */
function ServiceList({ title, services }: { title: string; services: SupportServiceView[] }) {
  if (!services.length) return null;
  const headingId = title.toLowerCase().replace(/\W+/g, "-");
  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId} className="mb-3 text-lg font-semibold text-slate-900">
        {title}
      </h2>
      <ol className="space-y-3">
        {services.map((s, i) => (
          <li key={s.id} className="flex flex-col gap-4 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200 sm:flex-row sm:items-start">
            <Form method="post" className="flex shrink-0 gap-1">
              <input type="hidden" name="serviceId" value={s.id} />
              <Button type="submit" name="intent" value="up" variant="secondary" className={MOVE} disabled={i === 0}>
                <span aria-hidden="true">↑</span>
                <span className="sr-only">Move {s.name} up</span>
              </Button>
              <Button type="submit" name="intent" value="down" variant="secondary" className={MOVE} disabled={i === services.length - 1}>
                <span aria-hidden="true">↓</span>
                <span className="sr-only">Move {s.name} down</span>
              </Button>
            </Form>
            <div className="min-w-0 flex-1">
              <p className="font-semibold">
                <Link to={`/coordinator/support/${s.id}`}>{s.name}</Link>
                {s.urgent ? (
                  <span className="ml-2">
                    <Badge tone="red">Urgent</Badge>
                  </span>
                ) : null}
              </p>
              <p className="mt-1 text-slate-800">{s.purpose}</p>
              <dl className="mt-2 grid gap-x-6 gap-y-1 text-sm sm:grid-cols-[auto_1fr]">
                {s.phoneHref ? (
                  <>
                    <dt className="font-semibold text-slate-700">Phone</dt>
                    <dd>
                      <a href={s.phoneHref}>{s.phone}</a>
                    </dd>
                  </>
                ) : null}
                {s.url ? (
                  <>
                    <dt className="font-semibold text-slate-700">Web</dt>
                    <dd className="break-all">
                      <a href={s.url} target="_blank" rel="noopener noreferrer">
                        {s.url}
                        <span className="sr-only"> (opens in a new tab)</span>
                      </a>
                    </dd>
                  </>
                ) : null}
                <dt className="font-semibold text-slate-700">Hours</dt>
                <dd>{s.hours ?? <span className="text-slate-600">Not given</span>}</dd>
              </dl>
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}

const MOVE = "px-3 disabled:opacity-40";
