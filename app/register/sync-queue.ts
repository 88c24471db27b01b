/**
 * The register's outbox on the phone. Every tap changes the screen at once and waits here until
 * the server has it; the queue survives a reload, and a failed request is tried again later.
 * Pure functions over plain data, so the page, the tests and localStorage all see the same thing.
 */

import { plural } from "#app/utils/plural.ts";

/** A person on the register: `r:<registration id>` once the server knows them, `w:<key>` for a walk-in it may not know yet. */
export type PersonKey = `r:${number}` | `w:${string}`;

export type Change =
  | { kind: "mark"; person: PersonKey; present: boolean }
  | { kind: "walk-in"; clientKey: string; name: string; email: string | null }
  | { kind: "remove-walk-in"; clientKey: string }
  | { kind: "head-count"; count: number };

export interface QueuedChange {
  id: string;
  change: Change;
}

export interface SyncState {
  /** Oldest first; sent one at a time in this order. */
  items: QueuedChange[];
  /** The item on its way to the server, if any. */
  sending: string | null;
  /** Failed attempts in a row; 0 after any success. */
  failures: number;
  /** When the next attempt may start (ms since the epoch), after a failure. */
  retryAt: number | null;
}

export const emptySyncState: SyncState = { items: [], sending: null, failures: 0, retryAt: null };

export function syncStateFrom(items: QueuedChange[]): SyncState {
  return { ...emptySyncState, items };
}

export const personKey = {
  registration: (id: number): PersonKey => `r:${id}`,
  walkIn: (clientKey: string): PersonKey => `w:${clientKey}`,
};

const isPendingMarkFor = (person: PersonKey, sending: string | null) => (item: QueuedChange) =>
  item.change.kind === "mark" && item.change.person === person && item.id !== sending;

/**
 * Adds a change. Repeated marks for one person collapse to the latest (only the final state has to
 * reach the server), as do head counts; taking back a walk-in the server has not seen yet just
 * forgets it.
 */
export function enqueue(state: SyncState, change: Change, id: string): SyncState {
  const { sending } = state;
  let items = state.items;
  switch (change.kind) {
    case "mark":
      items = items.filter((item) => !isPendingMarkFor(change.person, sending)(item));
      break;
    case "head-count":
      items = items.filter((item) => item.change.kind !== "head-count" || item.id === sending);
      break;
    case "remove-walk-in": {
      const person = personKey.walkIn(change.clientKey);
      const unsent = items.find((item) => item.change.kind === "walk-in" && item.change.clientKey === change.clientKey && item.id !== sending);
      items = items.filter((item) => item !== unsent && !isPendingMarkFor(person, sending)(item));
      if (unsent) return { ...state, items };
      break;
    }
    case "walk-in":
      break;
  }
  return { ...state, items: [...items, { id, change }] };
}

/** The change to send now, or null while one is in flight, the queue is empty, or a retry is not due. */
export function nextToSend(state: SyncState, at: number): QueuedChange | null {
  if (state.sending || state.items.length === 0) return null;
  if (state.retryAt !== null && at < state.retryAt) return null;
  return state.items[0] ?? null;
}

export function startSending(state: SyncState, id: string): SyncState {
  return { ...state, sending: id };
}

/** The server has the change. A walk-in's marks still waiting are now sent by its registration id. */
export function succeeded(state: SyncState, id: string, walkIn?: { clientKey: string; registrationId: number }): SyncState {
  let items = state.items.filter((item) => item.id !== id);
  if (walkIn) items = resolveWalkIn(items, walkIn.clientKey, walkIn.registrationId);
  return { items, sending: null, failures: 0, retryAt: null };
}

/** The server refused the change for good (for example, the register was closed): it is dropped. */
export function refused(state: SyncState, id: string): SyncState {
  return { ...state, items: state.items.filter((item) => item.id !== id), sending: null };
}

/** The request did not get through (no signal, a server error): keep it and try again later. */
export function failed(state: SyncState, id: string, at: number): SyncState {
  const failures = state.failures + 1;
  return { ...state, sending: state.sending === id ? null : state.sending, failures, retryAt: at + retryDelay(failures) };
}

/** Try at once, for example when the phone says it is back online. */
export function retryNow(state: SyncState): SyncState {
  return { ...state, retryAt: null };
}

/** 1 s, 2 s, 4 s, 8 s, 16 s, then every 30 s. */
export function retryDelay(failures: number): number {
  if (failures <= 0) return 0;
  return Math.min(1000 * 2 ** (failures - 1), 30_000);
}

function resolveWalkIn(items: QueuedChange[], clientKey: string, registrationId: number): QueuedChange[] {
  const from = personKey.walkIn(clientKey);
  const to = personKey.registration(registrationId);
  return items.map((item) => (item.change.kind === "mark" && item.change.person === from ? { ...item, change: { ...item.change, person: to } } : item));
}

/** What the trainer sees about saving. */
export function syncMessage(state: SyncState): string {
  const n = state.items.length;
  if (n === 0) return "All changes saved";
  const changes = `${plural(n, "change")} not saved yet`;
  return state.failures > 0 ? `${changes} — retrying` : `${changes} — saving…`;
}

