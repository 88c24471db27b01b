import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import type { CSSProperties } from "react";
import { requireRole } from "#app/auth/guards.server.ts";
import { Button, ButtonLink } from "#app/components/button.tsx";
import { filterControlClass, FilterSelect, recordOptions } from "#app/components/filters.tsx";
import { PageHeader } from "#app/components/layout.tsx";
import { LinkList } from "#app/components/link-list.tsx";
import { getDb } from "#app/db.server.ts";
import { calendarGrid, calendarHref, groupByLondonDay, parseCalendarQuery, type CalendarQuery, type GridDay } from "#app/scheduling/calendar-grid.ts";
import { coordinatorCalendar, type CalendarEntry, type MonthEntry } from "#app/scheduling/queries.server.ts";
import { activeTrainerCount, trainersMissing } from "#app/scheduling/staffing.ts";
import { formatDay, formatLongDay, formatMonth, formatTime, londonDateOf, londonWallTimeToUtc } from "#app/utils/dates.ts";
import { now } from "#app/utils/time.ts";
import { plural } from "#app/utils/plural.ts";

export const meta: MetaFunction = () => [{ title: "Calendar · NeverOK Training" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "coordinator");
  const today = londonDateOf(now());
  const query = parseCalendarQuery(new URL(request.url).searchParams, today);
  return { today, query, ...(await coordinatorCalendar(getDb(), query)) };
}

const noon = (date: string) => londonWallTimeToUtc(date, "12:00");

/** A light tint of the course colour, so dark text reads well on any colour a coordinator picks. */
function courseStyle(colour: string): CSSProperties {
  const match = /^#([0-9a-f]{6})$/i.exec(colour);
  if (!match) return { borderLeftColor: "#64748b", backgroundColor: "#f8fafc" };
  const n = parseInt(match[1]!, 16);
  const mix = (c: number) => Math.round(255 - (255 - c) * 0.14);
  return { borderLeftColor: colour, backgroundColor: `rgb(${mix(n >> 16)}, ${mix((n >> 8) & 255)}, ${mix(n & 255)})` };
}

const sessionHref = (e: { id: number }) => `/coordinator/sessions/${e.id}`;

