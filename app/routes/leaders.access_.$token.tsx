import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { ButtonLink } from "#app/components/button.tsx";
import { Badge } from "#app/components/layout.tsx";
import { LeaderLinkForm } from "#app/compliance/leader-link-form.tsx";
import type { LeaderOwnRecord, LeaderOwnYear } from "#app/compliance/self-service.server.ts";
import { leaderByToken } from "#app/compliance/self-service.server.ts";
import { RequirementBadge } from "#app/compliance/status-badges.tsx";
import { getDb } from "#app/db.server.ts";
import { placesText, PublicMasthead } from "#app/signup/public-page.tsx";
import { formatDateTime, formatDay, formatRange } from "#app/utils/dates.ts";
import { TOKEN_PAGE_HEADERS, tokenPageHeaders, tokenPageMeta } from "#app/utils/token-page.ts";
import { nounFor } from "#app/utils/plural.ts";

export const headers = tokenPageHeaders;
export const meta: MetaFunction = () => tokenPageMeta("Your leader training · NeverOK Training");

// Public: the emailed link is the permission. Opening it only reads, so a mail scanner opening it first does no harm.
export async function loader({ params }: LoaderFunctionArgs) {
  const found = await leaderByToken(getDb(), params.token ?? "");
  if (found.status !== "valid") {
    return data(
      { status: found.status, record: null },
      {
        status: found.status === "expired" ? 410 : 404,
        headers: TOKEN_PAGE_HEADERS,
      },
    );
  }
  return data({ status: "valid" as const, record: found }, { headers: TOKEN_PAGE_HEADERS });
}

export default function LeaderOwnPage() {
  const loaded = useLoaderData<typeof loader>();
  return (
    <>
      <PublicMasthead />
      {loaded.status === "valid" && loaded.record ? <OwnRecord record={loaded.record} /> : <AskAgain expired={loaded.status === "expired"} />}
    </>
  );
}

function AskAgain({ expired }: { expired: boolean }) {
  return (
    <div className="mx-auto max-w-xl">
      <h1 className="text-2xl font-bold tracking-tight text-slate-900 sm:text-3xl">{expired ? "This link has expired" : "This link does not work"}</h1>
      <p className="mt-3 text-slate-800">
        {expired
          ? "Links to your training record work for 24 hours, to keep it private."
          : "It may have been copied only in part, or it may be from an old email."}{" "}
        Ask for a new link and we will email it to you.
      </p>
      <div className="mt-6 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200 sm:p-6">
        <h2 className="mb-4 text-lg font-semibold text-slate-900">Ask for a new link</h2>
        <LeaderLinkForm submitLabel="Email me a new link" />
      </div>
    </div>
  );
}

const YEAR_SUMMARY: Record<LeaderOwnYear["status"], { tone: string; text: (y: LeaderOwnYear) => string }> = {
  compliant: {
    tone: "border-green-300 bg-green-50 text-green-950",
    text: (y) => `You have done all the training your roles need for ${y.label}. Thank you.`,
  },
  due: {
    tone: "border-amber-300 bg-amber-50 text-amber-950",
    text: (y) => `Your training is due by ${formatDay(y.dueOn!)}.`,
  },
  due_soon: {
    tone: "border-amber-300 bg-amber-50 text-amber-950",
    text: (y) => `Your training is due soon: by ${formatDay(y.dueOn!)}.`,
  },
  overdue: {
    tone: "border-red-300 bg-red-50 text-red-950",
    text: (y) => `Your training was due by ${formatDay(y.dueOn!)}. Please book a place on a session as soon as you can.`,
  },
  ended: {
    tone: "border-slate-300 bg-slate-50 text-slate-900",
    text: (y) => `Your roles for ${y.label} have ended, so no training is needed.`,
  },
};

