import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore, type FormEvent } from "react";
import { notFound, refuse as refuseAccess, requireUser } from "#app/auth/guards.server.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { Button, buttonClass } from "#app/components/button.tsx";
import { FormErrors, TextField } from "#app/components/field.tsx";
import { Card } from "#app/components/layout.tsx";
import { getDb } from "#app/db.server.ts";
import { handleRegisterIntent, isSyncRequest } from "#app/register/intents.server.ts";
import { getRegister } from "#app/register/register.server.ts";
import { HeadCountSchema, WalkInSchema, type RegisterFormReply } from "#app/register/schemas.ts";
import { REFUSAL_HEADER, RESULT_HEADER, SYNC_HEADER } from "#app/register/sync-protocol.ts";
import {
  applyPending,
  confirmChange,
  createQueueStore,
  emptySyncState,
  enqueue,
  failed,
  formFieldsFor,
  nextToSend,
  pendingHeadCount,
  personKey,
  randomKey,
  refused,
  retryNow,
  startSending,
  succeeded,
  syncMessage,
  syncStateFrom,
  type Change,
  type PersonKey,
  type QueueStore,
  type RegisterRow,
  type SyncState,
} from "#app/register/sync-queue.ts";
import { sessionWhere } from "#app/scheduling/session-detail.server.ts";
import { formatDateTime, formatRange } from "#app/utils/dates.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { parseId } from "#app/utils/forms.server.ts";
import { randomToken } from "#app/utils/tokens.server.ts";
import { readFormData } from "#app/utils/request-body.server.ts";
import { useHydrated } from "#app/utils/use-hydrated.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Register: ${data?.session.title ?? "Session"} · NeverOK Training` }];

/** The sync answers carry their result in headers, so they have to reach the response. */
export const headers: HeadersFunction = ({ actionHeaders, loaderHeaders }) => {
  const out = new Headers(loaderHeaders);
  for (const name of [RESULT_HEADER, REFUSAL_HEADER]) {
    const value = actionHeaders.get(name);
    if (value) out.set(name, value);
  }
  return out;
};

/** Coordinators and the session's own trainers; to any other trainer the session does not exist. */
async function guard(request: Request, user: SessionUser, param: string | undefined) {
  const id = parseId(param);
  if (!id) throw notFound("We could not find that session.");
  try {
    return await getRegister(getDb(), user, id);
  } catch (err) {
    if (!(err instanceof RuleViolation)) throw err;
    if (err.field !== "forbidden") throw notFound("We could not find that session.");
    throw user.roles.includes("trainer")
      ? notFound("We could not find that session among yours.")
      : await refuseAccess(request, user, "the session's trainer or a coordinator");
  }
}

const registerUrl = (id: number) => `/trainer/sessions/${id}/register`;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const r = await guard(request, user, params.sessionId);
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
  const { session } = await guard(request, user, params.sessionId);
  return handleRegisterIntent(user, session.id, await readFormData(request), isSyncRequest(request));
}

// ——— The page's saving machinery: the queue, sent one change at a time, retried until it lands. ———

type UndoEntry = { kind: "mark"; person: PersonKey; name: string; before: boolean; after: boolean } | { kind: "walk-in"; clientKey: string; name: string };

function browserStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

function toRows(people: { id: number; name: string; walkIn: boolean; attendance: string }[]): RegisterRow[] {
  return people.map((p) => ({
    key: personKey.registration(p.id),
    id: p.id,
    name: p.name,
    walkIn: p.walkIn,
    present: p.attendance === "present",
    unsaved: false,
  }));
}

type WalkInAnswer = { registrationId: number; outcome: "added" | "matched" };

