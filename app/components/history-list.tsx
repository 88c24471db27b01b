import { formatDateTime } from "#app/utils/dates.ts";

/** What happened to a record, oldest or newest first as given, each with when it happened. */
export function HistoryList({ events, empty = "Nothing recorded." }: { events: { id: number; summary: string; created_at: string }[]; empty?: string }) {
  if (events.length === 0) return <p className="text-slate-600">{empty}</p>;
  return (
    <ol className="space-y-3">
      {events.map((h) => (
        <li key={h.id} className="text-sm">
          <p className="text-slate-900">{h.summary}</p>
          <p className="text-slate-600">{formatDateTime(h.created_at)}</p>
        </li>
      ))}
    </ol>
  );
}
