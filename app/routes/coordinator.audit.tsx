import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { auditLogPage } from "#app/audit/audit.server.ts";
import { AUDIT_CATEGORIES, AUDIT_CATEGORY_KEYS } from "#app/audit/categories.ts";
import type { AuditLogQuery } from "#app/audit/schemas.ts";
import { requirePermission } from "#app/auth/guards.server.ts";
import { Button } from "#app/components/button.tsx";
import { DataTable, Td, Th } from "#app/components/data-table.tsx";
import { EmptyState, PageHeader } from "#app/components/layout.tsx";
import { getDb } from "#app/db.server.ts";
import { formatDateTime } from "#app/utils/dates.ts";

export const meta: MetaFunction = () => [{ title: "Audit log · NeverOK Training" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "read:audit");
  return auditLogPage(getDb(), new URL(request.url).searchParams);
}

const control = "mt-1.5 block w-full rounded-md border-0 px-3 py-2.5 ring-1 ring-inset ring-slate-400 focus:ring-2 focus:ring-brand-700";
const labelClass = "block text-sm font-semibold text-slate-900";

function query(filter: AuditLogQuery, before?: number) {
  const params = new URLSearchParams();
  for (const key of ["category", "actor", "subject", "from", "to"] as const) {
    const value = filter[key];
    if (value) params.set(key, value);
  }
  if (before) params.set("before", String(before));
  const s = params.toString();
  return s ? `?${s}` : "";
}

function DetailList({ detail }: { detail: Record<string, unknown> }) {
  const entries = Object.entries(detail);
  if (entries.length === 0) return null;
  return (
    <details className="mt-1">
      <summary className="cursor-pointer text-xs font-semibold text-brand-800">Details</summary>
      <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-xs">
        {entries.map(([k, v]) => (
          <div key={k} className="contents">
            <dt className="font-semibold text-slate-700">{k}</dt>
            <dd className="break-all font-mono text-slate-800">{typeof v === "string" ? v : JSON.stringify(v)}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}

export default function AuditPage() {
  const { events, olderThan, filter } = useLoaderData<typeof loader>();
  const filtered = Boolean(filter.category || filter.actor || filter.subject || filter.from || filter.to);
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Sign-ins, refused access and every change to people, sessions, requests and leader compliance, newest first. Entries cannot be changed here."
      />
      <Form method="get" role="search" aria-label="Filter the audit log" className="mb-4 grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-6 lg:items-end">
        <div className="lg:col-span-1">
          <label htmlFor="category" className={labelClass}>
            Kind
          </label>
          <select id="category" name="category" defaultValue={filter.category ?? ""} className={control}>
            <option value="">Everything</option>
            {AUDIT_CATEGORY_KEYS.map((key) => (
              <option key={key} value={key}>
                {AUDIT_CATEGORIES[key].label}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="actor" className={labelClass}>
            Who (email or name)
          </label>
          <input id="actor" name="actor" type="search" defaultValue={filter.actor ?? ""} className={control} />
        </div>
        <div>
          <label htmlFor="subject" className={labelClass}>
            About (any words)
          </label>
          <input id="subject" name="subject" type="search" defaultValue={filter.subject ?? ""} className={control} />
        </div>
        <div>
          <label htmlFor="from" className={labelClass}>
            From
          </label>
          <input id="from" name="from" type="date" defaultValue={filter.from ?? ""} className={control} />
        </div>
        <div>
          <label htmlFor="to" className={labelClass}>
            To
          </label>
          <input id="to" name="to" type="date" defaultValue={filter.to ?? ""} className={control} />
        </div>
        <div className="flex gap-2">
          <Button type="submit" variant="secondary">
            Filter
          </Button>
          {filtered ? (
            <Link to="/coordinator/audit" className="self-center text-sm font-semibold text-brand-800 underline">
              Clear
            </Link>
          ) : null}
        </div>
      </Form>

      {events.length === 0 ? (
        <EmptyState>{filtered || filter.before ? "Nothing matches these filters." : "Nothing recorded yet."}</EmptyState>
      ) : (
        <DataTable
          caption="Audit log, newest first"
          head={
            <>
              <Th>When</Th>
              <Th>Who</Th>
              <Th>What</Th>
            </>
          }
        >
          {events.map((e) => (
            <tr key={e.id}>
              <Td className="whitespace-nowrap">{formatDateTime(e.created_at)}</Td>
              <Td>
                {e.actor_name ? (
                  <>
                    {e.actor_name}
                    <span className="block text-xs text-slate-600">{e.actor_email}</span>
                  </>
                ) : (
                  <span className="text-slate-600">{e.action.startsWith("auth.") || e.action.startsWith("user.password") ? "Not signed in" : "System"}</span>
                )}
              </Td>
              <Td>
                {e.summary}
                <span className="block font-mono text-xs text-slate-600">
                  {e.action}
                  {e.category ? ` · ${AUDIT_CATEGORIES[e.category].label}` : ""}
                </span>
                {e.detail ? <DetailList detail={e.detail} /> : null}
              </Td>
            </tr>
          ))}
        </DataTable>
      )}

      <nav aria-label="Audit log pages" className="mt-4 flex flex-wrap gap-4 text-sm font-semibold">
        {filter.before ? (
          <Link to={`/coordinator/audit${query(filter)}`} className="text-brand-800 underline">
            Newest entries
          </Link>
        ) : null}
        {olderThan ? (
          <Link to={`/coordinator/audit${query(filter, olderThan)}`} className="text-brand-800 underline">
            Older entries
          </Link>
        ) : null}
      </nav>
    </>
  );
}
