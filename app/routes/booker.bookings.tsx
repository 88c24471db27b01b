import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { notFound, requireRole } from "#app/auth/guards.server.ts";
import { BookingItem, bookingItem } from "#app/bookings/booking-item.tsx";
import { organisationHistory } from "#app/bookings/history.server.ts";
import { BOOKER_STATUS_LABELS } from "#app/bookings/request-status.tsx";
import { FilterBar, FilterSelect, recordOptions } from "#app/components/filters.tsx";
import { EmptyState, PageHeader } from "#app/components/layout.tsx";
import { Pager } from "#app/components/pager.tsx";
import { getDb } from "#app/db.server.ts";
import { RuleViolation } from "#app/utils/errors.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Booking history${data ? ` · ${data.organisation.name}` : ""} · NeverOK Training` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "booker");
  try {
    const history = await organisationHistory(getDb(), user, new URL(request.url).searchParams);
    return { ...history, bookings: history.bookings.map(bookingItem) };
  } catch (err) {
    // Another organisation's history is "not found": whether it exists is not ours to tell.
    if (err instanceof RuleViolation && err.field === "not_found") throw notFound(err.message);
    throw err;
  }
}

const STATUS_OPTIONS = Object.entries(BOOKER_STATUS_LABELS).map(([value, label]) => ({ value, label }));

export default function BookingHistoryPage() {
  const { organisations, organisation, status, bookings, page } = useLoaderData<typeof loader>();
  return (
    <>
      <p className="mb-2 text-sm">
        <Link to="/booker">← My bookings</Link>
      </p>
      <PageHeader title="Booking history" description={`Every booking of ${organisation.name}, by anyone who books for it: the latest first.`} />
      <FilterBar>
        {organisations.length > 1 ? (
          <FilterSelect
            name="organisation"
            label="Organisation"
            value={organisation.id}
            anyLabel="Choose an organisation"
            options={recordOptions(organisations)}
          />
        ) : (
          <input type="hidden" name="organisation" value={organisation.id} />
        )}
        <FilterSelect name="status" label="Status" value={status} anyLabel="Any status" options={STATUS_OPTIONS} />
      </FilterBar>
      {bookings.length === 0 ? (
        <EmptyState>
          {status ? `No ${BOOKER_STATUS_LABELS[status].toLowerCase()} bookings for ${organisation.name}.` : `${organisation.name} has no bookings yet.`}
        </EmptyState>
      ) : (
        <ul className="space-y-3">
          {bookings.map((b) => (
            <BookingItem key={b.id} booking={b} />
          ))}
        </ul>
      )}
      <Pager page={page} noun="bookings" label="Booking history pages" />
    </>
  );
}
