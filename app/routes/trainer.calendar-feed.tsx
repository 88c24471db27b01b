import { data, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { requireRole } from "#app/auth/guards.server.ts";
import { Button } from "#app/components/button.tsx";
import { Badge, Card, PageHeader } from "#app/components/layout.tsx";
import { getDb } from "#app/db.server.ts";
import { getTrainerPlanning, issueFeedToken, revokeFeedToken } from "#app/trainers/trainers.server.ts";
import { formatDateTime } from "#app/utils/dates.ts";
import { getEnv } from "#app/utils/env.server.ts";
import { redirectWithFlash } from "#app/utils/flash.server.ts";
import { readFormData } from "#app/utils/request-body.server.ts";
import { useClipboard } from "#app/utils/use-clipboard.ts";

export const meta: MetaFunction = () => [{ title: "Calendar feed · NeverOK Training" }];

// The new link is on this page once: keep it out of caches and out of Referer headers.
export const headers: HeadersFunction = () => ({ "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" });

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "trainer");
  const planning = await getTrainerPlanning(getDb(), user.id);
  return { feedCreatedAt: planning.feedCreatedAt };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "trainer");
  const formData = await readFormData(request);
  if (formData.get("intent") === "revoke") {
    await revokeFeedToken(getDb(), user);
    return redirectWithFlash("/trainer/calendar-feed", { kind: "success", message: "Your calendar feed is off. The old link no longer works." });
  }
  if (formData.get("intent") !== "issue") throw data({ message: "We did not understand what you asked for." }, { status: 400 });
  const token = await issueFeedToken(getDb(), user);
  const base = new URL(getEnv().APP_URL);
  const path = `${base.pathname.replace(/\/$/, "")}/feeds/trainers/${token}.ics`;
  return { feed: { https: `${base.origin}${path}`, webcal: `webcal://${base.host}${path}` } };
}

function CopyField({ id, label, value, hint }: { id: string; label: string; value: string; hint: string }) {
  // Where the browser will not copy, the link is selected for copying by hand.
  const { state, copy } = useClipboard(() => document.getElementById(id)?.focus());
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-semibold text-slate-900">
        {label}
      </label>
      <p id={`${id}-hint`} className="mt-1 text-sm text-slate-600">
        {hint}
      </p>
      <div className="mt-1.5 flex flex-col gap-2 sm:flex-row">
        <input
          id={id}
          readOnly
          value={value}
          aria-describedby={`${id}-hint`}
          onFocus={(e) => e.currentTarget.select()}
          className="block w-full min-w-0 rounded-md border-0 bg-white px-3 py-2.5 font-mono text-sm text-slate-900 shadow-sm ring-1 ring-inset ring-slate-400 focus:ring-2 focus:ring-inset focus:ring-brand-700"
        />
        <Button type="button" variant="secondary" className="shrink-0" onClick={() => copy(value)}>
          Copy<span className="sr-only"> {label}</span>
        </Button>
      </div>
      <p role="status" className="mt-1 min-h-5 text-sm font-medium text-green-800">
        {state === "copied" ? "Copied." : ""}
      </p>
    </div>
  );
}

export default function CalendarFeedPage() {
  const { feedCreatedAt } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const feed = actionData?.feed;
  const newLink = useRef<HTMLElement>(null);
  useEffect(() => {
    if (feed) newLink.current?.focus();
  }, [feed]);
  const busy = (intent: string) => navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
  return (
    <>
      <p className="mb-3 text-sm">
        <Link to="/trainer">← My sessions</Link>
      </p>
      <PageHeader
        title="Calendar feed"
        description="A private link your calendar app subscribes to. Your NeverOK sessions then appear in Google Calendar, Outlook or Apple Calendar and stay up to date when anything changes."
      />

      {feed ? (
        <section
          ref={newLink}
          tabIndex={-1}
          aria-labelledby="new-link"
          className="mb-6 rounded-lg border-2 border-amber-400 bg-amber-50 p-5 outline-none focus-visible:ring-2 focus-visible:ring-brand-700"
        >
          <h2 id="new-link" className="text-lg font-semibold text-slate-900">
            Your new feed link
          </h2>
          <p className="mt-1 font-medium text-amber-950">
            Copy it now: it is shown only this once. Anyone with the link can see your sessions, so keep it to yourself.
          </p>
          <div className="mt-4 space-y-2">
            <CopyField
              id="feed-webcal"
              label="Subscription link (webcal)"
              value={feed.webcal}
              hint="For Apple Calendar and Outlook: open it, or paste it where they ask for a calendar address."
            />
            <CopyField id="feed-https" label="Web address" value={feed.https} hint="For Google Calendar: Other calendars → + → From URL, then paste this." />
          </div>
          <a href={feed.webcal} className="font-semibold">
            Open in my calendar app
          </a>
        </section>
      ) : null}

      <div className="grid gap-6 lg:grid-cols-3">
        <Card title="Your feed" className="lg:col-span-2">
          <p className="flex flex-wrap items-center gap-2">
            {feed || feedCreatedAt ? <Badge tone="green">On</Badge> : <Badge tone="slate">Off</Badge>}
            <span className="text-slate-800">
              {feed
                ? "Made just now."
                : feedCreatedAt
                  ? `Link made ${formatDateTime(feedCreatedAt)}. For your safety it cannot be shown again; make a new one if you have lost it.`
                  : "You have no feed link yet."}
            </span>
          </p>
          <div className="mt-5 flex flex-wrap gap-3">
            <Form method="post">
              <Button type="submit" name="intent" value="issue" pending={busy("issue")}>
                {feed || feedCreatedAt ? "Replace my feed link" : "Create my feed link"}
              </Button>
            </Form>
            {feed || feedCreatedAt ? (
              <Form method="post">
                <Button type="submit" name="intent" value="revoke" variant="danger" pending={busy("revoke")}>
                  Turn off my feed
                </Button>
              </Form>
            ) : null}
          </div>
          {feed || feedCreatedAt ? (
            <p className="mt-3 text-sm text-slate-700">
              Replacing the link stops the old one at once: every calendar subscribed to it stops updating until you subscribe again with the new link. Do this
              if you think someone else has it.
            </p>
          ) : null}
        </Card>
        <Card title="What is in it">
          <ul className="list-disc space-y-2 pl-5 text-slate-800">
            <li>Every session you are assigned to or have accepted, from three months ago onwards.</li>
            <li>Changes of time or place, and cancellations, as soon as your calendar app next checks (usually every few hours).</li>
            <li>Not the sessions you declined.</li>
          </ul>
          <p className="mt-3 text-sm text-slate-700">
            The feed shows session details such as the organisation and the room, so treat the link like a password.
          </p>
        </Card>
      </div>
    </>
  );
}