function useRegisterSync(sessionId: number, people: RegisterRow[], savedHeadCount: number | null) {
  const storeRef = useRef<QueueStore | null>(null);
  const stateRef = useRef<SyncState>(emptySyncState);
  const [state, setState] = useState<SyncState>(emptySyncState);
  const [base, setBase] = useState(people);
  const [headCount, setHeadCountBase] = useState(savedHeadCount);
  const [problem, setProblem] = useState<string | null>(null);
  const [signedOut, setSignedOut] = useState(false);
  const [walkInAnswers, setWalkInAnswers] = useState<Record<string, WalkInAnswer>>({});

  // A new page load from the server (after closing, say) is the new truth.
  const [loadedPeople, setLoadedPeople] = useState(people);
  if (people !== loadedPeople) {
    setLoadedPeople(people);
    setBase(people);
  }
  const [loadedHeadCount, setLoadedHeadCount] = useState(savedHeadCount);
  if (savedHeadCount !== loadedHeadCount) {
    setLoadedHeadCount(savedHeadCount);
    setHeadCountBase(savedHeadCount);
  }

  const update = useCallback((fn: (s: SyncState) => SyncState) => {
    const next = fn(stateRef.current);
    stateRef.current = next;
    storeRef.current?.save(next.items);
    setState(next);
  }, []);

  useEffect(() => {
    storeRef.current = createQueueStore(browserStorage(), sessionId);
    update(() => syncStateFrom(storeRef.current?.load() ?? []));
  }, [sessionId, update]);

  const send = useCallback(async () => {
    const item = nextToSend(stateRef.current, Date.now());
    if (!item) return;
    update((s) => startSending(s, item.id));
    try {
      const res = await fetch(window.location.pathname, {
        method: "POST",
        credentials: "same-origin",
        redirect: "manual",
        headers: { "Content-Type": "application/x-www-form-urlencoded;charset=UTF-8", [SYNC_HEADER]: "1" },
        body: new URLSearchParams(formFieldsFor(item.change)),
      });
      if (res.status === 204) {
        const answer = item.change.kind === "walk-in" ? (JSON.parse(res.headers.get(RESULT_HEADER) ?? "null") as WalkInAnswer | null) : null;
        const change = item.change;
        setSignedOut(false);
        setBase((rows) => confirmChange(rows, change, answer ?? undefined));
        if (change.kind === "head-count") setHeadCountBase(change.count);
        if (change.kind === "walk-in" && answer) setWalkInAnswers((a) => ({ ...a, [change.clientKey]: answer }));
        update((s) =>
          succeeded(s, item.id, change.kind === "walk-in" && answer ? { clientKey: change.clientKey, registrationId: answer.registrationId } : undefined),
        );
      } else if (res.type === "opaqueredirect" || res.status === 401) {
        // Signed out (the session expired): keep everything on the phone until they sign in again.
        setSignedOut(true);
        update((s) => failed(s, item.id, Date.now()));
      } else if (res.headers.has(REFUSAL_HEADER)) {
        setProblem(`Not saved: ${decodeURIComponent(res.headers.get(REFUSAL_HEADER) ?? "")}`);
        update((s) => refused(s, item.id));
      } else {
        update((s) => failed(s, item.id, Date.now()));
      }
    } catch {
      update((s) => failed(s, item.id, Date.now()));
    }
  }, [update]);

  // Whenever the queue changes, send the next change now, or when its retry is due.
  useEffect(() => {
    if (state.sending || state.items.length === 0) return;
    const wait = state.retryAt === null ? 0 : Math.max(0, state.retryAt - Date.now());
    const timer = window.setTimeout(() => void send(), wait);
    return () => window.clearTimeout(timer);
  }, [state, send]);

  useEffect(() => {
    const again = () => update(retryNow);
    window.addEventListener("online", again);
    return () => window.removeEventListener("online", again);
  }, [update]);

  const add = useCallback((change: Change) => update((s) => enqueue(s, change, randomKey())), [update]);
  const rows = useMemo(() => applyPending(base, state.items), [base, state.items]);
  return { state, rows, add, problem, clearProblem: () => setProblem(null), signedOut, walkInAnswers, headCount: pendingHeadCount(state.items, headCount) };
}

const normalise = (text: string) =>
  text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase();

