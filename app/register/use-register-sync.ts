import { useCallback, useEffect, useMemo, useRef, useState } from "react";
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
  syncStateFrom,
  type Change,
  type QueueStore,
  type RegisterRow,
  type SyncState,
} from "./sync-queue.ts";
import { registerPath } from "./paths.ts";
import { readSyncAnswer, SYNC_HEADER, type WalkInAnswer } from "./sync-protocol.ts";

/** A person as the register's loader sends them. */
export interface LoadedPerson {
  id: number;
  name: string;
  walkIn: boolean;
  attendance: string;
}

export interface RegisterSync {
  state: SyncState;
  /** The list as the server last confirmed it, with every change still waiting applied on top. */
  rows: RegisterRow[];
  /** Queues a change: the screen shows it at once, the server gets it when it can. */
  add: (change: Change) => void;
  /** A change the server refused for good, in words for the trainer. */
  problem: string | null;
  clearProblem: () => void;
  /** The session expired: changes stay on the phone until the trainer signs in again. */
  signedOut: boolean;
  /** What the server made of each walk-in added on this phone, by the phone's key. */
  walkInAnswers: Record<string, WalkInAnswer>;
  /** The head count to show: the one waiting to be saved, else the server's. */
  headCount: number | null;
}

function browserStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

function toRows(people: LoadedPerson[]): RegisterRow[] {
  return people.map((p) => ({
    key: personKey.registration(p.id),
    id: p.id,
    name: p.name,
    walkIn: p.walkIn,
    present: p.attendance === "present",
    unsaved: false,
  }));
}

/**
 * The register page's saving machinery: every change goes into a queue kept in localStorage, is
 * sent to the register one at a time in the order it was made, and is tried again (sooner when the phone
 * says it is back online) until the server has it or refuses it for good.
 */
export function useRegisterSync(sessionId: number, loadedPeople: LoadedPerson[], savedHeadCount: number | null): RegisterSync {
  const people = useMemo(() => toRows(loadedPeople), [loadedPeople]);
  const storeRef = useRef<QueueStore | null>(null);
  const stateRef = useRef<SyncState>(emptySyncState);
  const [state, setState] = useState<SyncState>(emptySyncState);
  const [base, setBase] = useState(people);
  const [headCount, setHeadCountBase] = useState(savedHeadCount);
  const [problem, setProblem] = useState<string | null>(null);
  const [signedOut, setSignedOut] = useState(false);
  const [walkInAnswers, setWalkInAnswers] = useState<Record<string, WalkInAnswer>>({});

  // A new page load from the server (after closing, say) is the new truth.
  const [shownPeople, setShownPeople] = useState(people);
  if (people !== shownPeople) {
    setShownPeople(people);
    setBase(people);
  }
  const [shownHeadCount, setShownHeadCount] = useState(savedHeadCount);
  if (savedHeadCount !== shownHeadCount) {
    setShownHeadCount(savedHeadCount);
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
      const res = await fetch(registerPath(sessionId), {
        method: "POST",
        credentials: "same-origin",
        redirect: "manual",
        headers: { "Content-Type": "application/x-www-form-urlencoded;charset=UTF-8", [SYNC_HEADER]: "1" },
        body: new URLSearchParams(formFieldsFor(item.change)),
      });
      const answer = readSyncAnswer(res);
      const change = item.change;
      switch (answer.kind) {
        case "saved": {
          const walkIn = change.kind === "walk-in" ? answer.walkIn : null;
          setSignedOut(false);
          setBase((rows) => confirmChange(rows, change, walkIn ?? undefined));
          if (change.kind === "head-count") setHeadCountBase(change.count);
          if (change.kind === "walk-in" && walkIn) setWalkInAnswers((a) => ({ ...a, [change.clientKey]: walkIn }));
          update((s) =>
            succeeded(s, item.id, change.kind === "walk-in" && walkIn ? { clientKey: change.clientKey, registrationId: walkIn.registrationId } : undefined),
          );
          break;
        }
        case "signed-out":
          setSignedOut(true);
          update((s) => failed(s, item.id, Date.now()));
          break;
        case "refused":
          setProblem(`Not saved: ${answer.message}`);
          update((s) => refused(s, item.id));
          break;
        case "failed":
          update((s) => failed(s, item.id, Date.now()));
      }
    } catch {
      update((s) => failed(s, item.id, Date.now()));
    }
  }, [update, sessionId]);

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
  const clearProblem = useCallback(() => setProblem(null), []);
  const rows = useMemo(() => applyPending(base, state.items), [base, state.items]);
  return { state, rows, add, problem, clearProblem, signedOut, walkInAnswers, headCount: pendingHeadCount(state.items, headCount) };
}
