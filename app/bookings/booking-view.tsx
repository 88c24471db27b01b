import { nounFor, plural, PEOPLE } from "#app/utils/plural.ts";
import type { ReactNode } from "react";
import { Badge, Card } from "#app/components/layout.tsx";
import type { CoordinatorContact } from "#app/settings/schemas.ts";
import { formatDateTime } from "#app/utils/dates.ts";
import { Figure } from "#app/feedback/results-view.tsx";
import type { BookingChangeView } from "./changes.server.ts";
import type { DeliveredSummary } from "./delivered.server.ts";

/** The coordinator's name, email and phone, each a link a phone can act on. */
export function ContactDetails({ contact }: { contact: CoordinatorContact | null }) {
  if (!contact) return <p className="text-slate-800">Contact the training coordinator.</p>;
  return (
    <address className="not-italic">
      <p className="font-semibold text-slate-900">{contact.name}</p>
      <p>
        <a href={`mailto:${contact.email}`} className="break-all">
          {contact.email}
        </a>
      </p>
      {contact.phone ? (
        <p>
          <a href={`tel:${contact.phone.replace(/[^\d+]/g, "")}`}>{contact.phone}</a>
        </p>
      ) : null}
    </address>
  );
}

/** Past the cut-off, said before any form: too late to cancel here, and whom to ask instead. */
export function TooLateToCancel({ closedAt, cutoffHours, contact }: { closedAt: string; cutoffHours: number; contact: CoordinatorContact | null }) {
  return (
    <Card title="Cancelling this session">
      <p className="text-slate-800">
        It is too late to cancel here: sessions can be cancelled here up to {plural(cutoffHours, "hour")} before they start, and that was{" "}
        {formatDateTime(closedAt)}. If your group cannot come, tell the training coordinator as soon as you can:
      </p>
      <div className="mt-3">
        <ContactDetails contact={contact} />
      </div>
    </Card>
  );
}

/** A card that is a named region, so a screen reader's list of landmarks finds it by its title. */
function Region({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
      <h2 id={id} className="mb-3 text-lg font-semibold text-slate-900">
        {title}
      </h2>
      {children}
    </section>
  );
}

/** What the booker sees once their session has taken place: who came, and what people thought of it. */
export function DeliveredCard({ summary }: { summary: DeliveredSummary }) {
  const { attendance, feedback } = summary;
  return (
    <Region id="how-it-went" title="How the session went">
      <h3 className="text-sm font-semibold text-slate-900">Attendance</h3>
      <dl className="mt-2 grid grid-cols-2 gap-3 sm:grid-cols-3">
        <Figure label="Booked for" value={attendance.expected} hint={`${nounFor(attendance.expected, PEOPLE)} expected`} />
        <Figure label="Present on the register" value={attendance.present} hint={`of ${attendance.expected} expected`} />
        <Figure
          label="Head count"
          value={attendance.headCount ?? "–"}
          hint={attendance.headCount === null ? "The trainer did not count heads" : "counted at the door"}
        />
      </dl>
      <h3 className="mt-5 text-sm font-semibold text-slate-900">Feedback</h3>
      {feedback.shown ? (
        <>
          <dl className="mt-2 grid grid-cols-2 gap-3 lg:grid-cols-4">
            {feedback.figures.map((f) => (
              <Figure key={f.label} label={f.label} value={f.value} hint={f.hint} />
            ))}
          </dl>
          <p className="mt-2 text-sm text-slate-700">Written comments go to the trainers. Figures about fewer than 5 people are not shown.</p>
        </>
      ) : (
        <p className="mt-2 rounded-md bg-slate-50 p-3 text-slate-800 ring-1 ring-inset ring-slate-200">
          {feedback.responses === 0 ? "No feedback yet. " : `${plural(feedback.responses, "answer")} so far. `}
          To keep answers anonymous, the feedback is shown here once at least {feedback.needed} people who were there have answered by their own emailed link.
        </p>
      )}
    </Region>
  );
}

const CHANGE_STATUS = {
  open: { label: "Waiting for the coordinator", tone: "amber" },
  accepted: { label: "Made", tone: "green" },
  declined: { label: "Not made", tone: "red" },
} as const;

/** The changes asked for on a booking and their answers, newest first. */
export function ChangesCard({ changes }: { changes: BookingChangeView[] }) {
  if (!changes.length) return null;
  return (
    <Region id="changes-asked" title="Changes you asked for">
      <ul className="divide-y divide-slate-100">
        {changes.map((c) => (
          <li key={c.id} className="py-3 first:pt-0 last:pb-0">
            <p className="flex flex-wrap items-center gap-2 text-sm text-slate-700">
              <Badge tone={CHANGE_STATUS[c.status].tone}>{CHANGE_STATUS[c.status].label}</Badge>
              asked by {c.askedBy}, {formatDateTime(c.createdAt)}
            </p>
            <ul className="mt-2 space-y-1 text-slate-900">
              {c.changes.map((line) => (
                <li key={line} className="whitespace-pre-line">
                  {line}
                </li>
              ))}
            </ul>
            {c.status === "declined" && c.answerReason ? (
              <p className="mt-2 text-slate-800">
                <span className="font-semibold">Reason:</span> {c.answerReason}
              </p>
            ) : null}
          </li>
        ))}
      </ul>
    </Region>
  );
}