function OwnRecord({ record }: { record: LeaderOwnRecord }) {
  const needed = new Map(record.years.flatMap((y) => y.requirements.filter((r) => r.state === "missing").map((r) => [r.courseId, r.courseName] as const)));
  const withoutSessions = [...needed].filter(([courseId]) => !record.sessionsToBook.some((s) => s.courseId === courseId)).map(([, name]) => name);
  return (
    <div className="mx-auto max-w-3xl">
      <h1 className="text-2xl font-bold tracking-tight text-slate-900 sm:text-3xl">Your leader training</h1>
      <p className="mt-2 text-slate-800">
        Hello {record.person.name}. This page is only for you (<span className="wrap-anywhere">{record.person.email}</span>); the link works until{" "}
        {formatDateTime(record.expiresAt)}. Please do not forward it.
      </p>

      {record.years.length === 0 ? (
        <p className="mt-6 rounded-lg border border-slate-300 bg-slate-50 p-4 text-slate-900">You have no leader role on this year&apos;s roster.</p>
      ) : null}

      {record.years.map((y) => {
        const summary = YEAR_SUMMARY[y.status];
        return (
          <section key={y.startYear} aria-labelledby={`year-${y.startYear}`} className="mt-8">
            <h2 id={`year-${y.startYear}`} className="text-xl font-semibold text-slate-900">
              {y.label}
            </h2>
            <p className={`mt-3 rounded-lg border p-4 font-medium ${summary.tone}`}>{summary.text(y)}</p>
            <h3 className="mt-5 font-semibold text-slate-900">Your {nounFor(y.roles.length, "role")}</h3>
            <ul className="mt-2 space-y-1 text-slate-800">
              {y.roles.map((r) => (
                <li key={`${r.roleName}-${r.groupName}`}>
                  {r.roleName}
                  {r.groupName ? `, ${r.groupName}` : ""}
                  {r.endedOn ? ` (ended ${formatDay(r.endedOn)})` : ""}
                </li>
              ))}
            </ul>
            {y.requirements.length ? (
              <>
                <h3 className="mt-5 font-semibold text-slate-900">What your {nounFor(y.roles.length, { one: "role needs", other: "roles need" })}</h3>
                <ul className="mt-2 divide-y divide-slate-100 rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
                  {y.requirements.map((r) => (
                    <li key={r.courseId} className="px-4 py-3">
                      <div className="flex flex-wrap items-center justify-between gap-2">
                        <span className="font-medium text-slate-900">{r.courseName}</span>
                        <RequirementBadge state={r.state} overdue={y.status === "overdue" && r.state === "missing"} />
                      </div>
                      <p className="mt-1 text-sm text-slate-700">
                        {r.state === "met" && r.doneOn
                          ? `Done on ${formatDay(r.doneOn)}${r.validUntil ? `; counts until ${formatDay(r.validUntil)}` : ""}.`
                          : r.state === "exempt"
                            ? "You do not need to do this one this year."
                            : `Needed by ${formatDay(r.dueOn)}. Training counts for ${r.counts}.`}
                      </p>
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
          </section>
        );
      })}

      {record.booked.length ? (
        <Section id="booked" title="Sessions you are booked on">
          <ul className="space-y-3">
            {record.booked.map((b) => (
              <li key={b.sessionId} className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
                <p className="font-medium text-slate-900">
                  <Link to={`/sessions/open/${b.sessionId}`}>{b.title}</Link>
                </p>
                <p className="text-slate-800">{formatRange(b.startsAt, b.endsAt)}</p>
                <p className="mt-1">
                  {b.status === "registered" ? <Badge tone="green">You have a place</Badge> : <Badge tone="amber">On the waiting list</Badge>}
                </p>
              </li>
            ))}
          </ul>
        </Section>
      ) : null}

      {needed.size ? (
        <Section id="book" title="Sessions you can book">
          {withoutSessions.length ? (
            <p className="mb-3 text-slate-800">
              No {withoutSessions.join(" or ")} session has places at the moment. New sessions appear on the{" "}
              <Link to="/sessions/open" className="underline">
                open sessions page
              </Link>
              ; please check back soon.
            </p>
          ) : null}
          {record.sessionsToBook.length ? (
            <ul className="space-y-3">
              {record.sessionsToBook.map((s) => (
                <li
                  key={s.id}
                  className="flex flex-col gap-3 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200 sm:flex-row sm:items-center sm:justify-between"
                >
                  <div>
                    <p className="text-sm font-medium text-slate-700">{s.courseName}</p>
                    <p className="font-semibold text-slate-900">{s.title ?? s.courseName}</p>
                    <p className="text-slate-800">{formatRange(s.startsAt, s.endsAt)}</p>
                    {s.where ? <p className="text-sm text-slate-700">{s.where}</p> : null}
                    <p className="mt-1">
                      <Badge tone="green">{placesText(s)}</Badge>
                    </p>
                  </div>
                  <ButtonLink to={`/sessions/open/${s.id}`} className="w-full shrink-0 sm:w-auto">
                    Book a place
                    <span className="sr-only">
                      : {s.title ?? s.courseName}, {formatRange(s.startsAt, s.endsAt)}
                    </span>
                  </ButtonLink>
                </li>
              ))}
            </ul>
          ) : null}
        </Section>
      ) : null}

      <Section id="done" title="Training you have done">
        {record.done.length === 0 ? (
          <p className="text-slate-800">Nothing on record yet.</p>
        ) : (
          <ul className="divide-y divide-slate-100 rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
            {record.done.map((d, i) => (
              <li key={`${d.courseName}-${d.completedOn}-${i}`} className="px-4 py-3">
                <p className="font-medium text-slate-900">
                  {d.courseName}, {formatDay(d.completedOn)}
                </p>
                <p className="text-sm text-slate-700">{d.how}</p>
              </li>
            ))}
          </ul>
        )}
      </Section>

      <p className="mt-8 text-sm text-slate-700">
        Something not right? For example, you did the training under another email address or somewhere else. Reply to your reminder email or contact the
        Students&apos; Union, and they will check and update your record.
      </p>
    </div>
  );
}

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={`${id}-heading`} className="mt-8">
      <h2 id={`${id}-heading`} className="mb-3 text-xl font-semibold text-slate-900">
        {title}
      </h2>
      {children}
    </section>
  );
}