export default function RegisterPage() {
  const loaded = useLoaderData<typeof loader>();
  const { session: s, closedAt } = loaded;
  const hydrated = useHydrated();
  const people = useMemo(() => toRows(loaded.people), [loaded.people]);
  const sync = useRegisterSync(s.id, people, loaded.headCount);
  // Without JavaScript the search is a GET form: start from what it asked for.
  const [searchParams] = useSearchParams();
  const [query, setQuery] = useState(() => searchParams.get("q") ?? "");
  const [undo, setUndo] = useState<UndoEntry[]>([]);
  const [lastAdded, setLastAdded] = useState<string | null>(null);
  const [walkInName, setWalkInName] = useState<string | null>(null);

  const rows = useMemo(() => [...sync.rows].sort((a, b) => a.name.localeCompare(b.name, "en-GB", { sensitivity: "base" })), [sync.rows]);
  const shown = useMemo(() => {
    const terms = normalise(query).split(/\s+/).filter(Boolean);
    return terms.length ? rows.filter((r) => terms.every((t) => normalise(r.name).includes(t))) : rows;
  }, [rows, query]);
  const presentCount = rows.filter((r) => r.present).length;
  const pending = sync.state.items.length;
  const closed = s.state === "closed";
  const cancelled = s.state === "cancelled";
  const booked = s.kind === "booked";

  function toggle(row: RegisterRow) {
    const change: Change = { kind: "mark", person: row.key, present: !row.present };
    sync.add(change);
    setUndo((u) => [...u.slice(-19), { kind: "mark", person: row.key, name: row.name, before: row.present, after: !row.present }]);
  }

  function undoLast() {
    const last = undo.at(-1);
    if (!last) return;
    setUndo((u) => u.slice(0, -1));
    if (last.kind === "mark") {
      sync.add({ kind: "mark", person: last.person, present: last.before });
      return;
    }
    const answer = sync.walkInAnswers[last.clientKey];
    // A walk-in who turned out to be registered already is simply un-marked, never deleted.
    if (answer?.outcome === "matched") sync.add({ kind: "mark", person: personKey.registration(answer.registrationId), present: false });
    else sync.add({ kind: "remove-walk-in", clientKey: last.clientKey });
    setLastAdded(null);
  }

  function addWalkInFromForm(name: string, email: string | null) {
    const clientKey = randomKey();
    sync.add({ kind: "walk-in", clientKey, name, email });
    setUndo((u) => [...u.slice(-19), { kind: "walk-in", clientKey, name }]);
    setLastAdded(name);
    setQuery("");
  }

  const lastChange = undo.at(-1);
  const lastChangeText = lastChange
    ? lastChange.kind === "walk-in"
      ? `Added ${lastChange.name}`
      : `${lastChange.name}: ${lastChange.after ? "present" : "not yet"}`
    : null;

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

      {cancelled ? (
        <p role="status" className="rounded-md border border-red-300 bg-red-50 p-4 text-red-900">
          This session was cancelled, so it has no register.
        </p>
      ) : null}

      {closed && !closedAt ? (
        <p role="status" className="mb-4 rounded-md border border-slate-300 bg-white p-4 text-slate-800">
          This session is recorded as delivered, so its register can no longer be changed.
        </p>
      ) : null}

      {closedAt ? (
        <ClosedSummary
          sessionId={s.id}
          closedAt={closedAt}
          present={presentCount}
          absent={rows.length - presentCount}
          feedbackRequests={loaded.feedbackRequests}
          headCount={loaded.headCount}
        />
      ) : null}

      {!closed && !cancelled ? (
        <div className="sticky top-0 z-10 -mx-4 mb-4 border-b border-slate-200 bg-slate-50/95 px-4 py-3 backdrop-blur sm:mx-0 sm:rounded-lg sm:border sm:bg-white">
          <div className="flex items-center justify-between gap-3">
            <div className="min-w-0">
              <p className="text-lg font-bold text-slate-900">
                {booked
                  ? `${sync.headCount === null ? "No head count yet" : `Head count: ${sync.headCount}`}${rows.length ? ` · ${presentCount} named` : ""}`
                  : `${presentCount} of ${rows.length} present`}
              </p>
              <p
                role="status"
                aria-live="polite"
                className={`text-sm font-medium ${pending === 0 ? "text-green-800" : "text-amber-900"}`}
                data-testid="sync-status"
              >
                <span aria-hidden="true">{pending === 0 ? "✓ " : "● "}</span>
                {syncMessage(sync.state)}
              </p>
            </div>
            {hydrated ? (
              <Button
                type="button"
                variant="secondary"
                onClick={undoLast}
                disabled={!lastChange}
                aria-describedby={lastChange ? "last-change" : undefined}
                className="shrink-0 disabled:opacity-50"
              >
                <span aria-hidden="true">↶</span> Undo
              </Button>
            ) : null}
          </div>
          {lastChangeText ? (
            <p id="last-change" className="mt-1 truncate text-sm text-slate-700">
              Last change: {lastChangeText}
            </p>
          ) : null}
          {sync.signedOut ? (
            <p role="alert" className="mt-2 rounded-md border border-amber-300 bg-amber-50 p-2 text-sm text-amber-950">
              You have been signed out, so changes cannot be saved. They are kept on this phone:{" "}
              <a href={`/login?${new URLSearchParams({ redirectTo: registerUrl(s.id) })}`}>sign in again</a> and they will be sent.
            </p>
          ) : null}
          {sync.problem ? (
            <div role="alert" className="mt-2 flex items-start justify-between gap-2 rounded-md border border-red-300 bg-red-50 p-2 text-sm text-red-900">
              <p>{sync.problem}</p>
              <button type="button" onClick={sync.clearProblem} className="shrink-0 font-semibold underline">
                Dismiss
              </button>
            </div>
          ) : null}
        </div>
      ) : null}

      {/* A group booking counts heads first; names are the extra. */}
      {booked && !closed && !cancelled ? (
        <HeadCountCard saved={sync.headCount} hydrated={hydrated} onSave={(count) => sync.add({ kind: "head-count", count })} />
      ) : null}

      {!cancelled ? (
        <section aria-labelledby="people-heading" className="mb-6">
          <h2 id="people-heading" className={booked ? "mb-2 text-lg font-semibold text-slate-900" : "sr-only"}>
            {booked ? "Names (optional)" : "People"}
          </h2>
          {rows.length > 0 ? (
            <form
              method="get"
              role="search"
              className="mb-3 flex gap-2"
              onSubmit={(e) => {
                if (hydrated) e.preventDefault();
              }}
            >
              <div className="flex-1">
                <label htmlFor="register-search" className="block text-sm font-semibold text-slate-900">
                  Find a name
                </label>
                <input
                  id="register-search"
                  name="q"
                  type="search"
                  autoComplete="off"
                  autoCapitalize="words"
                  enterKeyHint="search"
                  value={query}
                  onChange={(e) => setQuery(e.target.value)}
                  // At the door the next name replaces the last one.
                  onFocus={(e) => e.currentTarget.select()}
                  className="mt-1.5 block w-full rounded-md border-0 bg-white px-3 py-3 text-base text-slate-900 shadow-sm ring-1 ring-inset ring-slate-400 placeholder:text-slate-500 focus:ring-2 focus:ring-inset focus:ring-brand-700"
                />
              </div>
              {!hydrated ? (
                <button type="submit" className={buttonClass("secondary", "self-end")}>
                  Search
                </button>
              ) : null}
            </form>
          ) : null}

          {rows.length === 0 ? (
            <p className="rounded-md border border-dashed border-slate-300 p-6 text-center text-slate-700">
              {s.kind === "booked"
                ? "Names are optional for a group booking: record a head count below, or add people by name."
                : "No one has registered for this session yet. Add people as they arrive."}
            </p>
          ) : shown.length === 0 ? (
            <div className="rounded-md border border-dashed border-slate-300 p-4 text-center text-slate-700">
              <p>No one on the register matches “{query}”.</p>
              {!closed && hydrated ? (
                <Button type="button" variant="secondary" className="mt-3" onClick={() => setWalkInName(query.trim())}>
                  Add “{query.trim()}” as a walk-in
                </Button>
              ) : !closed ? (
                <a href="#walk-in-heading">Add them as a walk-in</a>
              ) : null}
            </div>
          ) : (
            <ul className="space-y-2">
              {shown.map((row) => (
                <li key={row.key} id={row.id ? `person-${row.id}` : undefined}>
                  {closed || cancelled ? (
                    <ClosedRow row={row} />
                  ) : (
                    <PersonRow row={row} query={query} hydrated={hydrated} onToggle={toggle} showWalkIn={!booked} />
                  )}
                </li>
              ))}
            </ul>
          )}
          {shown.length > 0 && shown.length < rows.length ? (
            <p className="mt-2 text-sm text-slate-700">
              Showing {shown.length} of {rows.length}.{" "}
              {hydrated ? (
                <button type="button" className="font-semibold text-brand-700 underline" onClick={() => setQuery("")}>
                  Show everyone
                </button>
              ) : (
                <a href={registerUrl(s.id)}>Show everyone</a>
              )}
            </p>
          ) : null}
        </section>
      ) : null}

      {!closed && !cancelled ? (
        <>
          <WalkInCard
            kind={s.kind}
            walkInKey={loaded.walkInKey}
            hydrated={hydrated}
            onAdd={addWalkInFromForm}
            lastAdded={lastAdded}
            prefill={walkInName}
            onPrefilled={() => setWalkInName(null)}
          />
          <CloseCard
            sessionId={s.id}
            pending={pending}
            present={presentCount}
            notYet={rows.length - presentCount}
            closableFrom={loaded.closableFrom}
            closableFromText={loaded.closableFromText}
            closableNow={loaded.closableNow}
            hydrated={hydrated}
            booked={s.kind === "booked"}
            headCount={sync.headCount}
          />
        </>
      ) : null}
    </div>
  );
}

