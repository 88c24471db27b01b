import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { useState } from "react";
import { notFound, refuse, requireUser } from "#app/auth/guards.server.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { getDb } from "#app/db.server.ts";
import { ClosedSummary, CloseCard } from "#app/register/close-card.tsx";
import { handleRegisterIntent, isSyncRequest } from "#app/register/intents.server.ts";
import { PeopleList } from "#app/register/people-list.tsx";
import { HeadCountCard, WalkInCard } from "#app/register/register-forms.tsx";
import { getRegister } from "#app/register/register.server.ts";
import { RegisterStatusBar } from "#app/register/register-status-bar.tsx";
import { REFUSAL_HEADER, RESULT_HEADER } from "#app/register/sync-protocol.ts";
import { useRegisterSync } from "#app/register/use-register-sync.ts";
import { useRegisterUndo } from "#app/register/use-register-undo.ts";
import { sessionWhere } from "#app/scheduling/session-detail.server.ts";
import { formatDateTime, formatRange } from "#app/utils/dates.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { parseId } from "#app/utils/forms.server.ts";
import { readFormData } from "#app/utils/request-body.server.ts";
import { randomToken } from "#app/utils/tokens.server.ts";
import { useHydrated } from "#app/utils/use-hydrated.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Register: ${data?.session.title ?? "Session"} · NeverOK Training` }];

/** The answers to the page's script carry their result in headers, so they have to reach the response. */
export const headers: HeadersFunction = ({ actionHeaders, loaderHeaders }) => {
  const out = new Headers(loaderHeaders);
  for (const name of [RESULT_HEADER, REFUSAL_HEADER]) {
    const value = actionHeaders.get(name);
    if (value) out.set(name, value);
  }
  return out;
};

/** Coordinators and the session's own trainers; to any other trainer the session does not exist. */
async function registerFor(request: Request, user: SessionUser, param: string | undefined) {
  const id = parseId(param);
  if (!id) throw notFound("We could not find that session.");
  try {
    return await getRegister(getDb(), user, id);
  } catch (err) {
    if (!(err instanceof RuleViolation)) throw err;
    if (err.field !== "forbidden") throw notFound("We could not find that session.");
    throw user.roles.includes("trainer")
      ? notFound("We could not find that session among yours.")
      : await refuse(request, user, "the session's trainer or a coordinator");
  }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const r = await registerFor(request, user, params.sessionId);
  const s = r.session;
  return {
    session: {
      id: s.id,
      title: r.title ?? s.course.name,
      when: formatRange(s.startsAt, s.endsAt),
      where: sessionWhere(s),
      organisation: s.organisation?.name ?? null,
      kind: r.kind,
      state: r.state,
    },
    people: r.people,
    headCount: r.headCount,
    closedAt: r.closedAt,
    feedbackRequests: r.feedbackRequests,
    closableFrom: r.closableFrom.toISOString(),
    closableFromText: formatDateTime(r.closableFrom),
    closableNow: r.closableNow,
    backTo: r.onSession || !user.roles.includes("coordinator") ? `/trainer/sessions/${s.id}` : `/coordinator/sessions/${s.id}`,
    // For the walk-in form without JavaScript; the page's script makes a new key per walk-in.
    walkInKey: randomToken(16),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const { session } = await registerFor(request, user, params.sessionId);
  return handleRegisterIntent(user, session.id, await readFormData(request), isSyncRequest(request));
}

export default function RegisterPage() {
  const loaded = useLoaderData<typeof loader>();
  const { session: s, closedAt } = loaded;
  const hydrated = useHydrated();
  const sync = useRegisterSync(s.id, loaded.people, loaded.headCount);
  const changes = useRegisterUndo(sync);
  // Without JavaScript the search is a GET form: start from what it asked for.
  const [searchParams] = useSearchParams();
  const [query, setQuery] = useState(() => searchParams.get("q") ?? "");
  const [walkInName, setWalkInName] = useState<string | null>(null);

  const open = s.state === "open";
  const booked = s.kind === "booked";
  const everyone = sync.rows.length;
  const present = sync.rows.filter((r) => r.present).length;
  const pending = sync.state.items.length;
  const summary = booked
    ? `${sync.headCount === null ? "No head count yet" : `Head count: ${sync.headCount}`}${everyone ? ` · ${present} named` : ""}`
    : `${present} of ${everyone} present`;

  return (
    <div className="mx-auto max-w-2xl">
      <p className="mb-3 text-sm">
        <Link to={loaded.backTo}>← Session details</Link>
      </p>
      <header className="mb-4">
        <p className="text-sm font-semibold uppercase tracking-wide text-brand-700">Register</p>
        <h1 className="text-2xl font-bold tracking-tight text-slate-900">{s.title}</h1>
        <p className="mt-1 text-slate-700">{s.when}</p>
        <p className="text-slate-700">
          {s.where}
          {s.organisation ? ` · ${s.organisation}` : ""}
        </p>
      </header>

      {s.state === "cancelled" ? (
        <p role="status" className="rounded-md border border-red-300 bg-red-50 p-4 text-red-900">
          This session was cancelled, so it has no register.
        </p>
      ) : null}
      {s.state === "closed" && !closedAt ? (
        <p role="status" className="mb-4 rounded-md border border-slate-300 bg-white p-4 text-slate-800">
          This session is recorded as delivered, so its register can no longer be changed.
        </p>
      ) : null}
      {closedAt ? (
        <ClosedSummary
          sessionId={s.id}
          closedAt={closedAt}
          present={present}
          absent={everyone - present}
          feedbackRequests={loaded.feedbackRequests}
          headCount={loaded.headCount}
        />
      ) : null}

      {open ? (
        <RegisterStatusBar sessionId={s.id} summary={summary} sync={sync} hydrated={hydrated} lastChange={changes.lastChange} onUndo={changes.undoLast} />
      ) : null}
      {/* A group booking counts heads first; names are the extra. */}
      {open && booked ? (
        <HeadCountCard
          saved={sync.headCount}
          hydrated={hydrated}
          onSave={(count) => sync.add({ kind: "head-count", count })}
          countableFromText={loaded.closableNow ? null : loaded.closableFromText}
        />
      ) : null}
      {s.state !== "cancelled" ? (
        <PeopleList
          sessionId={s.id}
          booked={booked}
          open={open}
          rows={sync.rows}
          query={query}
          onQuery={setQuery}
          hydrated={hydrated}
          onToggle={changes.toggle}
          onAddAsWalkIn={setWalkInName}
        />
      ) : null}

      {open ? (
        <>
          <WalkInCard
            kind={s.kind}
            walkInKey={loaded.walkInKey}
            hydrated={hydrated}
            onAdd={(name, email) => {
              changes.addWalkIn(name, email);
              setQuery("");
            }}
            lastAdded={changes.lastAdded}
            prefill={walkInName}
            onPrefilled={() => setWalkInName(null)}
          />
          <CloseCard
            sessionId={s.id}
            pending={pending}
            present={present}
            notYet={everyone - present}
            closableFrom={loaded.closableFrom}
            closableFromText={loaded.closableFromText}
            closableNow={loaded.closableNow}
            hydrated={hydrated}
            booked={booked}
            headCount={sync.headCount}
          />
        </>
      ) : null}
    </div>
  );
}
