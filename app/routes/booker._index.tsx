import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { BookingItem, bookingItem } from "#app/bookings/booking-item.tsx";
import { requireRole } from "#app/auth/guards.server.ts";
import { bookerDashboard } from "#app/bookings/requests.server.ts";
import { ButtonLink } from "#app/components/button.tsx";
import { Pager } from "#app/components/pager.tsx";
import { Badge, Card, EmptyState, PageHeader } from "#app/components/layout.tsx";
import { getDb } from "#app/db.server.ts";
import { getBookerOrganisations } from "#app/home/home.server.ts";
import { ORGANISATION_KIND_LABELS } from "#app/reference/schemas.ts";
import { formatDay } from "#app/utils/dates.ts";
import { ownVenueSummaries } from "#app/venues/coverage.server.ts";
import { PageParam } from "#app/utils/paging.ts";

export const meta: MetaFunction = () => [{ title: "My bookings · NeverOK Training" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "booker");
  const db = getDb();
  const pastPage = PageParam.parse(new URL(request.url).searchParams.get("earlier") ?? undefined);
  const [organisations, { current, past, pastPage: page }, staffLists] = await Promise.all([
    getBookerOrganisations(db, user.id),
    bookerDashboard(db, user, pastPage),
    ownVenueSummaries(db, user),
  ]);
  return { name: user.name, organisations, current: current.map(bookingItem), past: past.map(bookingItem), page, staffLists };
}

/** For a venue or staff team: how much of its staff is trained, and the way to the list. */
function StaffListLink({ staff }: { staff: Awaited<ReturnType<typeof loader>>["staffLists"][number] | undefined }) {
  if (!staff) return null;
  return (
    <p className="mt-3 border-t border-slate-100 pt-3 text-sm">
      <Link to={`/venues/${staff.id}`} className="font-semibold">
        Your staff's training
      </Link>
      <span className="block text-slate-700">
        {staff.counted === 0
          ? "Add your staff list to see who is trained."
          : `${staff.share}% trained (${staff.trained} of ${staff.counted}); ${staff.accredited ? `accredited${staff.accreditedUntil ? ` until ${formatDay(staff.accreditedUntil)}` : ""}` : "not accredited yet"}.`}
      </span>
    </p>
  );
}

export default function BookerHome() {
  const { name, organisations, current, past, page, staffLists } = useLoaderData<typeof loader>();
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
                  <StaffListLink staff={staffLists.find((s) => s.id === o.id)} />
                  <Link to={`/booker/bookings?organisation=${o.id}`} className="mt-3 inline-flex min-h-11 items-center text-sm font-semibold">
                    Booking history<span className="sr-only"> of {o.name}</span>
                  </Link>
                </Card>
              ))}
            </div>
          )}
        </section>
      </div>
    </>
  );
}