function PersonRow({
  row,
  query,
  hydrated,
  onToggle,
  showWalkIn,
}: {
  row: RegisterRow;
  query: string;
  hydrated: boolean;
  onToggle: (row: RegisterRow) => void;
  /** A group booking has no sign-up list, so everyone named there is a "walk-in"; saying so would only confuse. */
  showWalkIn: boolean;
}) {
  const walkIn = row.walkIn && showWalkIn;
  function submit(e: FormEvent<HTMLFormElement>) {
    if (!hydrated) return;
    e.preventDefault();
    onToggle(row);
  }
  return (
    <form method="post" onSubmit={submit}>
      <input type="hidden" name="intent" value="mark" />
      {row.id ? (
        <input type="hidden" name="registrationId" value={row.id} />
      ) : (
        <input type="hidden" name="clientKey" value={row.clientKey ?? row.key.slice(2)} />
      )}
      <input type="hidden" name="present" value={row.present ? "0" : "1"} />
      {query ? <input type="hidden" name="q" value={query} /> : null}
      <button
        type="submit"
        aria-pressed={row.present}
        className={`flex min-h-14 w-full items-center justify-between gap-3 rounded-lg px-4 py-3 text-left ring-1 ring-inset transition-colors ${
          row.present ? "bg-green-50 ring-green-600 hover:bg-green-100" : "bg-white ring-slate-300 hover:bg-slate-50"
        }`}
      >
        <span className="min-w-0">
          <span className="block text-base font-semibold break-words text-slate-900">{row.name}</span>
          {walkIn || row.unsaved ? (
            <span className="mt-0.5 block text-sm text-slate-700">
              {walkIn ? "Walk-in" : null}
              {walkIn && row.unsaved ? " · " : null}
              {row.unsaved ? <span className="text-amber-900">not saved yet</span> : null}
            </span>
          ) : null}
        </span>
        <span
          className={`inline-flex shrink-0 items-center gap-1 rounded-full px-3 py-1 text-sm font-semibold ${
            row.present ? "bg-green-700 text-white" : "bg-slate-100 text-slate-800 ring-1 ring-inset ring-slate-300"
          }`}
        >
          {row.present ? (
            <>
              <span aria-hidden="true">✓</span> Present
            </>
          ) : (
            "Not yet"
          )}
        </span>
      </button>
    </form>
  );
}