export default function CalendarPage() {
  const { today, query, organisationLabel, count, short, entries, monthEntries, more, courses, trainers, closures } = useLoaderData<typeof loader>();
  const grid = calendarGrid(query.view, query.date);
  const noun = query.view;
  const title = query.view === "week" ? `${formatDay(noon(grid.periodFirst))} – ${formatDay(noon(grid.periodLast))}` : formatMonth(noon(grid.periodFirst));
  const filtered = Boolean(query.courseId || query.trainerId || query.organisationId || query.organisationName);
  const filterCount = [query.courseId, query.trainerId, query.organisationId || query.organisationName, query.includeCancelled].filter(Boolean).length;

  return (
    <>
      <PageHeader
        title="Calendar"
        description="Every session, in UK time. Choose a session to see its details, change it or assign trainers."
        actions={
          <nav aria-label="Calendar view" className="inline-flex rounded-md bg-white p-1 ring-1 ring-inset ring-slate-300">
            {(["week", "month"] as const).map((view) => (
              <Link
                key={view}
                to={calendarHref(query, { view })}
                aria-current={query.view === view ? "page" : undefined}
                className="inline-flex min-h-10 min-w-20 items-center justify-center rounded px-4 text-sm font-semibold text-slate-800 no-underline hover:bg-slate-100 hover:no-underline aria-[current=page]:bg-brand-700 aria-[current=page]:text-white"
              >
                {view === "week" ? "Week" : "Month"}
              </Link>
            ))}
          </nav>
        }
      />

      {/* The same filters twice: folded away on a phone, where they would push the calendar off the screen, and always open on wider screens. */}
      <details open={filterCount > 0} className="group mb-4 rounded-lg bg-white shadow-sm ring-1 ring-slate-200 sm:hidden">
        <summary className="flex min-h-11 cursor-pointer items-center justify-between gap-2 px-4 py-2 text-sm font-semibold text-slate-900">
          <span>
            Filters
            {filterCount > 0 ? <span className="ml-2 font-normal text-slate-700">({filterCount} on)</span> : null}
          </span>
          <span aria-hidden="true" className="transition-transform group-open:rotate-180">
            ▾
          </span>
        </summary>
        <div className="border-t border-slate-200 p-4">
          <FilterForm idPrefix="phone-" query={query} courses={courses} trainers={trainers} organisationLabel={organisationLabel} />
        </div>
      </details>
      <div className="mb-6 hidden rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200 sm:block">
        <FilterForm idPrefix="" query={query} courses={courses} trainers={trainers} organisationLabel={organisationLabel} />
      </div>

      <div className="mb-4 flex flex-col gap-3 lg:flex-row lg:items-center lg:justify-between">
        <div>
          <h2 className="text-xl font-bold text-slate-900">{title}</h2>
          <p className="mt-0.5 text-sm text-slate-700">
            {count === 0 ? `No sessions this ${noun}${filtered ? " matching the filters" : ""}.` : `${plural(count, "session")} this ${noun}.`}
            {short > 0 ? <span className="ml-1 font-semibold text-amber-900">{plural(short, { one: "needs", other: "need" })} more trainers.</span> : null}
          </p>
        </div>
        <nav aria-label={`Choose the ${noun}`} className="grid grid-cols-3 gap-2 sm:flex">
          <ButtonLink to={calendarHref(query, { date: grid.previous })} variant="secondary" className="px-3" preventScrollReset>
            <span aria-hidden="true">←</span>
            <span>
              Previous<span className="sr-only sm:not-sr-only"> {noun}</span>
            </span>
          </ButtonLink>
          <ButtonLink to={calendarHref(query, { date: today })} variant="secondary" className="px-3" preventScrollReset>
            Today
          </ButtonLink>
          <ButtonLink to={calendarHref(query, { date: grid.next })} variant="secondary" className="px-3" preventScrollReset>
            <span>
              Next<span className="sr-only sm:not-sr-only"> {noun}</span>
            </span>
            <span aria-hidden="true">→</span>
          </ButtonLink>
        </nav>
      </div>

      {query.view === "week" ? (
        <WeekView days={grid.days} byDay={groupByLondonDay(entries, grid.days)} today={today} closures={closures} />
      ) : (
        <MonthView days={grid.days} byDay={groupByLondonDay(monthEntries, grid.days)} more={more} today={today} query={query} closures={closures} />
      )}
    </>
  );
}

function FilterForm({
  idPrefix,
  query,
  courses,
  trainers,
  organisationLabel,
}: {
  idPrefix: string;
  query: CalendarQuery;
  courses: { id: number; name: string }[];
  trainers: { id: number; name: string }[];
  organisationLabel: string;
}) {
  const active = Boolean(query.courseId || query.trainerId || query.organisationId || query.organisationName || query.includeCancelled);
  // Remounts when the filters in the address change (Clear filters, back button), so the fields show them.
  const key = [query.courseId, query.trainerId, query.organisationId, query.organisationName, query.includeCancelled].join("-");
  return (
    <Form key={key} method="get" role="search" aria-label="Filter the calendar">
      <input type="hidden" name="view" value={query.view} />
      <input type="hidden" name="date" value={query.date} />
      <div className="grid gap-4 md:grid-cols-3">
        <FilterSelect
          id={`${idPrefix}filter-course`}
          name="course"
          label="Course"
          anyLabel="All courses"
          value={query.courseId}
          options={recordOptions(courses)}
        />
        <FilterSelect
          id={`${idPrefix}filter-trainer`}
          name="trainer"
          label="Trainer"
          anyLabel="All trainers"
          value={query.trainerId}
          options={recordOptions(trainers)}
        />
        <div>
          <label htmlFor={`${idPrefix}filter-org`} className="block text-sm font-semibold text-slate-900">
            Organisation
          </label>
          <input
            id={`${idPrefix}filter-org`}
            name="org"
            type="search"
            defaultValue={organisationLabel}
            aria-describedby={`${idPrefix}filter-org-hint`}
            className={filterControlClass}
          />
          <p id={`${idPrefix}filter-org-hint`} className="mt-1 text-xs text-slate-700">
            All or part of its name
          </p>
        </div>
      </div>
      <div className="mt-4 flex flex-wrap items-center gap-x-6 gap-y-3">
        <label htmlFor={`${idPrefix}filter-cancelled`} className="flex min-h-11 cursor-pointer items-center gap-3 text-sm font-medium text-slate-900">
          <input
            id={`${idPrefix}filter-cancelled`}
            name="cancelled"
            type="checkbox"
            value="1"
            defaultChecked={query.includeCancelled}
            className="h-5 w-5 accent-brand-700"
          />
          Show cancelled sessions
        </label>
        <Button type="submit" variant="secondary">
          Apply filters
        </Button>
        {active ? (
          <Link to={calendarHref({ view: query.view, date: query.date, includeCancelled: false })} className="text-sm font-semibold">
            Clear filters
          </Link>
        ) : null}
      </div>
    </Form>
  );
}

