import { plural, PEOPLE } from "#app/utils/plural.ts";
import { Link } from "@remix-run/react";
import { formatDateTime, formatRange } from "#app/utils/dates.ts";
import { bookerStatus, RequestStatusBadge } from "./request-status.tsx";
import type { BookerRequestRow } from "./requests.server.ts";

/** What a list of bookings shows of one. */
export function bookingItem(r: BookerRequestRow) {
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

type Booking = ReturnType<typeof bookingItem>;

/** One booking in a list: the course, for whom, its status, and when (or the times asked for). */
export function BookingItem({ booking }: { booking: Booking }) {
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