function ClosedRow({ row }: { row: RegisterRow }) {
  return (
    <div className="flex min-h-12 items-center justify-between gap-3 rounded-lg bg-white px-4 py-2 ring-1 ring-inset ring-slate-200">
      <span className="min-w-0 break-words text-slate-900">
        {row.name}
        {row.walkIn ? <span className="ml-2 text-sm text-slate-700">Walk-in</span> : null}
      </span>
      <span className={`shrink-0 text-sm font-semibold ${row.present ? "text-green-800" : "text-slate-700"}`}>{row.present ? "Present" : "Absent"}</span>
    </div>
  );
}

function WalkInCard({
  kind,
  walkInKey,
  hydrated,
  onAdd,
  lastAdded,
  prefill,
  onPrefilled,
}: {
  kind: string;
  walkInKey: string;
  hydrated: boolean;
  onAdd: (name: string, email: string | null) => void;
  lastAdded: string | null;
  prefill: string | null;
  onPrefilled: () => void;
}) {
  const reply = useActionData() as RegisterFormReply | undefined;
  const [form, fields] = useForm({
    id: "walk-in",
    lastResult: reply?.form === "walk-in" ? reply.result : undefined,
    constraint: getZodConstraint(WalkInSchema),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: WalkInSchema }),
    onSubmit(event, { submission }) {
      if (!hydrated || submission?.status !== "success") return;
      event.preventDefault();
      onAdd(submission.value.name, submission.value.email);
      event.currentTarget.reset();
    },
  });
  // "Add them as a walk-in" from a search with no match: the name is typed already.
  useEffect(() => {
    if (prefill === null) return;
    const input = document.getElementById(fields.name.id);
    if (input instanceof HTMLInputElement) {
      input.value = prefill;
      input.scrollIntoView({ block: "center" });
      input.focus();
    }
    onPrefilled();
  });
  return (
    <Card className="mb-4">
      <h2 id="walk-in-heading" className="mb-1 text-lg font-semibold text-slate-900">
        {kind === "booked" ? "Add a person" : "Add a walk-in"}
      </h2>
      <p className="mb-3 text-sm text-slate-700">They are added to the register as present.</p>
      <Form method="post" {...getFormProps(form)} className="space-y-4">
        <input type="hidden" name="intent" value="walk-in" />
        <input type="hidden" name="clientKey" value={walkInKey} />
        <FormErrors id={form.errorId} errors={form.errors} />
        <TextField meta={fields.name} label="Name" autoComplete="off" />
        <TextField
          meta={fields.email}
          label="Email"
          type="email"
          inputMode="email"
          autoComplete="off"
          optional
          hint="So they get the feedback link. If they are already registered with it, they are marked present instead."
        />
        <Button type="submit" className="w-full sm:w-auto">
          Add and mark present
        </Button>
        <p aria-live="polite" className="text-sm font-medium text-green-800">
          {lastAdded ? `Added ${lastAdded}, marked present.` : ""}
        </p>
      </Form>
    </Card>
  );
}

