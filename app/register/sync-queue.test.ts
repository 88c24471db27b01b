import { describe, expect, it } from "vitest";
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
  randomKey,
  refused,
  retryDelay,
  retryNow,
  startSending,
  storageKey,
  succeeded,
  syncMessage,
  type Change,
  type RegisterRow,
  type SyncState,
} from "./sync-queue.ts";

let n = 0;
const add = (state: SyncState, change: Change) => enqueue(state, change, `c${++n}`);
const mark = (id: number, present: boolean): Change => ({ kind: "mark", person: `r:${id}`, present });
const kinds = (state: SyncState) => state.items.map((i) => i.change);

const row = (id: number, name: string, present = false): RegisterRow => ({ key: `r:${id}`, id, name, walkIn: false, present, unsaved: false });

describe("enqueue", () => {
  it("keeps changes in order and collapses repeated marks for one person to the latest", () => {
    let s = add(emptySyncState, mark(1, true));
    s = add(s, mark(2, true));
    s = add(s, mark(1, false));
    s = add(s, mark(1, true));
    expect(kinds(s)).toEqual([mark(2, true), mark(1, true)]);
  });

  it("never drops the change already on its way: the newer one follows it", () => {
    let s = add(emptySyncState, mark(1, true));
    const inFlight = s.items[0]!.id;
    s = startSending(s, inFlight);
    s = add(s, mark(1, false));
    expect(kinds(s)).toEqual([mark(1, true), mark(1, false)]);
    s = add(s, mark(1, true));
    expect(kinds(s)).toEqual([mark(1, true), mark(1, true)]);
    expect(s.items[0]!.id).toBe(inFlight);
  });

  it("keeps only the latest head count", () => {
    let s = add(emptySyncState, { kind: "head-count", count: 20 });
    s = add(s, mark(3, true));
    s = add(s, { kind: "head-count", count: 23 });
    expect(kinds(s)).toEqual([mark(3, true), { kind: "head-count", count: 23 }]);
    expect(pendingHeadCount(s.items, 5)).toBe(23);
    expect(pendingHeadCount([], 5)).toBe(5);
  });

  it("forgets a walk-in taken back before it was sent, with its marks", () => {
    let s = add(emptySyncState, mark(1, true));
    s = add(s, { kind: "walk-in", clientKey: "jo", name: "Jo Bloggs", email: null });
    s = add(s, { kind: "mark", person: "w:jo", present: false });
    s = add(s, { kind: "remove-walk-in", clientKey: "jo" });
    expect(kinds(s)).toEqual([mark(1, true)]);
  });

  it("asks the server to remove a walk-in it may already have", () => {
    let s = add(emptySyncState, { kind: "walk-in", clientKey: "jo", name: "Jo Bloggs", email: null });
    s = startSending(s, s.items[0]!.id);
    s = add(s, { kind: "remove-walk-in", clientKey: "jo" });
    expect(kinds(s).map((c) => c.kind)).toEqual(["walk-in", "remove-walk-in"]);

    // Once the server has it, the removal is all that is left to send.
    s = succeeded(s, s.items[0]!.id, { clientKey: "jo", registrationId: 40 });
    expect(kinds(s)).toEqual([{ kind: "remove-walk-in", clientKey: "jo" }]);
  });
});

describe("sending", () => {
  it("sends one change at a time, oldest first", () => {
    let s = add(emptySyncState, mark(1, true));
    s = add(s, mark(2, true));
    const first = nextToSend(s, 0)!;
    expect(first.change).toEqual(mark(1, true));
    s = startSending(s, first.id);
    expect(nextToSend(s, 0)).toBeNull();
    s = succeeded(s, first.id);
    expect(nextToSend(s, 0)!.change).toEqual(mark(2, true));
    expect(nextToSend(emptySyncState, 0)).toBeNull();
  });

  it("keeps a failed change and waits longer after each failure, up to 30 seconds", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map(retryDelay)).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    expect(retryDelay(0)).toBe(0);

    let s = add(emptySyncState, mark(1, true));
    const id = s.items[0]!.id;
    s = failed(startSending(s, id), id, 10_000);
    expect(s).toMatchObject({ sending: null, failures: 1, retryAt: 11_000 });
    expect(nextToSend(s, 10_500)).toBeNull();
    expect(nextToSend(s, 11_000)!.id).toBe(id);
    s = failed(startSending(s, id), id, 11_000);
    expect(s.retryAt).toBe(13_000);
    expect(syncMessage(s)).toBe("1 change not saved yet — retrying");

    // Back online: try at once.
    expect(nextToSend(retryNow(s), 11_001)!.id).toBe(id);

    s = succeeded(startSending(s, id), id);
    expect(s).toEqual(emptySyncState);
    expect(syncMessage(s)).toBe("All changes saved");
  });

  it("drops a change the server refused for good", () => {
    let s = add(emptySyncState, mark(1, true));
    s = add(s, mark(2, true));
    const id = s.items[0]!.id;
    s = refused(startSending(s, id), id);
    expect(kinds(s)).toEqual([mark(2, true)]);
    expect(s.sending).toBeNull();
  });

  it("sends marks for a walk-in by its registration id once the server has answered", () => {
    let s = add(emptySyncState, { kind: "walk-in", clientKey: "jo", name: "Jo Bloggs", email: null });
    const id = s.items[0]!.id;
    s = startSending(s, id);
    s = add(s, { kind: "mark", person: "w:jo", present: false });
    s = succeeded(s, id, { clientKey: "jo", registrationId: 77 });
    expect(kinds(s)).toEqual([mark(77, false)]);
  });

  it("says how many changes are waiting", () => {
    let s = add(emptySyncState, mark(1, true));
    expect(syncMessage(s)).toBe("1 change not saved yet — saving…");
    s = add(s, mark(2, true));
    s = add(s, mark(3, true));
    s = failed(s, "none", 0);
    expect(syncMessage(s)).toBe("3 changes not saved yet — retrying");
  });

  it("turns each change into the fields the register's action reads", () => {
    expect(formFieldsFor(mark(5, true))).toEqual({ intent: "mark", registrationId: "5", present: "1" });
    expect(formFieldsFor({ kind: "mark", person: "w:abc", present: false })).toEqual({ intent: "mark", clientKey: "abc", present: "0" });
    expect(formFieldsFor({ kind: "walk-in", clientKey: "abc", name: "Jo", email: null })).toEqual({
      intent: "walk-in",
      clientKey: "abc",
      name: "Jo",
      email: "",
    });
    expect(formFieldsFor({ kind: "remove-walk-in", clientKey: "abc" })).toEqual({ intent: "remove-walk-in", clientKey: "abc" });
    expect(formFieldsFor({ kind: "head-count", count: 12 })).toEqual({ intent: "head-count", count: "12" });
  });
});

