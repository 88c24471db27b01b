import { Form, Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { Button } from "#app/components/button.tsx";
import { Badge, Card } from "#app/components/layout.tsx";
import { formatDay } from "#app/utils/dates.ts";
import type { NearMiss } from "./near-misses.server.ts";
import { sessionName } from "./near-miss.ts";

/** One possible match on the matches page: the leader on the roster beside the attendance on the register, and the two decisions. */
export function PossibleMatchCard({
  match: m,
  why,
  roles,
  startYear,
  pending,
}: {
  match: NearMiss;
  why: string;
  roles: readonly string[];
  startYear: number;
  pending: boolean;
}) {
  const headingId = `match-${m.personId}-${m.registrationId}`;
  return (
    <Card>
      <h2 id={headingId} className="flex flex-wrap items-center gap-2 text-lg font-semibold text-slate-900">
        {m.personName} <span className="text-base font-normal text-slate-700">needs {m.courseName}</span>
      </h2>
      <p className="mt-1">
        <Badge tone="amber">{why}</Badge>
      </p>
      <div className="mt-4 grid gap-4 sm:grid-cols-2">
        <section aria-label="On the roster" className="min-w-0 rounded-md bg-slate-50 p-3 ring-1 ring-slate-200">
          <p className="text-xs font-semibold uppercase tracking-wide text-slate-700">On the roster</p>
          <dl className="mt-2 space-y-1 text-sm">
            <Row label="Name">
              <Link to={`/officer/leaders/${m.personId}?year=${startYear}`}>{m.personName}</Link>
            </Row>
            <Row label="Email">{m.personEmail}</Row>
            <Row label="Student ID">{m.personStudentId ?? "None"}</Row>
            <Row label="Role">{roles.join("; ") || "None live"}</Row>
          </dl>
        </section>
        <section aria-label="On the register" className="min-w-0 rounded-md bg-amber-50 p-3 ring-1 ring-amber-200">
          <p className="text-xs font-semibold uppercase tracking-wide text-amber-900">On the register</p>
          <dl className="mt-2 space-y-1 text-sm">
            <Row label="Name">{m.registeredName}</Row>
            <Row label="Email">{m.registeredEmail ?? "None given"}</Row>
            <Row label="Student ID">{m.registeredStudentId ?? "None given"}</Row>
            <Row label="Session">
              {sessionName(m)}, {formatDay(m.attendedOn)}
            </Row>
          </dl>
        </section>
      </div>
      <div className="mt-4 flex flex-wrap gap-2">
        <Form method="post">
          <input type="hidden" name="intent" value="confirm" />
          <input type="hidden" name="personId" value={m.personId} />
          <input type="hidden" name="registrationId" value={m.registrationId} />
          <Button type="submit" pending={pending} aria-describedby={headingId}>
            Confirm: it was {m.personName}
          </Button>
        </Form>
        <Form method="post">
          <input type="hidden" name="intent" value="dismiss" />
          <input type="hidden" name="personId" value={m.personId} />
          <input type="hidden" name="registrationId" value={m.registrationId} />
          <Button type="submit" variant="secondary" pending={pending} aria-describedby={headingId}>
            Not them
          </Button>
        </Form>
      </div>
    </Card>
  );
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="flex gap-2">
      <dt className="w-24 shrink-0 text-slate-600">{label}</dt>
      <dd className="min-w-0 wrap-anywhere text-slate-900">{children}</dd>
    </div>
  );
}
