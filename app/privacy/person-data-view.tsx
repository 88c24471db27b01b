import type { ReactNode } from "react";
import { DataTable, Td, Th } from "#app/components/data-table.tsx";
import { Badge, Card } from "#app/components/layout.tsx";
import { academicYearLabel, formatDateTime, formatDay } from "#app/utils/dates.ts";
import type { PersonData } from "./person-data.server.ts";

const WEEKDAYS = ["", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

function None({ children = "None." }: { children?: ReactNode }) {
  return <p className="text-sm text-slate-600">{children}</p>;
}

function Empty({ value }: { value: string | null | undefined }) {
  return value ? <>{value}</> : <span className="text-slate-600">–</span>;
}

function Facts({ rows }: { rows: [string, ReactNode][] }) {
  return (
    <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]">
      {rows.map(([term, value]) => (
        <div key={term} className="contents">
          <dt className="font-semibold text-slate-900">{term}</dt>
          <dd className="text-slate-800">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function Section({ id, title, count, children }: { id: string; title: string; count?: number; children: ReactNode }) {
  return (
    <section id={id} aria-labelledby={`${id}-title`} className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
      <h2 id={`${id}-title`} className="mb-3 flex items-center gap-2 text-lg font-semibold text-slate-900">
        {title}
        {count !== undefined ? <Badge tone={count ? "brand" : "slate"}>{count}</Badge> : null}
      </h2>
      {children}
    </section>
  );
}

/** Everything held about one address, section by section, in the words a data protection officer would use. */
export function PersonDataView({ data, feedbackNote }: { data: PersonData; feedbackNote: string }) {
  const { account, leader } = data;
  return (
    <div className="space-y-6">
      <Card title="In short">
        <ul className="grid gap-2 text-sm sm:grid-cols-2 lg:grid-cols-3">
          {[
            ["#account", "Account", account ? (account.active ? "active" : "deactivated") : "none"],
            ["#registrations", "Registrations", String(data.registrations.length)],
            ["#feedback", "Feedback links", String(data.feedbackLinks.length)],
            ["#leader", "Leader roles", String(leader?.appointments.length ?? 0)],
            ["#staff", "Staff lists", String(data.staff.length)],
            ["#emails", "Emails sent to them", String(data.emails.length)],
            ["#audit", "Audit entries", String(data.audit.length)],
          ].map(([href, label, value]) => (
            <li key={href}>
              <a href={href} className="font-medium">
                {label}
              </a>
              : {value}
            </li>
          ))}
        </ul>
      </Card>

      <Section id="account" title="Account">
        {account ? (
          <div className="space-y-4">
            <Facts
              rows={[
                ["Name", account.name],
                ["Email", account.email],
                ["Status", account.active ? "Active, may sign in" : "Deactivated"],
                ["Password set", account.hasPassword ? "Yes (stored as a one-way hash)" : "No"],
                ["Created", formatDateTime(account.createdAt)],
                ["Roles", account.roles.length ? account.roles.join(", ") : "None"],
                ["Organisations", account.organisations.length ? account.organisations.join(", ") : "None"],
                [
                  "Signed-in sessions",
                  `${account.signInSessions.count}${account.signInSessions.lastUsedAt ? `, last used ${formatDateTime(account.signInSessions.lastUsedAt)}` : ""}`,
                ],
                [
                  "Second factor",
                  account.secondFactor
                    ? `Authenticator app since ${formatDateTime(account.secondFactor.setUpAt)}; ${account.secondFactor.recoveryCodes.unused} recovery codes unused, ${account.secondFactor.recoveryCodes.used} used`
                    : "None",
                ],
                [
                  "Emailed links",
                  account.emailedLinks.length
                    ? account.emailedLinks.map((l) => `${l.purpose.replace("_", " ")} (${formatDay(l.createdAt)})`).join(", ")
                    : "None",
                ],
                ["Changes they made", `${account.actionsRecorded} in the audit log`],
              ]}
            />
            {account.bookingRequests.length ? (
              <DataTable
                caption="Booking requests they made"
                head={
                  <>
                    <Th>Request</Th>
                    <Th>Course</Th>
                    <Th>Organisation</Th>
                    <Th>Status</Th>
                    <Th>Notes</Th>
                  </>
                }
              >
                {account.bookingRequests.map((b) => (
                  <tr key={b.id}>
                    <Td className="whitespace-nowrap">
                      #{b.id}, {formatDay(b.createdAt)}
                    </Td>
                    <Td>{b.course}</Td>
                    <Td>{b.organisation}</Td>
                    <Td>{b.status}</Td>
                    <Td>
                      <Empty value={[b.accessNeeds.join(", "), b.accessibilityNeeds, b.notes].filter(Boolean).join(" · ")} />
                    </Td>
                  </tr>
                ))}
              </DataTable>
            ) : null}
            {account.trainer.qualifications.length || account.trainer.assignments.length ? (
              <Facts
                rows={[
                  ["Qualified for", account.trainer.qualifications.join(", ") || "None"],
                  ["Sessions assigned", String(account.trainer.assignments.length)],
                  ["Weekly availability", account.trainer.availability.map((a) => `${WEEKDAYS[a.weekday]} ${a.start}–${a.end}`).join(", ") || "None"],
                  ["Time off", account.trainer.timeOff.map((t) => `${formatDay(t.startsAt)}${t.reason ? ` (${t.reason})` : ""}`).join(", ") || "None"],
                  ["Calendar feed", account.trainer.calendarFeed ? "On" : "Off"],
                ]}
              />
            ) : null}
          </div>
        ) : (
          <None>No account uses this address.</None>
        )}
      </Section>

      <Section id="registrations" title="Registrations" count={data.registrations.length}>
        {data.registrations.length ? (
          <DataTable
            caption="Registrations for sessions"
            head={
              <>
                <Th>Session</Th>
                <Th>Place and attendance</Th>
                <Th>Name and student ID</Th>
                <Th>What they told us</Th>
              </>
            }
          >
            {data.registrations.map((r) => (
              <tr key={r.id}>
                <Td>
                  <span className="block font-medium">{r.session}</span>
                  <span className="block whitespace-nowrap text-slate-600">{formatDateTime(r.startsAt)}</span>
                </Td>
                <Td>
                  <span className="block">{r.status}</span>
                  <span className="block text-slate-600">
                    {r.attendance}
                    {r.walkIn ? " (walk-in)" : ""}
                  </span>
                </Td>
                <Td>
                  <span className="block">{r.name}</span>
                  <span className="block text-slate-600">
                    <Empty value={r.studentId} />
                  </span>
                  {r.foundBy === "student ID" ? <span className="block text-slate-600">Registered as {r.email ?? "no email"}; found by student ID</span> : null}
                </Td>
                <Td>
                  <span className="block">
                    Accessibility: <Empty value={r.accessibilityNeeds} />
                  </span>
                  <span className="block">
                    Answer: <Empty value={r.answer} />
                  </span>
                </Td>
              </tr>
            ))}
          </DataTable>
        ) : (
          <None>No registrations with this address or their student ID.</None>
        )}
      </Section>

      <Section id="feedback" title="Feedback" count={data.feedbackLinks.length}>
        <p className="mb-3 max-w-3xl text-sm text-slate-700">{feedbackNote}</p>
        {data.feedbackLinks.length ? (
          <ul className="space-y-1 text-sm">
            {data.feedbackLinks.map((f) => (
              <li key={`${f.registrationId}-${f.sentAt}`}>
                {f.course}, {formatDay(f.startsAt)}: link sent {formatDay(f.sentAt)}, {f.usedOn ? `used on ${formatDay(f.usedOn)}` : "not used"}
              </li>
            ))}
          </ul>
        ) : (
          <None>No feedback links were sent to them.</None>
        )}
      </Section>

      <Section id="leader" title="Student leader record" count={leader?.appointments.length ?? 0}>
        {leader ? (
          <div className="space-y-4">
            <Facts
              rows={[
                ["Name", leader.name],
                ["Student ID", <Empty key="sid" value={leader.studentId} />],
                ["On the roster since", formatDay(leader.createdAt)],
                [
                  "Roles",
                  leader.appointments
                    .map(
                      (a) =>
                        `${a.role}${a.group ? ` (${a.group})` : ""}, ${academicYearLabel(a.year)}${a.endedOn ? `, ended ${a.endedOn}${a.endReason ? `: ${a.endReason}` : ""}` : ""}`,
                    )
                    .join("; ") || "None",
                ],
                [
                  "Training recorded by an officer",
                  leader.completions
                    .map(
                      (c) =>
                        `${c.course} on ${c.completedOn}${c.provider ? ` with ${c.provider}` : ""}${c.evidenceNote ? ` (${c.evidenceNote})` : ""}${c.withdrawnAt ? ", withdrawn" : ""}`,
                    )
                    .join("; ") || "None",
                ],
                [
                  "Exemptions",
                  leader.exemptions
                    .map((e) => `${e.course}, ${e.year}: ${e.reason} (granted by ${e.grantedBy})${e.withdrawnAt ? ", withdrawn" : ""}`)
                    .join("; ") || "None",
                ],
                ["Reminders sent", String(leader.reminders.length)],
                ["Own-status links", String(leader.accessLinks.length)],
                ["Possible matches dismissed", String(leader.dismissedMatches)],
              ]}
            />
          </div>
        ) : (
          <None>Not on a student leader roster.</None>
        )}
      </Section>

      <Section id="staff" title="Venue and staff-team staff lists" count={data.staff.length}>
        {data.staff.length ? (
          <div className="space-y-4">
            {data.staff.map((m) => (
              <Facts
                key={m.id}
                rows={[
                  ["On the staff list of", m.organisation],
                  ["Name", m.name],
                  ["Staff number", <Empty key="number" value={m.staffNumber} />],
                  ["Employer", <Empty key="employer" value={m.employer} />],
                  ["Role", `${m.role}, from ${m.startedOn}${m.endedOn ? `, left ${m.endedOn}${m.endReason ? `: ${m.endReason}` : ""}` : ""}`],
                  [
                    "Training recorded by hand",
                    m.completions
                      .map(
                        (c) =>
                          `${c.course} on ${c.completedOn} with ${c.provider}${c.evidenceNote ? ` (${c.evidenceNote})` : ""}${c.withdrawnAt ? ", withdrawn" : ""}`,
                      )
                      .join("; ") || "None",
                  ],
                  [
                    "Exemptions",
                    m.exemptions.map((e) => `${e.course}: ${e.reason} (granted by ${e.grantedBy})${e.withdrawnAt ? ", withdrawn" : ""}`).join("; ") || "None",
                  ],
                ]}
              />
            ))}
          </div>
        ) : (
          <None>Not on any venue's or staff team's staff list.</None>
        )}
      </Section>

      <Section id="emails" title="Emails sent to them" count={data.emails.length}>
        {data.emails.length ? (
          <DataTable
            caption="Emails sent to this address: subject, date and status (the content is not shown)"
            head={
              <>
                <Th>Written</Th>
                <Th>Subject</Th>
                <Th>Status</Th>
              </>
            }
          >
            {data.emails.map((m) => (
              <tr key={m.id}>
                <Td className="whitespace-nowrap">{formatDateTime(m.createdAt)}</Td>
                <Td>{m.subject}</Td>
                <Td>{m.status}</Td>
              </tr>
            ))}
          </DataTable>
        ) : (
          <None>No emails to this address.</None>
        )}
      </Section>

      <Section id="audit" title="Audit entries about them" count={data.audit.length}>
        {data.audit.length ? (
          <DataTable
            caption="Audit log entries about this person, newest first"
            head={
              <>
                <Th>When</Th>
                <Th>What</Th>
                <Th>Why it is listed</Th>
              </>
            }
          >
            {data.audit.map((a) => (
              <tr key={a.id}>
                <Td className="whitespace-nowrap">{formatDateTime(a.createdAt)}</Td>
                <Td>
                  {a.summary}
                  <span className="block text-xs text-slate-600">{a.actor ? `by ${a.actor}` : "by the system"}</span>
                </Td>
                <Td>{a.why}</Td>
              </tr>
            ))}
          </DataTable>
        ) : (
          <None>No audit entries about them.</None>
        )}
      </Section>

      <Section id="other" title="Elsewhere">
        <Facts
          rows={[
            ["Failed sign-ins", data.signInFailures ? `${data.signInFailures.count}, last ${formatDateTime(data.signInFailures.lastFailedAt)}` : "None"],
            ["Organisation contact for", data.organisationContacts.map((o) => o.organisation).join(", ") || "None"],
            ["Invited to sign up to", data.signupLists.map((l) => `${l.course}, ${formatDay(l.startsAt)}`).join("; ") || "None"],
            ["Session reminders sent", String(data.remindersSent.length)],
          ]}
        />
      </Section>
    </div>
  );
}