export interface RegisterRow {
  key: PersonKey;
  id: number | null;
  name: string;
  walkIn: boolean;
  present: boolean;
  /** A change for this person has not reached the server yet. */
  unsaved: boolean;
  /** Set for walk-ins added on this phone, so they can be taken back. */
  clientKey?: string;
}

/** Whether a row is the person a change is about (a walk-in keeps its phone key after the server gives it an id). */
const isPerson = (row: RegisterRow, person: PersonKey) => row.key === person || (person.startsWith("w:") && row.clientKey === person.slice(2));

/** The list as the server last sent it, with every change still in the queue applied on top. */
export function applyPending(rows: RegisterRow[], items: QueuedChange[]): RegisterRow[] {
  let out = rows.map((r) => ({ ...r }));
  for (const { change } of items) {
    if (change.kind === "mark") {
      for (const r of out) if (isPerson(r, change.person)) Object.assign(r, { present: change.present, unsaved: true });
    } else if (change.kind === "walk-in") {
      const key = personKey.walkIn(change.clientKey);
      if (!out.some((r) => r.key === key || r.clientKey === change.clientKey)) {
        out.push({ key, id: null, name: change.name, walkIn: true, present: true, unsaved: true, clientKey: change.clientKey });
      }
    } else if (change.kind === "remove-walk-in") {
      out = out.filter((r) => !isPerson(r, personKey.walkIn(change.clientKey)));
    }
  }
  return out;
}

/**
 * The list once the server has confirmed a change, so the screen does not wait for a reload (or
 * for a signal) to stay right.
 */
export function confirmChange(rows: RegisterRow[], change: Change, walkIn?: { registrationId: number; outcome: "added" | "matched" }): RegisterRow[] {
  switch (change.kind) {
    case "mark":
      return rows.map((r) => (isPerson(r, change.person) ? { ...r, present: change.present, unsaved: false } : r));
    case "walk-in": {
      if (!walkIn) return rows;
      if (rows.some((r) => r.id === walkIn.registrationId)) {
        return rows.map((r) => (r.id === walkIn.registrationId ? { ...r, present: true, unsaved: false } : r));
      }
      const row: RegisterRow = {
        key: personKey.registration(walkIn.registrationId),
        id: walkIn.registrationId,
        name: change.name,
        walkIn: walkIn.outcome === "added",
        present: true,
        unsaved: false,
        ...(walkIn.outcome === "added" ? { clientKey: change.clientKey } : {}),
      };
      return [...rows, row];
    }
    case "remove-walk-in":
      return rows.filter((r) => !isPerson(r, personKey.walkIn(change.clientKey)));
    case "head-count":
      return rows;
  }
}

/** The head count to show: the one waiting to be saved, else the server's. */
export function pendingHeadCount(items: QueuedChange[], saved: number | null): number | null {
  let count = saved;
  for (const { change } of items) if (change.kind === "head-count") count = change.count;
  return count;
}

/** The form fields the register's action reads for a change. */
export function formFieldsFor(change: Change): Record<string, string> {
  switch (change.kind) {
    case "mark":
      return {
        intent: "mark",
        ...(change.person.startsWith("r:") ? { registrationId: change.person.slice(2) } : { clientKey: change.person.slice(2) }),
        present: change.present ? "1" : "0",
      };
    case "walk-in":
      return { intent: "walk-in", clientKey: change.clientKey, name: change.name, email: change.email ?? "" };
    case "remove-walk-in":
      return { intent: "remove-walk-in", clientKey: change.clientKey };
    case "head-count":
      return { intent: "head-count", count: String(change.count) };
  }
}

/** Where the queue is kept between page loads. */
export interface QueueStore {
  load(): QueuedChange[];
  save(items: QueuedChange[]): void;
}

type KeyValueStore = Pick<Storage, "getItem" | "setItem" | "removeItem">;

export const storageKey = (sessionId: number) => `neverok:register:${sessionId}`;

/**
 * A store over localStorage (or anything shaped like it). A store that is missing, full or
 * refuses (private browsing) costs only the copy kept across reloads, never the page.
 */
export function createQueueStore(storage: KeyValueStore | null, sessionId: number): QueueStore {
  const key = storageKey(sessionId);
  return {
    load() {
      try {
        const raw = storage?.getItem(key);
        if (!raw) return [];
        const parsed: unknown = JSON.parse(raw);
        return Array.isArray(parsed) ? parsed.filter(isQueuedChange) : [];
      } catch {
        return [];
      }
    },
    save(items) {
      try {
        if (items.length === 0) storage?.removeItem(key);
        else storage?.setItem(key, JSON.stringify(items));
      } catch {
        // Kept in memory only; the status line still shows what is unsaved.
      }
    },
  };
}

function isQueuedChange(value: unknown): value is QueuedChange {
  if (!value || typeof value !== "object") return false;
  const { id, change } = value as { id?: unknown; change?: { kind?: unknown } };
  return typeof id === "string" && !!change && typeof change === "object" && ["mark", "walk-in", "remove-walk-in", "head-count"].includes(String(change.kind));
}

/** A random key for a change or a walk-in; works where crypto.randomUUID does not (plain http on a LAN). */
export function randomKey(random: (bytes: Uint8Array) => Uint8Array = (b) => globalThis.crypto.getRandomValues(b)): string {
  return Array.from(random(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}