function HeadCountCard({ saved, hydrated, onSave }: { saved: number | null; hydrated: boolean; onSave: (count: number) => void }) {
  const reply = useActionData() as RegisterFormReply | undefined;
  const [form, fields] = useForm({
    id: "head-count",
    lastResult: reply?.form === "head-count" ? reply.result : undefined,
    constraint: getZodConstraint(HeadCountSchema),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    defaultValue: { count: saved === null ? "" : String(saved) },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: HeadCountSchema }),
    onSubmit(event, { submission }) {
      if (!hydrated || submission?.status !== "success") return;
      event.preventDefault();
      onSave(submission.value.count);
    },
  });
  return (
    <Card className="mb-4">
      <h2 className="mb-1 text-lg font-semibold text-slate-900">Head count</h2>
      <p className="mb-3 text-sm text-slate-700">For a group booking, how many people came is enough; names are optional.</p>
      <Form method="post" {...getFormProps(form)} className="flex flex-wrap items-end gap-3">
        <input type="hidden" name="intent" value="head-count" />
        <TextField meta={fields.count} label="People who came" type="number" inputMode="numeric" className="w-40" />
        <Button type="submit">Save head count</Button>
        <FormErrors id={form.errorId} errors={form.errors} />
      </Form>
      <p className="mt-2 text-sm text-slate-700">{saved === null ? "No head count recorded yet." : `Recorded: ${saved}.`}</p>
    </Card>
  );
}

/** Has the phone's clock look again every half minute. */
function everyHalfMinute(onChange: () => void) {
  const timer = window.setInterval(onChange, 30_000);
  return () => window.clearInterval(timer);
}