describe("what the screen shows", () => {
  it("applies unsaved changes on top of the server's list", () => {
    const rows = [row(1, "Amira"), row(2, "Ben", true)];
    let s = add(emptySyncState, mark(1, true));
    s = add(s, mark(2, false));
    s = add(s, { kind: "walk-in", clientKey: "jo", name: "Jo Bloggs", email: "jo@example.ac.uk" });
    const shown = applyPending(rows, s.items);
    expect(shown.map((r) => [r.name, r.present, r.unsaved])).toEqual([
      ["Amira", true, true],
      ["Ben", false, true],
      ["Jo Bloggs", true, true],
    ]);
    expect(shown[2]).toMatchObject({ key: "w:jo", walkIn: true, clientKey: "jo" });
    expect(rows[0]!.present).toBe(false);

    const removed = applyPending(rows, add(s, { kind: "remove-walk-in", clientKey: "jo" }).items);
    expect(removed.map((r) => r.name)).toEqual(["Amira", "Ben"]);
  });

  it("keeps a confirmed change on screen without waiting for a reload", () => {
    let rows = [row(1, "Amira")];
    rows = confirmChange(rows, mark(1, true));
    expect(rows[0]).toMatchObject({ present: true, unsaved: false });

    const walkIn: Change = { kind: "walk-in", clientKey: "jo", name: "Jo Bloggs", email: null };
    rows = confirmChange(rows, walkIn, { registrationId: 9, outcome: "added" });
    expect(rows[1]).toMatchObject({ key: "r:9", id: 9, walkIn: true, present: true, clientKey: "jo" });
    // The same walk-in still in a reloaded queue does not show twice.
    expect(applyPending(rows, [{ id: "x", change: walkIn }])).toHaveLength(2);
    // A later mark sent by the phone's key still finds them.
    expect(applyPending(rows, [{ id: "y", change: { kind: "mark", person: "w:jo", present: false } }])[1]!.present).toBe(false);
    rows = confirmChange(rows, { kind: "remove-walk-in", clientKey: "jo" });
    expect(rows.map((r) => r.id)).toEqual([1]);

    // A walk-in whose email was already registered is that person, marked present.
    rows = confirmChange(
      [row(1, "Amira"), row(2, "Ben")],
      { kind: "walk-in", clientKey: "b", name: "Ben C", email: "ben@x.ac.uk" },
      { registrationId: 2, outcome: "matched" },
    );
    expect(rows.map((r) => [r.name, r.present])).toEqual([
      ["Amira", false],
      ["Ben", true],
    ]);
  });
});

describe("keeping the queue across reloads", () => {
  function memoryStorage() {
    const map = new Map<string, string>();
    return {
      map,
      getItem: (k: string) => map.get(k) ?? null,
      setItem: (k: string, v: string) => void map.set(k, v),
      removeItem: (k: string) => void map.delete(k),
    };
  }

  it("saves and loads the queue per session, and clears it when empty", () => {
    const storage = memoryStorage();
    const store = createQueueStore(storage, 12);
    const s = add(add(emptySyncState, mark(1, true)), { kind: "walk-in", clientKey: "jo", name: "Jo", email: null });
    store.save(s.items);
    expect(storage.map.has(storageKey(12))).toBe(true);
    expect(createQueueStore(storage, 12).load()).toEqual(s.items);
    expect(createQueueStore(storage, 13).load()).toEqual([]);
    store.save([]);
    expect(storage.map.has(storageKey(12))).toBe(false);
  });

  it("survives storage that is missing, broken or full", () => {
    const storage = memoryStorage();
    storage.map.set(storageKey(1), "{not json");
    expect(createQueueStore(storage, 1).load()).toEqual([]);
    storage.map.set(storageKey(1), JSON.stringify([{ id: "a", change: { kind: "mark", person: "r:1", present: true } }, { nonsense: true }]));
    expect(createQueueStore(storage, 1).load()).toHaveLength(1);
    expect(createQueueStore(null, 1).load()).toEqual([]);
    const full = {
      ...storage,
      setItem: () => {
        throw new Error("QuotaExceededError");
      },
    };
    expect(() => createQueueStore(full, 1).save(add(emptySyncState, mark(1, true)).items)).not.toThrow();
  });

  it("makes random keys from the random source it is given", () => {
    expect(randomKey((b) => b.fill(171))).toBe("ab".repeat(16));
    expect(randomKey()).toMatch(/^[0-9a-f]{32}$/);
    expect(randomKey()).not.toBe(randomKey());
  });
});
