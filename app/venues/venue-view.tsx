import { countOf, plural, PEOPLE } from "#app/utils/plural.ts";
import { getFormProps, type SubmissionResult } from "@conform-to/react";
import { Form, Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { Button } from "#app/components/button.tsx";
import { DataTable, Td, Th } from "#app/components/data-table.tsx";
import { FormErrors, SelectField, TextField } from "#app/components/field.tsx";
import { Badge, Card, EmptyState } from "#app/components/layout.tsx";
import { resultFor, useRecordForm, useSending, type Refused } from "#app/roster/record-forms.tsx";
import { formatDay, formatRange } from "#app/utils/dates.ts";
import { STAFF_STATUS_LABELS, staffValidityText, type Accreditation, type StaffStatus } from "./coverage.ts";
import { StaffMemberSchema } from "./schemas.ts";

/** The parts of a venue's staff page: how covered it is, who to send next, the list, and adding someone. */

const STATUS_TONE: Record<StaffStatus, "green" | "amber" | "red" | "brand"> = { trained: "green", due_soon: "amber", exempt: "brand", missing: "red" };

export function StaffStatusBadge({ status }: { status: StaffStatus }) {
  return <Badge tone={STATUS_TONE[status]}>{STAFF_STATUS_LABELS[status]}</Badge>;
}

/** A card that is a named region, so it can be found by its heading. */
export function Panel({ id, title, children, className = "" }: { id: string; title: string; children: ReactNode; className?: string }) {
  return (
    <section id={id} aria-labelledby={`${id}-title`} className={`scroll-mt-4 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200 ${className}`}>
      <h2 id={`${id}-title`} className="mb-3 text-lg font-semibold text-slate-900">
        {title}
      </h2>
      {children}
    </section>
  );
}

/** "Accredited until Tue 10 Mar 2026", or what it would take. */
export function accreditationText(a: Accreditation, counted: number, trained: number, thresholdPercent: number): string {
  if (a.accredited) return a.until ? `Accredited until ${formatDay(a.until)}` : "Accredited";
  if (counted === 0) return "Not accredited: nobody is on the staff list yet";
  const needed = Math.ceil((thresholdPercent * counted) / 100) - trained;
  return `Not accredited: ${plural(needed, { one: "more person", other: "more people" })} to train to reach ${thresholdPercent}%`;
}

export function AccreditationBadge({ accreditation }: { accreditation: Accreditation }) {
  return accreditation.accredited ? <Badge tone="green">Accredited</Badge> : <Badge tone="slate">Not accredited</Badge>;
}

export interface CoverageSummaryData {
  counted: number;
  trained: number;
  share: number | null;
  thresholdPercent: number;
  accreditation: Accreditation;
  nextLapse: string | null;
}

export function CoverageSummary({ summary }: { summary: CoverageSummaryData }) {
  const { counted, trained, share, thresholdPercent, accreditation, nextLapse } = summary;
  const cards = [
    { label: "Trained", value: share === null ? "–" : `${share}%`, hint: `${countOf(trained, counted, PEOPLE)} on the list` },
    {
      label: "Accreditation",
      value: accreditation.accredited ? "Accredited" : "Not yet",
      hint: accreditationText(accreditation, counted, trained, thresholdPercent),
    },
    { label: "Next training to lapse", value: nextLapse ? formatDay(nextLapse) : "None", hint: `The campaign's threshold is ${thresholdPercent}% trained.` },
  ];
  return (
    <dl className="grid gap-3 sm:grid-cols-3">
      {cards.map((c) => (
        <div key={c.label} className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
          <dt className="text-sm font-medium text-slate-700">{c.label}</dt>
          <dd className="mt-1 text-2xl font-bold text-slate-900">{c.value}</dd>
          <dd className="mt-1 text-sm text-slate-700">{c.hint}</dd>
        </div>
      ))}
    </dl>
  );
}

interface SendNextMember {
  id: number;
  name: string;
  status: StaffStatus;
  lapsesOn: string | null;
  needs: { courseId: number; courseName: string }[];
}

interface NextSessionView {
  id: number;
  courseName: string;
  title: string | null;
  startsAt: string;
  endsAt: string;
  where: string;
  seatsLeft: number;
}

/** Who needs training next (nobody trained first, then the soonest refreshers), and the open sessions to send them to. */
export function SendNextCard({
  members,
  sessions,
  memberHref,
  canRequest,
}: {
  members: SendNextMember[];
  sessions: NextSessionView[];
  memberHref: (id: number) => string;
  /** The venue's own booker may request a session for the team. */
  canRequest: boolean;
}) {
  return (
    <Panel id="send-next" title="Who to send to the next session">
      {members.length === 0 ? (
        <EmptyState>Everyone on the list is trained, and no refresher is due in the next 60 days.</EmptyState>
      ) : (
        <ul className="divide-y divide-slate-100 text-sm">
          {members.map((m) => (
            <li key={m.id} className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1 py-2">
              <Link to={memberHref(m.id)} className="font-medium">
                {m.name}
              </Link>
              <span className="text-slate-700">
                {m.needs.map((n) => n.courseName).join(", ")}
                {m.status === "due_soon" && m.lapsesOn ? ` (lapses ${formatDay(m.lapsesOn)})` : ""}
              </span>
            </li>
          ))}
        </ul>
      )}
      {members.length ? (
        <div className="mt-4">
          <h3 className="text-sm font-semibold text-slate-900">Open sessions they can sign up to</h3>
          {sessions.length ? (
            <ul className="mt-2 space-y-2 text-sm">
              {sessions.map((s) => (
                <li key={s.id}>
                  <Link to={`/sessions/open/${s.id}`} className="font-medium">
                    {s.title ?? s.courseName}
                  </Link>
                  <span className="block text-slate-700">
                    {s.courseName} · {formatRange(s.startsAt, s.endsAt)} · {s.where || "Place to be confirmed"} · {plural(s.seatsLeft, "place")} left
                  </span>
                </li>
              ))}
            </ul>
          ) : (
            <p className="mt-1 text-sm text-slate-700">
              No open session for these courses has places at the moment.
              {canRequest ? (
                <>
                  {" "}
                  <Link to="/booker/requests/new" className="underline">
                    Request a session for your team
                  </Link>{" "}
                  instead.
                </>
              ) : null}
            </p>
          )}
          <p className="mt-2 text-sm text-slate-700">
            They sign up with the email address on this list (or give their staff number), so their attendance counts here by itself.
          </p>
        </div>
      ) : null}
    </Panel>
  );
}

interface StaffRowView extends SendNextMember {
  roleName: string;
  employer: string | null;
  email: string;
}

export function StaffTable({ members, memberHref }: { members: StaffRowView[]; memberHref: (id: number) => string }) {
  if (members.length === 0) return <EmptyState>Nobody is on the staff list yet. Add people by hand below, or import the list from a spreadsheet.</EmptyState>;
  return (
    <DataTable
      caption="Staff on the list, with their training"
      head={
        <>
          <Th>Name</Th>
          <Th>Role</Th>
          <Th>Training</Th>
          <Th>Counts until</Th>
        </>
      }
    >
      {members.map((m) => (
        <tr key={m.id}>
          <Td>
            <Link to={memberHref(m.id)} className="font-medium">
              {m.name}
            </Link>
            <span className="block text-slate-600 [overflow-wrap:anywhere]">{m.email}</span>
          </Td>
          <Td>
            {m.roleName}
            {m.employer ? <span className="block text-slate-600">Employed by {m.employer}</span> : null}
          </Td>
          <Td>
            <StaffStatusBadge status={m.status} />
            {m.status === "missing" ? <span className="block text-slate-700">Needs {m.needs.map((n) => n.courseName).join(", ")}</span> : null}
          </Td>
          <Td>{m.lapsesOn ? formatDay(m.lapsesOn) : m.status === "missing" ? "–" : "For good"}</Td>
        </tr>
      ))}
    </DataTable>
  );
}

export function RolesCard({
  roles,
}: {
  roles: { id: number; name: string; requirements: { courseId: number; courseName: string; validity: string; validityMonths: number | null }[] }[];
}) {
  return (
    <Card title="What each role needs">
      {roles.length === 0 ? (
        <EmptyState>The coordinator has not set up any staff roles yet.</EmptyState>
      ) : (
        <dl className="space-y-2 text-sm">
          {roles.map((r) => (
            <div key={r.id}>
              <dt className="font-semibold text-slate-900">{r.name}</dt>
              <dd className="text-slate-700">
                {r.requirements.length ? r.requirements.map((q) => `${q.courseName} (${staffValidityText(q)})`).join(", ") : "No training needed"}
              </dd>
            </div>
          ))}
        </dl>
      )}
    </Card>
  );
}

export function LeaversCard({
  leavers,
  refused,
}: {
  leavers: { id: number; name: string; roleName: string; endedOn: string | null; endReason: string | null }[];
  refused: Refused;
}) {
  if (leavers.length === 0) return null;
  return (
    <Card title="Who has left">
      <ul className="divide-y divide-slate-100 text-sm">
        {leavers.map((l) => (
          <li key={l.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
            <span>
              <span className="font-medium text-slate-900">{l.name}</span>, {l.roleName}: left {l.endedOn ? formatDay(l.endedOn) : ""}
              {l.endReason ? ` (${l.endReason})` : ""}
            </span>
            <Form method="post">
              <input type="hidden" name="intent" value="reinstate" />
              <input type="hidden" name="memberId" value={l.id} />
              <Button type="submit" variant="secondary">
                Put back on the list<span className="sr-only">: {l.name}</span>
              </Button>
              <FormErrors id={`reinstate-${l.id}-error`} errors={resultFor(refused, `reinstate-${l.id}`)?.error?.[""] ?? undefined} />
            </Form>
          </li>
        ))}
      </ul>
    </Card>
  );
}

/** The fields of a staff member, for adding someone and for changing their details. */
export function StaffMemberForm({
  id,
  intent,
  roles,
  lastResult,
  defaultValue,
  submitLabel,
}: {
  id: string;
  intent: "add" | "update";
  roles: { value: string; label: string }[];
  lastResult: SubmissionResult<string[]> | undefined;
  defaultValue: { name?: string; email?: string; staffNumber?: string; employer?: string; roleId?: string; startedOn: string };
  submitLabel: string;
}) {
  const [form, fields] = useRecordForm(id, StaffMemberSchema, lastResult, defaultValue);
  const busy = useSending(intent);
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-4">
      <input type="hidden" name="intent" value={intent} />
      <FormErrors id={form.errorId} errors={form.errors} />
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField meta={fields.name} label="Full name" autoComplete="off" />
        <TextField
          meta={fields.email}
          label="Email address"
          type="email"
          autoComplete="off"
          hint="The address they sign up to sessions with: attendance is matched by it."
        />
        <SelectField meta={fields.roleId} label="Role" options={roles} placeholder="Choose a role" />
        <TextField meta={fields.startedOn} label="Started on" type="date" />
        <TextField
          meta={fields.staffNumber}
          label="Staff number"
          optional
          autoComplete="off"
          hint="Or SIA licence number. Matched like a student ID when they sign up."
        />
        <TextField
          meta={fields.employer}
          label="Employer"
          optional
          autoComplete="off"
          hint="For contracted staff only: the firm that employs them, such as the security company."
        />
      </div>
      <Button type="submit" pending={busy}>
        {submitLabel}
      </Button>
    </Form>
  );
}
