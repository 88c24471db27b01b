import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "#app/auth/guards.server.ts";
import { AUDIENCE_LABELS } from "#app/bookings/schemas.ts";
import { ButtonLink } from "#app/components/button.tsx";
import { Badge, Card, EmptyState, PageHeader } from "#app/components/layout.tsx";
import { getDb } from "#app/db.server.ts";
import { Pager } from "#app/components/pager.tsx";
import { countRequestQueue, listRequestQueue, listSessionsNeedingTrainers } from "#app/scheduling/queries.server.ts";
import { listChangeQueue } from "#app/bookings/changes.server.ts";
import { describeAccessSet } from "#app/scheduling/room-access.ts";
import { PageParam, pageWindow } from "#app/utils/paging.ts";
import { formatDateTime, formatRange, formatRelative } from "#app/utils/dates.ts";
import { nowIso } from "#app/utils/time.ts";
import { countOf, plural, PEOPLE } from "#app/utils/plural.ts";

export const meta: MetaFunction = () => [{ title: "Queue · NeverOK Training" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "coordinator");
  const db = getDb();
  const [waiting, needTrainers, changes] = await Promise.all([countRequestQueue(db), listSessionsNeedingTrainers(db), listChangeQueue(db)]);
  const page = pageWindow(waiting, PageParam.parse(new URL(request.url).searchParams.get("page") ?? undefined), QUEUE_PAGE_SIZE);
  const rows = waiting ? await listRequestQueue(db, { limit: page.size, offset: page.offset }) : [];
  // Only what the cards show travels to the page (not, for one, the booker's email).
  const requests = rows.map((r) => ({
    id: r.id,
    course_name: r.course_name,
    course_colour: r.course_colour,
    organisation_name: r.organisation_name,
    group_size: r.group_size,
    audience: r.audience,
    location_kind: r.location_kind,
    address: r.address,
    booker_name: r.booker_name,
    created_at: r.created_at,
    preferredTimes: r.preferredTimes,
    access: [describeAccessSet(r.access_needs), r.accessibility_needs].filter(Boolean).join("; ") || null,
    notes: r.notes,
  }));
  return { requests, page, needTrainers, changes, now: nowIso() };
}

/** Requests are long cards: a page of them at a time, oldest first, so the oldest is never lost below the fold. */
const QUEUE_PAGE_SIZE = 25;

