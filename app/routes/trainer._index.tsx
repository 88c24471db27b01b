import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "#app/auth/guards.server.ts";
import { Badge, Card, EmptyState, PageHeader, StatCard } from "#app/components/layout.tsx";
import { getDb } from "#app/db.server.ts";
import { AssignmentResponse, type RespondActionData } from "#app/trainers/assignment-response.tsx";
import { handleAssignmentResponse } from "#app/trainers/respond.server.ts";
import { formatHours } from "#app/trainers/schemas.ts";
import { listTrainerSessions, trainerHours } from "#app/trainers/trainers.server.ts";
import { getPerson } from "#app/users/users.server.ts";
import { formatRange } from "#app/utils/dates.ts";
import { readFormData } from "#app/utils/request-body.server.ts";

export const meta: MetaFunction = () => [{ title: "My sessions · NeverOK Training" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "trainer");
  const db = getDb();
  const [person, hours, upcoming, past] = await Promise.all([
    getPerson(db, user.id),
    trainerHours(db, user.id),
    listTrainerSessions(db, user.id, "upcoming"),
    listTrainerSessions(db, user.id, "past", 10),
  ]);
  return { name: user.name, qualifications: person?.qualifications ?? [], hours, upcoming, past };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "trainer");
  return handleAssignmentResponse(user, await readFormData(request), "/trainer");
}

type UpcomingSession = ReturnType<typeof useLoaderData<typeof loader>>["upcoming"][number];

function AssignmentBadge({ session }: { session: Pick<UpcomingSession, "status" | "assignment"> }) {
  if (session.status === "cancelled") return <Badge tone="red">Cancelled</Badge>;
  if (session.assignment === "assigned") return <Badge tone="amber">Waiting for your answer</Badge>;
  return <Badge tone="green">Accepted</Badge>;
}

function CourseDot({ colour }: { colour: string }) {
  return <span aria-hidden="true" className="mt-1.5 h-3 w-3 shrink-0 rounded-full" style={{ backgroundColor: colour }} />;
}

export default function TrainerHome() {
  const { name, qualifications, hours, upcoming, past } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as RespondActionData;
  const waiting = upcoming.filter((s) => s.assignment === "assigned" && s.status === "scheduled").length;
  return (
    <>
      <PageHeader
        title={`Hello, ${name.split(" ")[0]}`}
        description="Your sessions: answer new assignments, check where you are going, and keep your availability up to date."
      />
      <div className="grid grid-cols-2 gap-4 lg:grid-cols-4">
        <StatCard label="Waiting for your answer" value={waiting} hint={waiting ? "Accept or decline below" : "Nothing to answer"} />
        <StatCard label="Upcoming sessions" value={upcoming.length} />
        <StatCard label="Hours delivered this term" value={formatHours(hours.term.hours)} hint={hours.term.label} />
        <StatCard label="Hours this academic year" value={formatHours(hours.year.hours)} hint={hours.year.label} />
      </div>

      <div className="mt-6 grid gap-6 lg:grid-cols-3">
        <Card title="Upcoming sessions" className="lg:col-span-2">
          {upcoming.length === 0 ? (
            <EmptyState>No sessions coming up. When the coordinator assigns you, the session appears here for you to accept.</EmptyState>
          ) : (
            <ul className="divide-y divide-slate-200">
              {upcoming.map((s) => {
                const when = formatRange(s.starts_at, s.ends_at);
                return (
                  <li key={s.id} className="py-4 first:pt-0 last:pb-0">
                    <div className="flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
                      <div className="flex min-w-0 gap-3">
                        <CourseDot colour={s.colour} />
                        <div className="min-w-0">
                          <h3 className="font-semibold text-slate-900">
                            <Link to={`/trainer/sessions/${s.id}`}>{s.course_name}</Link>
                            {s.organisation_name ? <span className="font-normal text-slate-700"> for {s.organisation_name}</span> : null}
                          </h3>
                          <p className="mt-0.5 text-slate-800">{when}</p>
                          <p className="text-sm text-slate-700">{s.where || "Place to be confirmed"}</p>
                        </div>
                      </div>
                      <div className="shrink-0 pl-6 sm:pl-0">
                        <AssignmentBadge session={s} />
                      </div>
                    </div>
                    {s.status === "scheduled" ? (
                      <div className="mt-3 pl-6">
                        {s.assignment === "assigned" ? (
                          <AssignmentResponse sessionId={s.id} status="assigned" label={`${s.course_name}, ${when}`} actionData={actionData} />
                        ) : (
                          <Link to={`/trainer/sessions/${s.id}`} className="text-sm font-semibold">
                            Details, co-trainers and access needs
                            <span className="sr-only">
                              : {s.course_name}, {when}
                            </span>
                          </Link>
                        )}
                      </div>
                    ) : null}
                  </li>
                );
              })}
            </ul>
          )}
        </Card>
        <div className="space-y-6">
          <Card title="You deliver">
            {qualifications.length === 0 ? (
              <p className="text-slate-700">No courses yet. The coordinator records which courses you are qualified to deliver.</p>
            ) : (
              <ul className="space-y-2">
                {qualifications.map((c) => (
                  <li key={c.id} className="text-slate-900">
                    {c.name}
                  </li>
                ))}
              </ul>
            )}
          </Card>
          <Card title="Keep your diary right">
            <ul className="space-y-3 text-slate-800">
              <li>
                <Link to="/trainer/availability" className="font-semibold">
                  Availability and time off
                </Link>
                <p className="text-sm text-slate-700">
                  The hours you can usually work, and the days you are away. The coordinator only assigns you when you are free.
                </p>
              </li>
              <li>
                <Link to="/trainer/calendar-feed" className="font-semibold">
                  Calendar feed
                </Link>
                <p className="text-sm text-slate-700">Your sessions in Google, Outlook or Apple Calendar, kept up to date.</p>
              </li>
            </ul>
          </Card>
        </div>
      </div>

      <Card title="Recent sessions" className="mt-6">
        {past.length === 0 ? (
          <p className="text-slate-700">Sessions you have delivered will be listed here.</p>
        ) : (
          <ul className="divide-y divide-slate-100">
            {past.map((s) => (
              <li key={s.id} className="flex flex-col gap-1 py-3 sm:flex-row sm:items-center sm:justify-between sm:gap-4">
                <div className="flex min-w-0 gap-3">
                  <CourseDot colour={s.colour} />
                  <div className="min-w-0">
                    <Link to={`/trainer/sessions/${s.id}`} className="font-semibold">
                      {s.course_name}
                    </Link>
                    {s.organisation_name ? <span className="text-slate-700"> for {s.organisation_name}</span> : null}
                    <p className="text-sm text-slate-700">{s.where || "Place not recorded"}</p>
                  </div>
                </div>
                <p className="shrink-0 pl-6 text-sm text-slate-800 sm:pl-0">
                  {formatRange(s.starts_at, s.ends_at)}
                  {s.status === "cancelled" ? (
                    <span className="ml-2">
                      <Badge tone="red">Cancelled</Badge>
                    </span>
                  ) : null}
                </p>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </>
  );
}