function TodayMarker({ day, today }: { day: GridDay; today: string }) {
  return day.date === today ? <span className="rounded-full bg-brand-700 px-2 py-0.5 text-xs font-semibold text-white">Today</span> : null;
}

/** A closed day says why, so nobody offers it to a booker. */
function ClosedMarker({ name }: { name: string | undefined }) {
  if (!name) return null;
  return <span className="closure-marker">Closed: {name}</span>;
}

/** Seven columns on a wide screen; a list of days, one under another, on a phone. */
function WeekView({ days, byDay, today, closures }: { days: GridDay[]; byDay: Map<string, CalendarEntry[]>; today: string; closures: Record<string, string> }) {
  return (
    <ol className="grid grid-cols-1 gap-3 lg:grid-cols-7 lg:gap-2">
      {days.map((day) => {
        const list = byDay.get(day.date) ?? [];
        return (
          <li
            key={day.date}
            aria-current={day.date === today ? "date" : undefined}
            className="flex flex-col rounded-lg bg-white shadow-sm ring-1 ring-slate-200 aria-[current=date]:ring-2 aria-[current=date]:ring-brand-700 lg:min-h-64"
          >
            <h3 className="flex flex-wrap items-center gap-x-2 gap-y-1 border-b border-slate-200 px-3 py-2 text-sm font-semibold text-slate-900">
              {formatDay(noon(day.date))}
              <TodayMarker day={day} today={today} />
              <ClosedMarker name={closures[day.date]} />
            </h3>
            {list.length === 0 ? (
              <p className="px-3 py-2 text-sm text-slate-600">No sessions</p>
            ) : (
              <ul className="grid gap-2 p-2 sm:grid-cols-2 lg:grid-cols-1 lg:p-1 xl:p-2">
                {list.map((entry) => (
                  <li key={entry.id}>
                    <SessionBlock entry={entry} />
                  </li>
                ))}
              </ul>
            )}
          </li>
        );
      })}
    </ol>
  );
}

function TrainerLine({ entry }: { entry: CalendarEntry }) {
  const names = entry.trainers.map((t) => t.name).join(", ");
  const missing = trainersMissing(entry, activeTrainerCount(entry.trainers));
  return (
    <>
      <span className="mt-1 block text-slate-800">
        <span className="sr-only">Trainers: </span>
        {names || <span className="italic text-slate-700">No trainer yet</span>}
      </span>
      {missing > 0 ? (
        <span className="mt-1 flex items-start gap-1 font-semibold text-amber-900">
          <span aria-hidden="true">⚠</span>
          <span>Needs {plural(missing, "more trainer")}</span>
        </span>
      ) : null}
    </>
  );
}

function StatusNote({ entry }: { entry: CalendarEntry }) {
  if (entry.status === "cancelled") return <span className="block text-xs font-bold uppercase tracking-wide text-red-800">Cancelled</span>;
  if (entry.status === "delivered") return <span className="block text-xs font-bold uppercase tracking-wide text-green-900">Delivered</span>;
  return null;
}

/** The look every session shares lives in one stylesheet class (tailwind.css), so a busy week is not the same long class list a hundred times. */
function blockClass(entry: Pick<CalendarEntry, "status">, extra: string) {
  return `session-block ${entry.status === "cancelled" ? "session-cancelled " : ""}${extra}`;
}

