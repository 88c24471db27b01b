import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { DataTable, Td, Th } from "#app/components/data-table.tsx";
import { EmptyState } from "#app/components/layout.tsx";
import { formatRange } from "#app/utils/dates.ts";
import type { CourseTermTotals, FeedbackFigures, SessionFeedback } from "./feedback.server.ts";
import { MIN_RESPONSES_SHOWN as MIN } from "./schemas.ts";
import { plural, PEOPLE } from "#app/utils/plural.ts";
import { formatOneDecimal } from "#app/reports/figures.ts";

const mean = formatOneDecimal;
const percent = (share: number) => `${Math.round(share * 100)}%`;
const people = (n: number) => plural(n, PEOPLE);

/** Why a session's answers are not shown yet, in the small-number rule's own terms. */
function smallSessionText(r: { responses: number; fromRegister: number }): string {
  const byQr = r.responses - r.fromRegister;
  return `Fewer than ${MIN} people on the register have answered by their own emailed link (${r.fromRegister} so far${byQr ? `, and ${byQr} by the room's QR code` : ""}): the answers are shown once ${MIN} have.`;
}

/** "← Summer 2025 · Autumn 2025 · Spring 2026 →": results come a term at a time, as the totals do. */
export function TermNav({
  label,
  previous,
  next,
}: {
  label: string;
  previous: { label: string; param: string };
  next: { label: string; param: string } | null;
}) {
  return (
    <nav aria-label="Terms" className="mb-6 flex flex-wrap items-center justify-between gap-3 rounded-lg bg-white px-4 py-3 shadow-sm ring-1 ring-slate-200">
      <Link to={`?term=${previous.param}`} className="inline-flex min-h-11 items-center font-semibold">
        <span aria-hidden="true">←&nbsp;</span>
        {previous.label}
      </Link>
      <p className="text-lg font-bold text-slate-900" aria-current="page">
        {label}
      </p>
      {next ? (
        <Link to={`?term=${next.param}`} className="inline-flex min-h-11 items-center font-semibold">
          {next.label}
          <span aria-hidden="true">&nbsp;→</span>
        </Link>
      ) : (
        <span className="min-w-16" />
      )}
    </nav>
  );
}

/** One figure in a grid of them: what it is, the number, and a line on what it rests on. */
export function Figure({ label, value, hint }: { label: string; value: ReactNode; hint?: ReactNode }) {
  return (
    <div className="rounded-md bg-slate-50 p-3 ring-1 ring-inset ring-slate-200">
      <dt className="text-sm font-medium text-slate-700">{label}</dt>
      <dd className="mt-0.5 text-2xl font-bold text-slate-900">{value}</dd>
      {hint ? <dd className="text-sm text-slate-700">{hint}</dd> : null}
    </div>
  );
}

/** The numbers for a session or a course's term, the same way everywhere. */
export function Figures({ figures }: { figures: FeedbackFigures }) {
  const c = figures.confidence;
  return (
    <dl className="grid grid-cols-2 gap-3 lg:grid-cols-4">
      <Figure label="Answers" value={figures.responses} />
      <Figure
        label="Overall rating"
        value={
          <>
            {mean(figures.ratingMean)}
            <span className="text-base font-semibold text-slate-700"> / 5</span>
          </>
        }
      />
      <Figure label="Would recommend" value={percent(figures.recommendShare)} hint={`said yes, of ${people(figures.responses)}`} />
      {c.paired && c.beforeMean !== null && c.afterMean !== null && c.roseShare !== null ? (
        <Figure
          label="Confidence, before → now"
          value={
            <>
              {mean(c.beforeMean)} <span aria-label="to">→</span> {mean(c.afterMean)}
            </>
          }
          hint={`rose for ${percent(c.roseShare)} of ${people(c.paired)} who answered both`}
        />
      ) : (
        <Figure label="Confidence, before → now" value="–" hint="No one answered both questions" />
      )}
    </dl>
  );
}

/** The same words from several people are shown once, with how many wrote them. */
function grouped(items: string[]): { text: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const text of items) counts.set(text, (counts.get(text) ?? 0) + 1);
  return [...counts].map(([text, count]) => ({ text, count }));
}

