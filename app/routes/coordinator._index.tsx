import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { listAuditEvents } from "#app/audit/audit.server.ts";
import { requireRole } from "#app/auth/guards.server.ts";
import { ROLE_LABELS } from "#app/auth/permissions.ts";
import { ButtonLink } from "#app/components/button.tsx";
import { Card, PageHeader, StatCard } from "#app/components/layout.tsx";
import { getDb } from "#app/db.server.ts";
import { getCoordinatorOverview } from "#app/home/home.server.ts";
import { countRequestQueue, listSessionsInRange, listSessionsNeedingTrainers } from "#app/scheduling/queries.server.ts";
import { formatRange } from "#app/utils/dates.ts";
import { addMs, DAY, now } from "#app/utils/time.ts";
import { ORGANISATION_KIND_LABELS } from "#app/reference/schemas.ts";
import { formatDateTime } from "#app/utils/dates.ts";
import { ROLES } from "#db/schema.ts";
import { plural } from "#app/utils/plural.ts";

export const meta: MetaFunction = () => [{ title: "Overview · NeverOK Training" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "coordinator");
  const db = getDb();
  const at = now();
  const [overview, recent, queue, needTrainers, upcoming] = await Promise.all([
    getCoordinatorOverview(db),
    listAuditEvents(db, { limit: 8 }),
    countRequestQueue(db),
    listSessionsNeedingTrainers(db),
    listSessionsInRange(db, { start: at, end: addMs(at, 7 * DAY) }),
  ]);
  return { name: user.name, overview, recent, waiting: queue, needTrainers: needTrainers.length, upcoming };
}

export default function CoordinatorHome() {
  const { name, overview, recent, waiting, needTrainers, upcoming } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title={`Hello, ${name.split(" ")[0]}`}
        description="The campaign's training at a glance: people, organisations, courses, rooms and mail."
        actions={
          <>
            <ButtonLink to="/coordinator/people/new">Invite someone</ButtonLink>
            <ButtonLink to="/coordinator/organisations/new" variant="secondary">
              Add an organisation
            </ButtonLink>
          </>
        }
      />
      <div className="mb-4 grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        <StatCard label="Requests to schedule" value={waiting} hint="oldest first in the queue" to="/coordinator/requests" />
        <StatCard label="Sessions needing trainers" value={needTrainers} to="/coordinator/requests" />
        <StatCard label="Sessions in the next 7 days" value={upcoming.length} to="/coordinator/calendar" />
      </div>
      {upcoming.length ? (
        <Card title="Coming up this week" className="mb-6">
          <ul className="divide-y divide-slate-100">
            {upcoming.map((s) => (
              <li key={s.id} className="flex flex-col gap-1 py-2 sm:flex-row sm:justify-between">
                <Link to={`/coordinator/sessions/${s.id}`} className="font-medium">
                  {s.courseName}
                  {s.organisationName ? ` for ${s.organisationName}` : ""}
                </Link>
                <span className="text-sm text-slate-700">
                  {formatRange(s.startsAt, s.endsAt)} · {s.trainers.map((t) => t.name).join(", ") || "no trainer yet"}
                </span>
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <StatCard label="Trainers" value={overview.byRole.trainer ?? 0} to="/coordinator/people?role=trainer" />
        <StatCard label="Organisations" value={overview.organisations} hint="departments, clubs, programmes, venues" to="/coordinator/organisations" />
        <StatCard label="Courses" value={overview.courses} to="/coordinator/courses" />
        <StatCard label="Rooms" value={overview.rooms} to="/coordinator/rooms" />
      </div>
      <div className="mt-6 grid gap-6 lg:grid-cols-3">
        <Card title="People by role">
          <dl className="divide-y divide-slate-100">
            {ROLES.map((r) => (
              <div key={r} className="flex justify-between py-2">
                <dt className="text-slate-700">{ROLE_LABELS[r]}s</dt>
                <dd className="font-semibold">{overview.byRole[r] ?? 0}</dd>
              </div>
            ))}
          </dl>
          {overview.pendingInvites > 0 ? (
            <p className="mt-3 text-sm text-amber-900">
              {plural(overview.pendingInvites, { one: "invited person has", other: "invited people have" })} not chosen a password yet.
            </p>
          ) : null}
        </Card>
        <Card title="Organisations by kind">
          <dl className="divide-y divide-slate-100">
            {Object.entries(ORGANISATION_KIND_LABELS).map(([kind, label]) => (
              <div key={kind} className="flex justify-between py-2">
                <dt className="text-slate-700">{label}</dt>
                <dd className="font-semibold">{overview.byKind[kind as keyof typeof overview.byKind] ?? 0}</dd>
              </div>
            ))}
          </dl>
        </Card>
        <Card title="Mail" actions={<Link to="/coordinator/outbox">Open the outbox</Link>}>
          <dl className="divide-y divide-slate-100">
            <div className="flex justify-between py-2">
              <dt className="text-slate-700">Kept in the local outbox</dt>
              <dd className="font-semibold">{overview.mail.held}</dd>
            </div>
            <div className="flex justify-between py-2">
              <dt className="text-slate-700">Waiting to be delivered</dt>
              <dd className="font-semibold">{overview.mail.pending}</dd>
            </div>
            <div className="flex justify-between py-2">
              <dt className="text-slate-700">Delivered</dt>
              <dd className="font-semibold">{overview.mail.sent}</dd>
            </div>
            <div className="flex justify-between py-2">
              <dt className={overview.mail.failed ? "font-semibold text-red-800" : "text-slate-700"}>Failed</dt>
              <dd className="font-semibold">{overview.mail.failed}</dd>
            </div>
          </dl>
        </Card>
      </div>
      <Card title="Recent changes" className="mt-6" actions={<Link to="/coordinator/audit">Full audit log</Link>}>
        {recent.length === 0 ? (
          <p className="text-slate-600">Nothing has changed yet.</p>
        ) : (
          <ul className="divide-y divide-slate-100">
            {recent.map((e) => (
              <li key={e.id} className="flex flex-col gap-1 py-2 sm:flex-row sm:justify-between">
                <span className="text-slate-800">{e.summary}</span>
                <time dateTime={e.created_at} className="shrink-0 text-sm text-slate-600">
                  {formatDateTime(e.created_at)}
                </time>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </>
  );
}
