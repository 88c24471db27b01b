import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "#app/auth/guards.server.ts";
import { bookerStatus, RequestStatusBadge } from "#app/bookings/request-status.tsx";
import { bookerDashboard, type BookerRequestRow } from "#app/bookings/requests.server.ts";
import { ButtonLink } from "#app/components/button.tsx";
import { Pager } from "#app/components/pager.tsx";
import { Badge, Card, EmptyState, PageHeader } from "#app/components/layout.tsx";
import { getDb } from "#app/db.server.ts";
import { getBookerOrganisations } from "#app/home/home.server.ts";
import { ORGANISATION_KIND_LABELS } from "#app/reference/schemas.ts";
import { formatDateTime, formatRange } from "#app/utils/dates.ts";
import { PageParam } from "#app/utils/paging.ts";
import { plural, PEOPLE } from "#app/utils/plural.ts";

export const meta: MetaFunction = () => [{ title: "My bookings · NeverOK Training" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "booker");
  const db = getDb();
  const pastPage = PageParam.parse(new URL(request.url).searchParams.get("earlier") ?? undefined);
  const [organisations, { current, past, pastPage: page }] = await Promise.all([getBookerOrganisations(db, user.id), bookerDashboard(db, user, pastPage)]);
  return { name: user.name, organisations, current: current.map(booking), past: past.map(booking), page };
}

function booking(r: BookerRequestRow) {
  return {
    id: r.id,
    status: bookerStatus(r),
    courseName: r.courseName,
    organisationName: r.organisationName,
    groupSize: r.groupSize,
    session: r.session ? { when: formatRange(r.session.startsAt, r.session.endsAt), where: r.session.where || "Place to be confirmed" } : null,
    preferredTimes: r.preferredTimes.map((t) => formatDateTime(t)),
  };
}

type Booking = Awaited<ReturnType<typeof loader>>["current"][number];

function BookingItem({ booking }: { booking: Booking }) {
  return (
    <li className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200 sm:p-5">
      <div className="flex flex-wrap items-start justify-between gap-x-4 gap-y-2">
        <div className="min-w-0">
          <h3 className="text-base font-semibold">
            <Link to={`/booker/requests/${booking.id}`}>
              {booking.courseName}
              <span className="sr-only">
                {" "}
                for {booking.organisationName}, {booking.session ? booking.session.when : `requested, first choice ${booking.preferredTimes[0] ?? ""}`}
              </span>
            </Link>
          </h3>
          <p className="text-sm text-slate-700">
            {booking.organisationName} · {plural(booking.groupSize, PEOPLE)}
          </p>
        </div>
        <RequestStatusBadge status={booking.status} />
      </div>
      {booking.session ? (
        <p className="mt-3 text-sm text-slate-900">
          <span className="font-semibold">{booking.session.when}</span>
          <span className="block text-slate-700 sm:inline">
            <span className="hidden sm:inline"> · </span>
            {booking.session.where}
          </span>
        </p>
      ) : (
        <div className="mt-3 text-sm">
          <p className="text-slate-600">Preferred times</p>
          <ul className="mt-0.5 text-slate-900 sm:flex sm:flex-wrap sm:gap-x-4">
            {booking.preferredTimes.map((t) => (
              <li key={t}>{t}</li>
            ))}
          </ul>
        </div>
      )}
    </li>
  );
}

export default function BookerHome() {
  const { name, organisations, current, past, page } = useLoaderData<typeof loader>();
  const canBook = organisations.length > 0;
  return (
    <>
      <PageHeader
        title={`Hello, ${name.split(" ")[0]}`}
        description="Book #NeverOK training for your group and follow each request to confirmation."
        actions={
          canBook ? (
            <ButtonLink to="/booker/requests/new" className="px-5 text-base">
              Request a session
            </ButtonLink>
          ) : null
        }
      />
      <div className="grid gap-8 lg:grid-cols-3">
        <div className="space-y-8 lg:col-span-2">
          {current.length === 0 && page.total === 0 ? (
            <div className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center">
              <h2 className="text-lg font-semibold text-slate-900">No bookings yet</h2>
              <p className="mx-auto mt-2 max-w-md text-slate-700">
                {canBook
                  ? "Ask for a session for your group: choose a course, tell us how many people and give two or three times that suit you."
                  : "Once the training coordinator adds you to your organisation, you can request sessions here."}
              </p>
              {canBook ? (
                <ButtonLink to="/booker/requests/new" className="mt-5">
                  Request your first session
                </ButtonLink>
              ) : null}
            </div>
          ) : (
            <>
              <section aria-labelledby="current-heading">
                <h2 id="current-heading" className="mb-3 text-lg font-semibold text-slate-900">
                  Coming up and waiting
                </h2>
                {current.length === 0 ? (
                  <EmptyState>Nothing coming up. Request a session when your group is ready for the next one.</EmptyState>
                ) : (
                  <ul className="space-y-3">
                    {current.map((b) => (
                      <BookingItem key={b.id} booking={b} />
                    ))}
                  </ul>
                )}
              </section>
              {page.total ? (
                <section aria-labelledby="past-heading">
                  <h2 id="past-heading" className="mb-3 text-lg font-semibold text-slate-900">
                    Earlier requests
                  </h2>
                  <ul className="space-y-3">
                    {past.map((b) => (
                      <BookingItem key={b.id} booking={b} />
                    ))}
                  </ul>
                  <Pager page={page} noun="earlier requests" label="Earlier requests pages" param="earlier" />
                </section>
              ) : null}
            </>
          )}
        </div>

        <section aria-labelledby="organisations-heading">
          <h2 id="organisations-heading" className="mb-3 text-lg font-semibold text-slate-900">
            You book for
          </h2>
          {organisations.length === 0 ? (
            <EmptyState>You are not a member of any organisation yet. Ask the training coordinator to add you to yours.</EmptyState>
          ) : (
            <div className="space-y-4">
              {organisations.map((o) => (
                <Card key={o.id}>
                  <div className="flex items-start justify-between gap-3">
                    <h3 className="font-semibold text-slate-900">{o.name}</h3>
                    <Badge tone="brand">{ORGANISATION_KIND_LABELS[o.kind]}</Badge>
                  </div>
                  <dl className="mt-3 space-y-1 text-sm">
                    {o.contact_name ? (
                      <div>
                        <dt className="inline text-slate-600">Main contact: </dt>
                        <dd className="inline text-slate-900">
                          {o.contact_name}
                          {o.contact_email ? <span className="block break-all text-slate-700">{o.contact_email}</span> : null}
                        </dd>
                      </div>
                    ) : null}
                    <div>
                      <dt className="inline text-slate-600">Bookers: </dt>
                      <dd className="inline text-slate-900">{o.members.join(", ")}</dd>
                    </div>
                  </dl>
                </Card>
              ))}
            </div>
          )}
        </section>
      </div>
    </>
  );
}
