import { useMemo, type FormEvent } from "react";
import { Button, buttonClass } from "#app/components/button.tsx";
import { registerPath } from "./paths.ts";
import type { RegisterRow } from "./sync-queue.ts";
import { byName } from "#app/utils/text-order.ts";

const normalise = (text: string) =>
  text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase();

/** Rows whose name holds every word searched for, ignoring case and accents. */
function matching(rows: RegisterRow[], query: string) {
  const terms = normalise(query).split(/\s+/).filter(Boolean);
  return terms.length ? rows.filter((r) => terms.every((t) => normalise(r.name).includes(t))) : rows;
}

/**
 * The people on the register, found by name, each a button to mark them. Without JavaScript the
 * search is a GET form and each row a form of its own.
 */
export function PeopleList({
  sessionId,
  booked,
  open,
  rows: unsorted,
  query,
  onQuery,
  hydrated,
  onToggle,
  onAddAsWalkIn,
}: {
  sessionId: number;
  booked: boolean;
  /** Still taking marks; a closed register only lists who came. */
  open: boolean;
  rows: RegisterRow[];
  query: string;
  onQuery: (query: string) => void;
  hydrated: boolean;
  onToggle: (row: RegisterRow) => void;
  onAddAsWalkIn: (name: string) => void;
}) {
  const rows = useMemo(() => [...unsorted].sort(byName), [unsorted]);
  const shown = useMemo(() => matching(rows, query), [rows, query]);
  return (
    <section aria-labelledby="people-heading" className="mb-6">
      <h2 id="people-heading" className={booked ? "mb-2 text-lg font-semibold text-slate-900" : "sr-only"}>
        {booked ? "Names (optional)" : "People"}
      </h2>
      {rows.length > 0 ? (
        <form
          method="get"
          role="search"
          className="mb-3 flex gap-2"
          onSubmit={(e) => {
            if (hydrated) e.preventDefault();
          }}
        >
          <div className="flex-1">
            <label htmlFor="register-search" className="block text-sm font-semibold text-slate-900">
              Find a name
            </label>
            <input
              id="register-search"
              name="q"
              type="search"
              autoComplete="off"
              autoCapitalize="words"
              enterKeyHint="search"
              value={query}
              onChange={(e) => onQuery(e.target.value)}
              // At the door the next name replaces the last one.
              onFocus={(e) => e.currentTarget.select()}
              className="mt-1.5 block w-full rounded-md border-0 bg-white px-3 py-3 text-base text-slate-900 shadow-sm ring-1 ring-inset ring-slate-400 placeholder:text-slate-500 focus:ring-2 focus:ring-inset focus:ring-brand-700"
            />
          </div>
          {!hydrated ? (
            <button type="submit" className={buttonClass("secondary", "self-end")}>
              Search
            </button>
          ) : null}
        </form>
      ) : null}

      {rows.length === 0 ? (
        <p className="rounded-md border border-dashed border-slate-300 p-6 text-center text-slate-700">
          {booked
            ? "Names are optional for a group booking: record a head count above, or add people by name."
            : "No one has registered for this session yet. Add people as they arrive."}
        </p>
      ) : shown.length === 0 ? (
        <div className="rounded-md border border-dashed border-slate-300 p-4 text-center text-slate-700">
          <p>No one on the register matches “{query}”.</p>
          {open && hydrated ? (
            <Button type="button" variant="secondary" className="mt-3" onClick={() => onAddAsWalkIn(query.trim())}>
              Add “{query.trim()}” as a walk-in
            </Button>
          ) : open ? (
            <a href="#walk-in-heading">Add them as a walk-in</a>
          ) : null}
        </div>
      ) : (
        <ul className="space-y-2">
          {shown.map((row) => (
            <li key={row.key} id={row.id ? `person-${row.id}` : undefined}>
              {open ? <PersonRow row={row} query={query} hydrated={hydrated} onToggle={onToggle} showWalkIn={!booked} /> : <ClosedRow row={row} />}
            </li>
          ))}
        </ul>
      )}
      {shown.length > 0 && shown.length < rows.length ? (
        <p className="mt-2 text-sm text-slate-700">
          Showing {shown.length} of {rows.length}.{" "}
          {hydrated ? (
            <button type="button" className="font-semibold text-brand-700 underline" onClick={() => onQuery("")}>
              Show everyone
            </button>
          ) : (
            <a href={registerPath(sessionId)}>Show everyone</a>
          )}
        </p>
      ) : null}
    </section>
  );
}

function PersonRow({
  row,
  query,
  hydrated,
  onToggle,
  showWalkIn,
}: {
  row: RegisterRow;
  query: string;
  hydrated: boolean;
  onToggle: (row: RegisterRow) => void;
  /** A group booking has no sign-up list, so everyone named there is a "walk-in"; saying so would only confuse. */
  showWalkIn: boolean;
}) {
  const walkIn = row.walkIn && showWalkIn;
  function submit(e: FormEvent<HTMLFormElement>) {
    if (!hydrated) return;
    e.preventDefault();
    onToggle(row);
  }
  return (
    <form method="post" onSubmit={submit}>
      <input type="hidden" name="intent" value="mark" />
      {row.id ? (
        <input type="hidden" name="registrationId" value={row.id} />
      ) : (
        <input type="hidden" name="clientKey" value={row.clientKey ?? row.key.slice(2)} />
      )}
      <input type="hidden" name="present" value={row.present ? "0" : "1"} />
      {query ? <input type="hidden" name="q" value={query} /> : null}
      <button
        type="submit"
        aria-pressed={row.present}
        className={`flex min-h-14 w-full items-center justify-between gap-3 rounded-lg px-4 py-3 text-left ring-1 ring-inset transition-colors ${
          row.present ? "bg-green-50 ring-green-600 hover:bg-green-100" : "bg-white ring-slate-300 hover:bg-slate-50"
        }`}
      >
        <span className="min-w-0">
          <span className="block text-base font-semibold break-words text-slate-900">{row.name}</span>
          {walkIn || row.unsaved ? (
            <span className="mt-0.5 block text-sm text-slate-700">
              {walkIn ? "Walk-in" : null}
              {walkIn && row.unsaved ? " · " : null}
              {row.unsaved ? <span className="text-amber-900">not saved yet</span> : null}
            </span>
          ) : null}
        </span>
        <span
          className={`inline-flex shrink-0 items-center gap-1 rounded-full px-3 py-1 text-sm font-semibold ${
            row.present ? "bg-green-700 text-white" : "bg-slate-100 text-slate-800 ring-1 ring-inset ring-slate-300"
          }`}
        >
          {row.present ? (
            <>
              <span aria-hidden="true">✓</span> Present
            </>
          ) : (
            "Not yet"
          )}
        </span>
      </button>
    </form>
  );
}

function ClosedRow({ row }: { row: RegisterRow }) {
  return (
    <div className="flex min-h-12 items-center justify-between gap-3 rounded-lg bg-white px-4 py-2 ring-1 ring-inset ring-slate-200">
      <span className="min-w-0 break-words text-slate-900">
        {row.name}
        {row.walkIn ? <span className="ml-2 text-sm text-slate-700">Walk-in</span> : null}
      </span>
      <span className={`shrink-0 text-sm font-semibold ${row.present ? "text-green-800" : "text-slate-700"}`}>{row.present ? "Present" : "Absent"}</span>
    </div>
  );
}
