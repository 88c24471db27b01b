import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "#app/auth/guards.server.ts";
import { FilterBar, FilterSearch, FilterSelect } from "#app/components/filters.tsx";
import { DataTable, Td, Th } from "#app/components/data-table.tsx";
import { EmptyState, PageHeader } from "#app/components/layout.tsx";
import { getDb } from "#app/db.server.ts";
import { EmailStatusBadge, EMAIL_STATUS_LABELS } from "#app/components/email-status.tsx";
import { listOutbox } from "#app/email/outbox-view.server.ts";
import { createTransportFromEnv } from "#app/email/transports.server.ts";
import { formatDateTime } from "#app/utils/dates.ts";

export const meta: MetaFunction = () => [{ title: "Outbox · NeverOK Training" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "read:outbox");
  const outbox = await listOutbox(getDb(), Object.fromEntries(new URL(request.url).searchParams));
  return { ...outbox, transport: createTransportFromEnv()?.name ?? null };
}

export default function OutboxPage() {
  const { messages, filter, page, hasMore, transport } = useLoaderData<typeof loader>();
  const query = (p: number) => {
    const params = new URLSearchParams();
    if (filter.status) params.set("status", filter.status);
    if (filter.to) params.set("to", filter.to);
    params.set("page", String(p));
    return `?${params}`;
  };
  return (
    <>
      <PageHeader title="Outbox" description="Every message the system writes, with its delivery status." />
      <div className="mb-5 rounded-md border border-sky-300 bg-sky-50 p-4 text-sm text-sky-950">
        {transport ? (
          <p>
            Mail is delivered by <strong>{transport === "smtp" ? "SMTP" : "Resend"}</strong>. Failed deliveries are retried with increasing waits; messages that
            cannot be delivered are marked failed.
          </p>
        ) : (
          <p>
            No delivery service is set up (<code>RESEND_API_KEY</code> or <code>SMTP_URL</code>), so mail is kept here and nothing leaves this machine. Open a
            message to read it as its recipient would.
          </p>
        )}
      </div>
      <FilterBar>
        <FilterSearch name="to" label="Recipient" value={filter.to} />
        <FilterSelect
          name="status"
          label="Status"
          value={filter.status}
          anyLabel="Any status"
          options={Object.entries(EMAIL_STATUS_LABELS).map(([value, label]) => ({ value, label }))}
        />
      </FilterBar>
      {messages.length === 0 ? (
        <EmptyState>No messages{filter.status || filter.to ? " match these filters" : " yet"}.</EmptyState>
      ) : (
        <DataTable
          caption="Messages in the outbox, newest first"
          head={
            <>
              <Th>Subject</Th>
              <Th>To</Th>
              <Th>Written</Th>
              <Th>Status</Th>
            </>
          }
        >
          {messages.map((m) => (
            <tr key={m.id}>
              <Td>
                <Link to={`/coordinator/outbox/${m.id}`} className="font-semibold">
                  {m.subject}
                </Link>
                {m.attachmentCount ? <span className="block text-slate-600">📎 {m.attachmentCount} attached</span> : null}
              </Td>
              <Td>{m.to_name ? `${m.to_name} <${m.to_address}>` : m.to_address}</Td>
              <Td className="whitespace-nowrap">{formatDateTime(m.created_at)}</Td>
              <Td>
                <EmailStatusBadge status={m.status} />
                {m.status === "failed" && m.last_error ? <span className="mt-1 block text-xs text-red-800">{m.last_error}</span> : null}
              </Td>
            </tr>
          ))}
        </DataTable>
      )}
      <nav aria-label="Pages" className="mt-4 flex justify-between">
        {page > 1 ? <Link to={query(page - 1)}>← Newer</Link> : <span />}
        {hasMore ? <Link to={query(page + 1)}>Older →</Link> : null}
      </nav>
    </>
  );
}