function Quotes({ title, items }: { title: string; items: string[] }) {
  if (!items.length) return null;
  return (
    <div>
      <h4 className="text-sm font-semibold text-slate-900">{title}</h4>
      <ul className="mt-2 space-y-2">
        {grouped(items).map(({ text, count }) => (
          <li key={text} className="whitespace-pre-line rounded-md border-l-4 border-brand-200 bg-slate-50 px-3 py-2 text-slate-800">
            {text}
            {count > 1 ? <span className="ml-2 whitespace-nowrap text-sm font-semibold text-slate-700">({people(count)})</span> : null}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Comments fold away, so a term of sessions can be scanned by its figures first. */
function Comments({ doDifferently, comments }: { doDifferently: string[]; comments: string[] }) {
  const n = doDifferently.length + comments.length;
  if (n === 0) return <p className="text-sm text-slate-700">No written comments.</p>;
  return (
    <details className="rounded-md ring-1 ring-slate-200">
      <summary className="flex min-h-11 cursor-pointer items-center px-3 font-semibold text-brand-700">Read the written answers ({n})</summary>
      <div className="space-y-4 px-3 pb-3">
        <Quotes title="What people will do differently" items={doDifferently} />
        <Quotes title="Other comments" items={comments} />
      </div>
    </details>
  );
}

export function SessionFeedbackCard({ session }: { session: SessionFeedback }) {
  const r = session.results;
  const name = session.title ?? session.course.name;
  return (
    <li className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
      <div className="flex flex-col gap-2 sm:flex-row sm:items-start sm:justify-between">
        <div className="flex gap-3">
          <span aria-hidden="true" className="mt-2 h-3 w-3 shrink-0 rounded-full" style={{ backgroundColor: session.course.colour }} />
          <div>
            <h3 className="font-semibold text-slate-900">{name}</h3>
            <p className="text-sm text-slate-700">
              {formatRange(session.startsAt, session.endsAt)} · {session.organisation ?? session.where}
            </p>
          </div>
        </div>
        {session.qrOpen ? (
          <Link to={`/trainer/sessions/${session.id}/qr`} className="inline-flex min-h-11 shrink-0 items-center text-sm font-semibold">
            Show the feedback QR code<span className="sr-only"> for {name}</span>
          </Link>
        ) : null}
      </div>
      <div className="mt-4">
        {r.suppressed ? (
          <p className="rounded-md bg-slate-50 p-3 text-slate-800 ring-1 ring-inset ring-slate-200">
            {r.responses === 0 ? (
              "No answers yet."
            ) : (
              <>
                {smallSessionText(r)} Until then, see the course totals for {session.term}.
              </>
            )}
          </p>
        ) : (
          <div className="space-y-4">
            <Figures figures={r} />
            <Comments doDifferently={r.doDifferently} comments={r.comments} />
          </div>
        )}
      </div>
    </li>
  );
}

export function CourseTotals({ totals }: { totals: CourseTermTotals[] }) {
  if (!totals.length) return null;
  return (
    <section aria-labelledby="totals-heading" className="mb-8">
      <h2 id="totals-heading" className="text-xl font-semibold text-slate-900">
        Course totals
      </h2>
      <p className="mt-1 max-w-3xl text-sm text-slate-700">
        Every answer for the course in the term, across all its sessions and trainers, including sessions where too few people answered to show them on their
        own.
      </p>
      <ul className="mt-3 space-y-4">
        {totals.map((t) => (
          <li key={`${t.course.id}-${t.term.start}`} className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
            <h3 className="font-semibold text-slate-900">
              {t.course.name} · {t.term.label}
            </h3>
            <p className="text-sm text-slate-700">{plural(t.sessions, "session")} with answers</p>
            <div className="mt-3">
              {t.results.suppressed ? (
                <p className="rounded-md bg-slate-50 p-3 text-slate-800 ring-1 ring-inset ring-slate-200">
                  Fewer than {MIN} people on a register answered for this course this term by their own emailed link ({plural(t.results.responses, "answer")} in
                  all so far), so the totals are not shown yet.
                </p>
              ) : (
                <>
                  <Figures figures={t.results} />
                  {t.results.heldBack ? (
                    <p className="mt-2 text-sm text-slate-700">
                      Not counted yet: {plural(t.results.heldBack, "answer")} for sessions too small to show on their own. They are added once {MIN} people from
                      those sessions&apos; registers have answered by their own link, so that no one can be worked out from these totals.
                    </p>
                  ) : null}
                </>
              )}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function SessionList({ sessions, empty }: { sessions: SessionFeedback[]; empty: string }) {
  return (
    <section aria-labelledby="sessions-heading">
      <h2 id="sessions-heading" className="text-xl font-semibold text-slate-900">
        Sessions
      </h2>
      {sessions.length ? (
        <ul className="mt-3 space-y-4">
          {sessions.map((s) => (
            <SessionFeedbackCard key={s.id} session={s} />
          ))}
        </ul>
      ) : (
        <div className="mt-3">
          <EmptyState>{empty}</EmptyState>
        </div>
      )}
    </section>
  );
}

/** Every session of a term in one table, for the coordinator: the figures side by side, the written answers folded in the row. */
export function SessionTable({ sessions, empty }: { sessions: SessionFeedback[]; empty: string }) {
  return (
    <section aria-labelledby="sessions-heading">
      <h2 id="sessions-heading" className="text-xl font-semibold text-slate-900">
        Sessions
      </h2>
      <div className="mt-3">
        {sessions.length ? (
          <DataTable
            caption="Feedback for each delivered session"
            head={
              <>
                <Th>Session</Th>
                <Th className="text-right">Answers</Th>
                <Th className="text-right">Rating</Th>
                <Th className="text-right">Would recommend</Th>
                <Th>Confidence, before → now</Th>
              </>
            }
          >
            {sessions.map((s) => {
              const r = s.results;
              const name = s.title ?? s.course.name;
              const c = r.suppressed ? null : r.confidence;
              return (
                <tr key={s.id}>
                  <Td className="min-w-72">
                    <div className="flex gap-2">
                      <span aria-hidden="true" className="mt-1.5 h-3 w-3 shrink-0 rounded-full" style={{ backgroundColor: s.course.colour }} />
                      <div className="space-y-1">
                        <p className="font-semibold text-slate-900">{name}</p>
                        <p className="text-slate-700">
                          {formatRange(s.startsAt, s.endsAt)} · {s.organisation ?? s.where}
                        </p>
                        {s.trainers.length ? <p className="text-slate-700">With {s.trainers.join(" and ")}</p> : null}
                        {s.qrOpen ? (
                          <Link to={`/trainer/sessions/${s.id}/qr`} className="inline-flex min-h-11 items-center font-semibold">
                            Show the feedback QR code<span className="sr-only"> for {name}</span>
                          </Link>
                        ) : null}
                        {!r.suppressed && r.doDifferently.length + r.comments.length > 0 ? (
                          <Comments doDifferently={r.doDifferently} comments={r.comments} />
                        ) : null}
                      </div>
                    </div>
                  </Td>
                  {r.suppressed ? (
                    <>
                      <Td className="text-right">{r.responses}</Td>
                      <td colSpan={3} className="px-4 py-3 align-top text-slate-700">
                        {r.responses === 0 ? "No answers yet." : `${smallSessionText(r)} Until then, see the course totals.`}
                      </td>
                    </>
                  ) : (
                    <>
                      <Td className="text-right font-semibold">{r.responses}</Td>
                      <Td className="text-right">{mean(r.ratingMean)} / 5</Td>
                      <Td className="text-right">{percent(r.recommendShare)}</Td>
                      <Td>
                        {c && c.paired && c.beforeMean !== null && c.afterMean !== null && c.roseShare !== null ? (
                          <>
                            {mean(c.beforeMean)} → {mean(c.afterMean)}
                            <span className="block text-slate-700">
                              rose for {percent(c.roseShare)} of {c.paired}
                            </span>
                          </>
                        ) : (
                          "No pairs"
                        )}
                      </Td>
                    </>
                  )}
                </tr>
              );
            })}
          </DataTable>
        ) : (
          <EmptyState>{empty}</EmptyState>
        )}
      </div>
    </section>
  );
}
