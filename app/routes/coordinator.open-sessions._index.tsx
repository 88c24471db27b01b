import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "#app/auth/guards.server.ts";
import { ButtonLink } from "#app/components/button.tsx";
import { Badge, Card, EmptyState, PageHeader } from "#app/components/layout.tsx";
import { getDb } from "#app/db.server.ts";
import { activeTrainers, getSessionDetails } from "#app/scheduling/session-detail.server.ts";
import { Pager } from "#app/components/pager.tsx";
import { countOpenSessions, listOpenSessions, type OpenSessionListing } from "#app/signup/open-sessions.server.ts";
import { PageParam, pageWindow } from "#app/utils/paging.ts";
import { formatDateTime, formatRange } from "#app/utils/dates.ts";

export const meta: MetaFunction = () => [{ title: "Open sessions · NeverOK Training" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "coordinator");
  const db = getDb();
  const page = pageWindow(await countOpenSessions(db), PageParam.parse(new URL(request.url).searchParams.get("page") ?? undefined), OPEN_PAGE_SIZE);
  const listed = page.total ? await listOpenSessions(db, { limit: page.size, offset: page.offset }) : [];
  const details = await getSessionDetails(
    db,
    listed.map((s) => s.id),
  );
  const trainers = Object.fromEntries(details.map((d) => [d.id, activeTrainers(d).map((t) => t.name)]));
  // Only what the cards show travels to the browser.
  const sessions = listed.map((s) => ({
    id: s.id,
    title: s.title,
    courseName: s.courseName,
    colour: s.colour,
    startsAt: s.startsAt,
    endsAt: s.endsAt,
    where: s.where,
    capacity: s.capacity,
    registered: s.registered,
    waiting: s.waiting,
    seatsLeft: s.seatsLeft,
    signupDeadline: s.signupDeadline,
    signupPolicy: s.signupPolicy,
    signupDomain: s.signupDomain,
    signupClosed: s.signupClosed,
  }));
  return { sessions, page, trainers };
}

/** Each session is a card with its figures: a page of them at a time, soonest first. */
const OPEN_PAGE_SIZE = 25;

const POLICY_LABELS = {
  anyone: "Anyone with the link",
  list: "Invited list only",
  domain: "One email domain only",
} as const;

function policyLabel(s: Pick<OpenSessionListing, "signupPolicy" | "signupDomain">) {
  return s.signupPolicy === "domain" && s.signupDomain ? `Only @${s.signupDomain} addresses` : POLICY_LABELS[s.signupPolicy];
}

export default function OpenSessionsPage() {
  const { sessions, page, trainers } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title="Open sessions"
        description="Sessions people sign up to one by one, such as leader inductions, soonest first. Places fill in order of sign-up; after that people join the waiting list."
        actions={
          <>
            <ButtonLink to="/coordinator/open-sessions/new">Open a session for sign-up</ButtonLink>
            <ButtonLink to="/sessions/open" variant="secondary">
              See the public listing
            </ButtonLink>
          </>
        }
      />
      {sessions.length === 0 ? (
        <EmptyState>No open sessions are coming up. Open one for sign-up and share its link.</EmptyState>
      ) : (
        <ol className="space-y-4">
          {sessions.map((s) => {
            const closed = s.signupClosed;
            const full = s.seatsLeft === 0;
            const pct = s.capacity ? Math.min(100, Math.round((s.registered / s.capacity) * 100)) : 0;
            return (
              <li key={s.id}>
                <Card>
                  <div className="flex flex-col gap-4 md:flex-row md:items-start md:justify-between">
                    <div className="min-w-0">
                      <h2 className="flex items-start gap-2 text-lg font-semibold text-slate-900">
                        <span aria-hidden="true" className="mt-2 h-3 w-3 shrink-0 rounded-full" style={{ backgroundColor: s.colour }} />
                        <span>
                          <Link to={`/coordinator/sessions/${s.id}/attendees`}>{s.title ?? s.courseName}</Link>
                          {full ? (
                            <>
                              {" "}
                              <Badge tone="amber">Full</Badge>
                            </>
                          ) : null}
                          {closed ? (
                            <>
                              {" "}
                              <Badge>Sign-up closed</Badge>
                            </>
                          ) : null}
                        </span>
                      </h2>
                      <div className="mt-1 space-y-0.5 pl-5 text-sm text-slate-700">
                        <p className="font-medium text-slate-900">{formatRange(s.startsAt, s.endsAt)}</p>
                        <p>{s.where}</p>
                        <p>
                          {s.title ? `${s.courseName} · ` : ""}
                          {policyLabel(s)}
                          {s.signupDeadline ? ` · sign-up ${closed ? "closed" : "closes"} ${formatDateTime(s.signupDeadline)}` : ""}
                        </p>
                        <p>
                          {trainers[s.id]?.length ? (
                            `Trainers: ${trainers[s.id]!.join(", ")}`
                          ) : (
                            <span className="font-medium text-amber-900">No trainer yet</span>
                          )}
                        </p>
                      </div>
                    </div>
                    <dl className="grid shrink-0 grid-cols-3 gap-4 text-center md:w-72">
                      <div>
                        <dt className="text-xs font-medium text-slate-700">Places taken</dt>
                        <dd className="text-xl font-bold text-slate-900">
                          {s.registered}
                          <span className="text-sm font-medium text-slate-700"> of {s.capacity}</span>
                        </dd>
                      </div>
                      <div>
                        <dt className="text-xs font-medium text-slate-700">Places left</dt>
                        <dd className={`text-xl font-bold ${full ? "text-amber-800" : "text-slate-900"}`}>{s.seatsLeft}</dd>
                      </div>
                      <div>
                        <dt className="text-xs font-medium text-slate-700">Waiting</dt>
                        <dd className="text-xl font-bold text-slate-900">{s.waiting}</dd>
                      </div>
                    </dl>
                  </div>
                  <div aria-hidden="true" className="mt-4 h-2 overflow-hidden rounded-full bg-slate-200">
                    <div className={`h-full rounded-full ${full ? "bg-amber-600" : "bg-brand-700"}`} style={{ width: `${pct}%` }} />
                  </div>
                  <div className="mt-4 flex flex-col gap-2 sm:flex-row">
                    <ButtonLink
                      to={`/coordinator/sessions/${s.id}/attendees`}
                      variant="secondary"
                      aria-label={`Attendees and waiting list: ${s.title ?? s.courseName}, ${formatRange(s.startsAt, s.endsAt)}`}
                    >
                      Attendees and waiting list
                    </ButtonLink>
                    <ButtonLink
                      to={`/coordinator/sessions/${s.id}`}
                      variant="ghost"
                      aria-label={`Trainers, time and place: ${s.title ?? s.courseName}, ${formatRange(s.startsAt, s.endsAt)}`}
                    >
                      Trainers, time and place
                    </ButtonLink>
                  </div>
                </Card>
              </li>
            );
          })}
        </ol>
      )}
      {page.pages > 1 ? <Pager page={page} noun="open sessions" /> : null}
    </>
  );
}
