import { Form, Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { Button, ButtonLink, buttonClass } from "#app/components/button.tsx";
import { Badge, Card, EmptyState, PageHeader } from "#app/components/layout.tsx";
import { academicYearLabel, formatDateTime, formatDay } from "#app/utils/dates.ts";
import type { LeaderDetail } from "./leader-detail.server.ts";
import { RosterYearLinks } from "./leader-ui.tsx";
import { sessionName } from "./near-miss.ts";
import type { PersonRequirement } from "./rules.ts";
import { LeaderStatusBadge, RequirementBadge } from "./status-badges.tsx";
import { plural } from "#app/utils/plural.ts";

/** The read-only parts of one leader's page for an officer: where they stand, and their history. */

/** The leader's name and contact, the year's status and deadline, and the other years to look at. */
export function LeaderHeader({ detail }: { detail: LeaderDetail }) {
  const { person, year, result } = detail;
  const yearQuery = `?year=${year.startYear}`;
  const years = [...new Set([year.startYear, ...detail.otherYears.map((o) => o.startYear)])].sort((a, b) => b - a);
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-4 text-sm">
        <Link to={`/officer/leaders${yearQuery}`}>← All leaders in {year.label}</Link>
      </nav>
      <PageHeader
        title={person.name}
        description={
          <>
            <a href={`mailto:${person.email}`} className="underline">
              {person.email}
            </a>{" "}
            · {person.studentId ? `Student ID ${person.studentId}` : "No student ID"}
          </>
        }
        actions={
          <>
            <ButtonLink to={`/officer/leaders/${person.id}/edit${yearQuery}`} variant="secondary">
              Edit<span className="sr-only"> {person.name}</span>
            </ButtonLink>
            {/* On a phone the forms are far down the page. */}
            <a href="#record-external" className={buttonClass("secondary", "lg:hidden")}>
              Record training
            </a>
            <a href="#record-exemption" className={buttonClass("secondary", "lg:hidden")}>
              Record exemption
            </a>
          </>
        }
      />

      <div className="mb-6 flex flex-col gap-3 sm:flex-row sm:items-center sm:justify-between">
        <p className="flex flex-wrap items-center gap-2 text-slate-800">
          <span className="font-semibold">{year.label}:</span>
          {detail.appointments.length ? <LeaderStatusBadge status={result.status} /> : <Badge>No role this year</Badge>}
          {result.dueOn ? (
            <>
              <span>
                {result.dueOn < detail.asOf ? "Training was due by" : "Training due by"} {formatDay(result.dueOn)}
              </span>
              {result.dueOn !== year.deadline ? <span className="text-slate-600">(the year's deadline is {formatDay(year.deadline)})</span> : null}
            </>
          ) : (
            <span className="text-slate-600">The year's deadline is {formatDay(year.deadline)}</span>
          )}
        </p>
        <RosterYearLinks years={years} current={year.startYear} />
      </div>
    </>
  );
}

export function RequirementsCard({ detail }: { detail: LeaderDetail }) {
  const { year, result } = detail;
  return (
    <Card title="What their roles require">
      {result.requirements.length === 0 ? (
        <EmptyState>{detail.appointments.length ? "Nothing is required: every role this year has ended." : `No role in ${year.label}.`}</EmptyState>
      ) : (
        <ul className="divide-y divide-slate-100">
          {result.requirements.map((r) => (
            <li key={r.courseId} className="py-3">
              <div className="flex flex-wrap items-center justify-between gap-2">
                <span className="font-medium text-slate-900">{r.courseName}</span>
                <RequirementBadge state={r.state} overdue={r.dueOn < detail.asOf} />
              </div>
              <div className="mt-1 text-sm text-slate-700">
                <HowItStands requirement={r} detail={detail} />
              </div>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

/** How a requirement stands, in words: what met it, who exempted it, or when it is due. */
function HowItStands({ requirement: r, detail }: { requirement: PersonRequirement; detail: LeaderDetail }): ReactNode {
  const validity = r.validity === "academic_year" ? `counts for ${detail.year.label}` : `counts for ${plural(r.validityMonths ?? 0, "month")}`;
  if (r.state === "met" && r.metBy) {
    const m = r.metBy;
    const until = r.validUntil ? `; ${validity}, until ${formatDay(r.validUntil)}` : "";
    if (m.source === "attendance") {
      const seen = detail.attendance.find((a) => a.registrationId === m.registrationId);
      return (
        <p>
          Attended {seen?.sessionTitle ?? "a session"} on {formatDay(m.completedOn)}
          {until}.
        </p>
      );
    }
    const recorded = detail.recorded.find((c) => c.id === m.completionId);
    if (m.source === "external") {
      return (
        <>
          <p>
            Done elsewhere: {m.provider ?? recorded?.provider}, {formatDay(m.completedOn)}
            {until}.
          </p>
          {recorded?.evidenceNote ? <p>Evidence: {recorded.evidenceNote}</p> : null}
          {recorded ? <p className="text-slate-600">Recorded by {recorded.recordedByName ?? "someone no longer listed"}.</p> : null}
        </>
      );
    }
    return (
      <>
        <p>
          Attendance confirmed as theirs, {formatDay(m.completedOn)}
          {until}.
        </p>
        {recorded?.evidenceNote ? <p>{recorded.evidenceNote}</p> : null}
        {recorded ? <p className="text-slate-600">Confirmed by {recorded.recordedByName ?? "someone no longer listed"}.</p> : null}
      </>
    );
  }
  if (r.state === "exempt" && r.exemption) {
    return (
      <p>
        Exempt: {r.exemption.reason} Granted by {r.exemption.grantedBy}.
      </p>
    );
  }
  const overdue = r.dueOn < detail.asOf;
  return (
    <p className={overdue ? "font-medium text-red-800" : undefined}>
      {overdue ? `Not done; it was due by ${formatDay(r.dueOn)}.` : `Not done yet; due by ${formatDay(r.dueOn)}.`} Training {validity}.
    </p>
  );
}

export function RolesCard({ detail }: { detail: LeaderDetail }) {
  const { year, result } = detail;
  return (
    <Card title={`Roles in ${year.label}`}>
      {detail.appointments.length === 0 ? (
        <EmptyState>No role in {year.label}.</EmptyState>
      ) : (
        <ul className="divide-y divide-slate-100">
          {detail.appointments.map((a) => {
            const r = result.appointments.find((x) => x.appointmentId === a.id);
            return (
              <li key={a.id} className="flex flex-col items-start gap-1 py-3 sm:flex-row sm:justify-between">
                <div>
                  <p className="font-medium text-slate-900">
                    {a.roleName}
                    {a.groupName ? `, ${a.groupName}` : ""} {a.isPresident ? <Badge tone="brand">President</Badge> : null}
                  </p>
                  <p className="text-sm text-slate-700">
                    Started {formatDay(a.startedOn)}
                    {a.endedOn
                      ? ` · ended ${formatDay(a.endedOn)}${a.endReason ? `: ${a.endReason}` : ""}`
                      : r
                        ? ` · training due by ${formatDay(r.dueOn)}`
                        : ""}
                  </p>
                </div>
                {r ? <LeaderStatusBadge status={r.status} /> : null}
              </li>
            );
          })}
        </ul>
      )}
    </Card>
  );
}

/** Attendances under this leader's name but not their email or student ID, for the officer to confirm or rule out. */
export function NearMissesCard({ detail }: { detail: LeaderDetail }) {
  if (!detail.nearMisses.length) return null;
  return (
    <Card title="Possible matches to check">
      <p className="mb-3 text-sm text-slate-700">
        Someone with this name was at a session of a course this leader still needs, under another email address and without their student ID. If it was them,
        confirm it and it counts.
      </p>
      <ul className="space-y-3">
        {detail.nearMisses.map((m) => (
          <li key={m.registrationId} className="rounded-md bg-amber-50 p-3 ring-1 ring-amber-200">
            <p className="text-slate-900">
              <span className="font-medium">{m.registeredName}</span> ({m.registeredEmail ?? "no email"}
              {m.registeredStudentId ? `, student ID ${m.registeredStudentId}` : ", no student ID"}) was at {sessionName(m)} on {formatDay(m.attendedOn)}.
            </p>
            <div className="mt-2 flex flex-wrap gap-2">
              <Form method="post">
                <input type="hidden" name="intent" value="confirm" />
                <input type="hidden" name="registrationId" value={m.registrationId} />
                <Button type="submit">
                  Confirm
                  <span className="sr-only">
                    : {m.registeredName} at {m.sessionTitle} was {detail.person.name}
                  </span>
                </Button>
              </Form>
              <Form method="post">
                <input type="hidden" name="intent" value="dismiss" />
                <input type="hidden" name="registrationId" value={m.registrationId} />
                <Button type="submit" variant="secondary">
                  Not them
                  <span className="sr-only">
                    : {m.registeredName} at {m.sessionTitle}
                  </span>
                </Button>
              </Form>
            </div>
          </li>
        ))}
      </ul>
    </Card>
  );
}

export function AttendanceCard({ detail }: { detail: LeaderDetail }) {
  return (
    <Card title="Sessions attended">
      <p className="mb-3 text-sm text-slate-700">Every delivered session where the register has their email address or student ID, any course, any year.</p>
      {detail.attendance.length === 0 ? (
        <EmptyState>No attendance on any register yet.</EmptyState>
      ) : (
        <ul className="divide-y divide-slate-100">
          {detail.attendance.map((a) => (
            <li key={a.registrationId} className="py-2.5">
              <p className="text-slate-900">
                <span className="font-medium">{a.courseName}</span>: {a.sessionTitle} on {formatDay(a.completedOn)}
              </p>
              {a.registeredAs && a.registeredAs !== detail.person.name ? <p className="text-sm text-slate-700">Registered as {a.registeredAs}</p> : null}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

export function RemindersCard({ detail }: { detail: LeaderDetail }) {
  return (
    <Card title="Reminders sent">
      {detail.reminders.length === 0 ? (
        <p className="text-slate-700">None.</p>
      ) : (
        <ul className="space-y-2 text-sm">
          {detail.reminders.map((r) => (
            <li key={r.sentAt + r.startYear}>
              <span className="text-slate-900">{formatDateTime(r.sentAt)}</span>{" "}
              <span className="text-slate-700">
                {r.sentByName ? `by ${r.sentByName}` : "sent automatically"}
                {r.startYear !== detail.year.startYear ? ` (for ${academicYearLabel(r.startYear)})` : ""}
              </span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

export function OtherYearsCard({ detail }: { detail: LeaderDetail }) {
  return (
    <Card title="Other years">
      {detail.otherYears.length === 0 ? (
        <p className="text-slate-700">No roles in other years.</p>
      ) : (
        <ul className="space-y-2 text-sm">
          {detail.otherYears.map((o) => (
            <li key={`${o.startYear}-${o.roleName}-${o.groupName}`}>
              <Link to={`?year=${o.startYear}`} className="underline">
                {academicYearLabel(o.startYear)}
              </Link>
              : {o.roleName}
              {o.groupName ? `, ${o.groupName}` : ""}
              {o.endedOn ? ` (ended ${formatDay(o.endedOn)})` : ""}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