function CloseCard(props: {
  sessionId: number;
  pending: number;
  present: number;
  notYet: number;
  closableFrom: string;
  closableFromText: string;
  closableNow: boolean;
  hydrated: boolean;
  booked: boolean;
  headCount: number | null;
}) {
  const navigation = useNavigation();
  const [confirming, setConfirming] = useState(false);
  // Without JavaScript, "Close the register…" is a link to this page asking for the confirmation.
  const [searchParams] = useSearchParams();
  const [askedWithoutScript, setAskedWithoutScript] = useState(() => searchParams.get("confirm") === "close");
  const reachedOnThisPhone = useSyncExternalStore(
    everyHalfMinute,
    () => Date.now() >= Date.parse(props.closableFrom),
    () => false,
  );
  // The server's word at load time counts too, in case the phone's clock is behind.
  const closableNow = props.closableNow || reachedOnThisPhone;
  const open = confirming || askedWithoutScript;
  return (
    <Card className="mb-4">
      <h2 className="mb-1 text-lg font-semibold text-slate-900">Close the register</h2>
      <p className="mb-3 text-sm text-slate-700">
        When everyone is in, close the register. The session is marked delivered, people not marked present are recorded as absent, and everyone present with an
        email gets a feedback link.
      </p>
      {!closableNow ? (
        <p className="text-sm font-medium text-slate-800">You can close the register from {props.closableFromText}.</p>
      ) : props.pending > 0 ? (
        <p className="text-sm font-medium text-amber-900">Wait until all changes are saved before closing the register.</p>
      ) : !open ? (
        <a
          href={`/trainer/sessions/${props.sessionId}/register?confirm=close`}
          className={buttonClass("primary", "w-full sm:w-auto")}
          onClick={(e) => {
            if (!props.hydrated) return;
            e.preventDefault();
            setConfirming(true);
          }}
        >
          Close the register…
        </a>
      ) : (
        <div role="group" aria-labelledby="confirm-close" className="rounded-md border border-amber-300 bg-amber-50 p-4">
          <p id="confirm-close" className="font-semibold text-amber-950">
            Close the register now?
          </p>
          <p className="mt-1 text-sm text-amber-950">
            {props.present} present{props.notYet > 0 ? `; ${props.notYet} not marked will be recorded as absent` : ""}.
            {props.booked && props.headCount === null ? " No head count has been recorded." : ""} You cannot change the register afterwards.
          </p>
          <Form method="post" className="mt-3 flex flex-wrap gap-3">
            <input type="hidden" name="intent" value="close" />
            <Button type="submit" pending={navigation.state === "submitting"}>
              Yes, close the register
            </Button>
            <a
              href={`/trainer/sessions/${props.sessionId}/register`}
              className={buttonClass("secondary")}
              onClick={(e) => {
                if (!props.hydrated) return;
                e.preventDefault();
                setConfirming(false);
                setAskedWithoutScript(false);
              }}
            >
              Not yet
            </a>
          </Form>
        </div>
      )}
    </Card>
  );
}

function ClosedSummary(props: { sessionId: number; closedAt: string; present: number; absent: number; feedbackRequests: number; headCount: number | null }) {
  return (
    <Card className="mb-4">
      <h2 className="text-lg font-semibold text-slate-900">Register closed</h2>
      <p className="mt-1 text-slate-700">Closed {formatDateTime(props.closedAt)}. The session is recorded as delivered.</p>
      <dl className="mt-3 grid grid-cols-3 gap-2 text-center">
        <div className="rounded-md bg-green-50 p-2 ring-1 ring-green-200">
          <dt className="text-sm text-slate-700">Present</dt>
          <dd className="text-2xl font-bold text-slate-900">{props.present}</dd>
        </div>
        <div className="rounded-md bg-slate-50 p-2 ring-1 ring-slate-200">
          <dt className="text-sm text-slate-700">Absent</dt>
          <dd className="text-2xl font-bold text-slate-900">{props.absent}</dd>
        </div>
        <div className="rounded-md bg-slate-50 p-2 ring-1 ring-slate-200">
          <dt className="text-sm text-slate-700">Feedback links</dt>
          <dd className="text-2xl font-bold text-slate-900">{props.feedbackRequests}</dd>
        </div>
      </dl>
      {props.headCount !== null ? <p className="mt-3 text-slate-800">Head count: {props.headCount}</p> : null}
      <p className="mt-4">
        <a href={`/trainer/sessions/${props.sessionId}/qr`} className={buttonClass("primary", "w-full sm:w-auto")}>
          Show the feedback QR code
        </a>
      </p>
      <p className="mt-2 text-sm text-slate-700">People without an email, or without a phone to hand, can give feedback by scanning it in the room.</p>
    </Card>
  );
}