export default function QueuePage() {
  const { requests, page, needTrainers, changes, now } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title="Queue"
        description="Requests waiting to be scheduled, oldest first, changes bookers have asked for, and sessions that still need trainers."
      />
      <section aria-labelledby="requests-heading" className="mb-10">
        <h2 id="requests-heading" className="mb-3 text-xl font-semibold text-slate-900">
          Requests to schedule <span className="text-slate-600">({page.total.toLocaleString("en-GB")})</span>
        </h2>
        {requests.length === 0 ? (
          <EmptyState>No requests are waiting. New ones appear here and you get an email.</EmptyState>
        ) : (
          <>
            <ol className="space-y-4" start={page.first}>
              {requests.map((r) => (
                <li key={r.id}>
                  <Card>
                    <div className="flex flex-col gap-4 lg:flex-row lg:items-start lg:justify-between">
                      <div className="min-w-0">
                        <h3 className="flex flex-wrap items-center gap-2 text-lg font-semibold text-slate-900">
                          <span aria-hidden="true" className="h-3 w-3 rounded-full" style={{ backgroundColor: r.course_colour }} />
                          {r.course_name} for {r.organisation_name}
                        </h3>
                        <p className="mt-1 text-sm text-slate-700">
                          {plural(r.group_size, PEOPLE)} · {AUDIENCE_LABELS[r.audience]} ·{" "}
                          {r.location_kind === "campus" ? "needs a campus room" : `at ${r.address}`} · asked by {r.booker_name}{" "}
                          {formatRelative(r.created_at, new Date(now))}
                        </p>
                        <p className="mt-2 text-sm font-medium text-slate-900">Preferred: {r.preferredTimes.map((t) => formatDateTime(t)).join(" · ")}</p>
                        {r.access ? <p className="mt-2 text-sm text-slate-800">Access: {r.access}</p> : null}
                        {r.notes ? <p className="mt-1 text-sm text-slate-700">Notes: {r.notes}</p> : null}
                      </div>
                      <ButtonLink to={`/coordinator/requests/${r.id}`} className="shrink-0">
                        Schedule or decline
                      </ButtonLink>
                    </div>
                  </Card>
                </li>
              ))}
            </ol>
            {page.pages > 1 ? <Pager page={page} noun="requests" label="Request pages" /> : null}
          </>
        )}
      </section>
      <section aria-labelledby="changes-heading" className="mb-10">
        <h2 id="changes-heading" className="mb-3 text-xl font-semibold text-slate-900">
          Changes asked for <span className="text-slate-600">({changes.length})</span>
        </h2>
        {changes.length === 0 ? (
          <EmptyState>No booker is waiting for an answer to a change. New ones appear here and you get an email.</EmptyState>
        ) : (
          <ol className="space-y-4">
            {changes.map((c) => (
              <li key={c.id}>
                <Card>
                  <div className="flex flex-col gap-4 lg:flex-row lg:items-start lg:justify-between">
                    <div className="min-w-0">
                      <h3 className="flex flex-wrap items-center gap-2 text-lg font-semibold text-slate-900">
                        <span aria-hidden="true" className="h-3 w-3 rounded-full" style={{ backgroundColor: c.course_colour }} />
                        {c.course_name} for {c.organisation_name}
                      </h3>
                      <p className="mt-1 text-sm text-slate-700">
                        Now {formatRange(c.starts_at, c.ends_at)} · asked by {c.booker_name} {formatRelative(c.created_at, new Date(now))}
                      </p>
                      <ul className="mt-2 space-y-0.5 text-sm text-slate-900">
                        {c.preferred_starts_at ? <li className="font-medium">New time: {formatDateTime(c.preferred_starts_at)}</li> : null}
                        {c.group_size !== null ? (
                          <li className="font-medium">
                            New numbers: {c.group_size} (was {c.booked_size})
                          </li>
                        ) : null}
                        {c.accessibility_needs ? <li>Access: {c.accessibility_needs}</li> : null}
                        {c.message ? <li className="text-slate-700">Message: {c.message}</li> : null}
                      </ul>
                    </div>
                    <ButtonLink to={`/coordinator/sessions/${c.session_id}`} className="shrink-0">
                      Accept or decline
                      <span className="sr-only">
                        {" "}
                        the change to {c.course_name} for {c.organisation_name}
                      </span>
                    </ButtonLink>
                  </div>
                </Card>
              </li>
            ))}
          </ol>
        )}
      </section>
      <section aria-labelledby="trainers-heading">
        <h2 id="trainers-heading" className="mb-3 text-xl font-semibold text-slate-900">
          Sessions that need trainers <span className="text-slate-600">({needTrainers.length})</span>
        </h2>
        {needTrainers.length === 0 ? (
          <EmptyState>Every upcoming session has its trainers.</EmptyState>
        ) : (
          <ul className="divide-y divide-slate-100 rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
            {needTrainers.map((s) => (
              <li key={s.id} className="flex flex-col gap-2 p-4 sm:flex-row sm:items-center sm:justify-between">
                <div>
                  <Link to={`/coordinator/sessions/${s.id}`} className="font-semibold">
                    {s.course_name}
                    {s.organisation_name ? ` for ${s.organisation_name}` : ""}
                  </Link>
                  <p className="text-sm text-slate-700">{formatRange(s.starts_at, s.ends_at)}</p>
                </div>
                <Badge tone="amber">{countOf(Number(s.trainer_count), s.trainers_needed, "trainer")}</Badge>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