function SessionBlock({ entry }: { entry: CalendarEntry }) {
  return (
    <Link to={sessionHref(entry)} className={blockClass(entry, "session-full")} style={courseStyle(entry.colour)}>
      <StatusNote entry={entry} />
      <span className="block font-semibold whitespace-nowrap tabular-nums">
        {formatTime(entry.startsAt)}–{formatTime(entry.endsAt)}
      </span>
      <span className="course block font-semibold break-words">{entry.courseName}</span>
      <span className="block break-words text-slate-800">{entry.organisationName ?? "Open sign-up"}</span>
      {entry.where ? <span className="block break-words text-slate-800">{entry.where}</span> : null}
      <TrainerLine entry={entry} />
    </Link>
  );
}

/** Time and course on one line on a phone or a wide screen; on two lines in a tablet's narrow cells. */
function CompactEntry({ entry }: { entry: MonthEntry }) {
  const short = entry.short;
  return (
    <li>
      <a
        href={sessionHref(entry)}
        className={blockClass(entry, "session-compact")}
        style={courseStyle(entry.colour)}
        title={`${formatTime(entry.startsAt)}–${formatTime(entry.endsAt)} ${entry.courseName}, ${entry.organisationName ?? "open sign-up"}`}
      >
        <span className="time">{formatTime(entry.startsAt)}</span>{" "}
        {short ? (
          <span aria-hidden="true" className="order-last ml-auto shrink-0 font-bold text-amber-900 md:order-none xl:order-last">
            ⚠
          </span>
        ) : null}
        <span className="course">{entry.courseName}</span>
        <span className="sr-only">{`${entry.status === "cancelled" ? ", cancelled" : ""}, ${entry.organisationName ?? "open sign-up"}${short ? ", needs more trainers" : ""}`}</span>
      </a>
    </li>
  );
}

const WEEKDAYS_SHORT = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/**
 * Seven columns of days on a tablet or wider. On a phone a month of tiny cells is unreadable,
 * so it becomes a list of the month's days that have sessions.
 */
function MonthView({
  days,
  byDay,
  more,
  today,
  query,
  closures,
}: {
  days: GridDay[];
  byDay: Map<string, MonthEntry[]>;
  more: Record<string, number>;
  today: string;
  query: CalendarQuery;
  closures: Record<string, string>;
}) {
  return (
    <LinkList className="md:overflow-hidden md:rounded-lg md:shadow-sm md:ring-1 md:ring-slate-200">
      <div aria-hidden="true" className="hidden grid-cols-7 gap-px border-b border-slate-200 bg-slate-100 md:grid">
        {WEEKDAYS_SHORT.map((d) => (
          <div key={d} className="px-2 py-1.5 text-xs font-semibold uppercase tracking-wide text-slate-700">
            {d}
          </div>
        ))}
      </div>
      <ol className="grid grid-cols-1 gap-3 md:grid-cols-7 md:gap-px md:bg-slate-200">
        {days.map((day) => {
          const list = byDay.get(day.date) ?? [];
          const hidden = more[day.date] ?? 0;
          const longDay = formatLongDay(noon(day.date));
          return (
            <li
              key={day.date}
              aria-current={day.date === today ? "date" : undefined}
              className={`month-day md:flex ${(list.length || closures[day.date]) && day.inPeriod ? "flex" : "hidden"}${day.inPeriod ? "" : " month-day-outside"}${closures[day.date] ? " month-day-closed" : ""}`}
            >
              <h3 className="month-day-heading">
                <span aria-hidden="true" className={`month-day-number hidden md:inline-flex ${day.date === today ? "month-day-today" : ""}`}>
                  {Number(day.date.slice(8))}
                </span>
                <span className="md:sr-only">{longDay}</span>
                {day.date === today ? (
                  <span className="ml-2 md:hidden">
                    <TodayMarker day={day} today={today} />
                  </span>
                ) : null}
                <ClosedMarker name={closures[day.date]} />
              </h3>
              {list.length ? (
                <ul className="month-day-list">
                  {list.map((entry) => (
                    <CompactEntry key={entry.id} entry={entry} />
                  ))}
                  {hidden > 0 ? (
                    <li>
                      <a href={calendarHref(query, { view: "week", date: day.date })} className="month-more flex md:block">
                        {`+${hidden} more`}
                        <span className="sr-only">{` on ${longDay}: show the week`}</span>
                      </a>
                    </li>
                  ) : null}
                </ul>
              ) : null}
            </li>
          );
        })}
      </ol>
    </LinkList>
  );
}
