import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "#app/auth/guards.server.ts";
import { Button } from "#app/components/button.tsx";
import { EmailStatusBadge } from "#app/components/email-status.tsx";
import { Card, PageHeader } from "#app/components/layout.tsx";
import { getDb } from "#app/db.server.ts";
import { retryFailedEmail } from "#app/email/delivery.server.ts";
import { getOutboxMessage } from "#app/email/outbox-view.server.ts";
import { formatDateTime } from "#app/utils/dates.ts";
import { redirectWithFlash } from "#app/utils/flash.server.ts";
import { findByParam } from "#app/utils/forms.server.ts";
import { readFormData } from "#app/utils/request-body.server.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.message.subject ?? "Message"} · Outbox` }];

const loadMessage = (param: string | undefined) => findByParam(param, (id) => getOutboxMessage(getDb(), id), "We could not find that message.");

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "read:outbox");
  const message = await loadMessage(params.messageId);
  return { message };
}

export async function action({ request, params }: ActionFunctionArgs) {
  await requirePermission(request, "read:outbox");
  // The button sends no fields, but a body that is not a form is still refused before anything happens.
  await readFormData(request);
  const message = await loadMessage(params.messageId);
  await retryFailedEmail(getDb(), message.id);
  return redirectWithFlash(`/coordinator/outbox/${message.id}`, { kind: "success", message: "The message will be tried again shortly." });
}

export default function OutboxMessagePage() {
  const { message } = useLoaderData<typeof loader>();
  const srcDoc = message.html ? message.html.replace(/<head>/i, '<head><base target="_blank">') : "";
  return (
    <>
      <PageHeader
        title={message.subject}
        description={<>To {message.to}</>}
        actions={
          <>
            {message.status === "failed" ? (
              <Form method="post">
                <Button type="submit">Try sending again</Button>
              </Form>
            ) : null}
            <Link to="/coordinator/outbox" className="self-center">
              ← All messages
            </Link>
          </>
        }
      />
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="space-y-6 lg:col-span-2">
          {message.personalLinks === "removed" ? (
            <Card title="Personal links removed">
              <p className="text-slate-800">
                This message holds links that only its recipient may use (to choose a password, manage a place, give feedback or see their own record). They are
                shown here, and in the download, with their secret removed.
              </p>
            </Card>
          ) : message.personalLinks === "shown" ? (
            <Card title="Personal links shown (local demo)">
              <p className="text-slate-800">
                This message holds links that only its recipient should use. They are shown because this is a local demo: the app&apos;s address is on this
                computer and this outbox is the only mailbox. On a deployment they are shown with their secret removed.
              </p>
            </Card>
          ) : null}
          {message.links.length ? (
            <Card title="Links in this message">
              <ul className="space-y-1 break-all">
                {message.links.map((l) => (
                  <li key={l}>
                    <a href={l} data-testid="message-link">
                      {l}
                    </a>
                  </li>
                ))}
              </ul>
            </Card>
          ) : null}
          <Card title="As the recipient sees it">
            <iframe
              title={`The message “${message.subject}” as HTML`}
              srcDoc={srcDoc}
              sandbox="allow-popups allow-popups-to-escape-sandbox"
              className="h-[32rem] w-full rounded-md border border-slate-200 bg-white"
            />
          </Card>
          <Card title="Plain-text version">
            <pre
              role="region"
              tabIndex={0}
              aria-label="Plain-text version of the message"
              className="max-h-96 overflow-auto whitespace-pre-wrap rounded-md bg-slate-50 p-4 text-sm text-slate-900"
            >
              {message.text}
            </pre>
          </Card>
        </div>
        <div className="space-y-6">
          <Card title="Delivery">
            <dl className="space-y-2 text-sm">
              <div>
                <dt className="text-slate-600">Status</dt>
                <dd>
                  <EmailStatusBadge status={message.status} />
                </dd>
              </div>
              <div>
                <dt className="text-slate-600">Written</dt>
                <dd>{formatDateTime(message.createdAt)}</dd>
              </div>
              {message.sentAt ? (
                <div>
                  <dt className="text-slate-600">Delivered</dt>
                  <dd>{formatDateTime(message.sentAt)}</dd>
                </div>
              ) : null}
              <div>
                <dt className="text-slate-600">Attempts</dt>
                <dd>{message.attempts}</dd>
              </div>
              {message.nextAttemptAt && message.status === "pending" ? (
                <div>
                  <dt className="text-slate-600">Next attempt</dt>
                  <dd>{formatDateTime(message.nextAttemptAt)}</dd>
                </div>
              ) : null}
              {message.lastError ? (
                <div>
                  <dt className="text-slate-600">Last error</dt>
                  <dd className="text-red-800">{message.lastError}</dd>
                </div>
              ) : null}
            </dl>
          </Card>
          <Card title="Headers">
            <dl className="space-y-2 break-all text-sm">
              {message.headers.map((h) => (
                <div key={h.name}>
                  <dt className="font-semibold text-slate-700">{h.name}</dt>
                  <dd className="font-mono text-xs text-slate-900">{h.value}</dd>
                </div>
              ))}
            </dl>
            <a href={`/coordinator/outbox/${message.id}/raw`} className="mt-4 inline-block text-sm">
              Download the complete message (.eml)
            </a>
          </Card>
          <Card title="Attachments">
            {message.hasCalendarPart ? <p className="mb-2 text-sm text-slate-700">Includes a calendar invitation part.</p> : null}
            {message.attachments.length === 0 ? (
              <p className="text-sm text-slate-600">None.</p>
            ) : (
              <ul className="space-y-1 text-sm">
                {message.attachments.map((a) => (
                  <li key={a.index}>
                    <a href={`/coordinator/outbox/${message.id}/attachments/${a.index}`}>{a.filename}</a>{" "}
                    <span className="text-slate-600">
                      ({a.contentType}, {a.size.toLocaleString("en-GB")} bytes)
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </Card>
        </div>
      </div>
    </>
  );
}
