// @vitest-environment jsdom
import { act, fireEvent, render, screen, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { PeopleList } from "./people-list.tsx";
import { RegisterStatusBar } from "./register-status-bar.tsx";
import { REFUSAL_HEADER, RESULT_HEADER } from "./sync-protocol.ts";
import { storageKey } from "./sync-queue.ts";
import { useRegisterSync, type LoadedPerson } from "./use-register-sync.ts";
import { useRegisterUndo } from "./use-register-undo.ts";

const SESSION_ID = 7;
const PEOPLE: LoadedPerson[] = [
  { id: 1, name: "Amira Hussain", walkIn: false, attendance: "unknown" },
  { id: 2, name: "Ben Carter", walkIn: false, attendance: "unknown" },
];

/** The register page's door: the status bar over the list of people, on the real hook. */
function Door() {
  const sync = useRegisterSync(SESSION_ID, PEOPLE, null);
  const changes = useRegisterUndo(sync);
  return (
    <>
      <RegisterStatusBar sessionId={SESSION_ID} summary="" sync={sync} hydrated lastChange={changes.lastChange} onUndo={changes.undoLast} />
      <PeopleList
        sessionId={SESSION_ID}
        booked={false}
        open
        rows={sync.rows}
        query=""
        onQuery={() => {}}
        hydrated
        onToggle={changes.toggle}
        onAddAsWalkIn={() => {}}
      />
    </>
  );
}

/** Each request the page makes, answered when the test says so. */
interface Sent {
  url: string;
  fields: Record<string, string>;
  answer: (response: Response | Error) => Promise<void>;
}
let sent: Sent[];

beforeEach(() => {
  vi.useFakeTimers();
  window.localStorage.clear();
  sent = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(
      (url: string, init: RequestInit) =>
        new Promise<Response>((resolve, reject) => {
          sent.push({
            url,
            fields: Object.fromEntries(new URLSearchParams(String(init.body))),
            answer: async (response) => {
              if (response instanceof Error) reject(response);
              else resolve(response);
              await wait(0);
            },
          });
        }),
    ),
  );
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

const saved = () => new Response(null, { status: 204, headers: { [RESULT_HEADER]: "{}" } });
/** Runs the clock on by `ms`, then lets React commit what that changed and run the timers it set for now. */
async function wait(ms: number) {
  await act(() => vi.advanceTimersByTimeAsync(ms));
  await act(() => vi.advanceTimersByTimeAsync(0));
}
const status = () => screen.getByTestId("sync-status").textContent;
const row = (name: string) => screen.getByRole("button", { name: new RegExp(`^${name}`) });
const tap = (name: string) => act(() => fireEvent.click(row(name)));
const marks = () => sent.map((s) => `${s.fields.registrationId}:${s.fields.present}`);
const kept = () => JSON.parse(window.localStorage.getItem(storageKey(SESSION_ID)) ?? "[]") as unknown[];

async function openDoor() {
  render(<Door />);
  await wait(0);
}

describe("the register's saving on a phone", () => {
  it("shows each tap at once and sends the changes one at a time, in the order they were made", async () => {
    await openDoor();
    await tap("Amira Hussain");
    expect(row("Amira Hussain")).toHaveAttribute("aria-pressed", "true");
    expect(row("Amira Hussain")).toHaveTextContent("not saved yet");
    await wait(0);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.url).toBe("/trainer/sessions/7/register");
    expect(sent[0]!.fields).toEqual({ intent: "mark", registrationId: "1", present: "1" });

    // While the first is on its way, two more taps wait behind it.
    await tap("Ben Carter");
    await tap("Amira Hussain");
    await wait(5_000);
    expect(sent).toHaveLength(1);
    expect(status()).toContain("3 changes not saved yet — saving…");
    expect(row("Amira Hussain")).toHaveAttribute("aria-pressed", "false");

    await sent[0]!.answer(saved());
    expect(sent).toHaveLength(2);
    await sent[1]!.answer(saved());
    await sent[2]!.answer(saved());
    expect(marks()).toEqual(["1:1", "2:1", "1:0"]);
    expect(status()).toContain("All changes saved");
    expect(row("Ben Carter")).toHaveAttribute("aria-pressed", "true");
    expect(row("Ben Carter")).not.toHaveTextContent("not saved yet");
    expect(kept()).toEqual([]);
  });

  it("keeps a change that did not get through on the phone and tries again, waiting longer each time", async () => {
    await openDoor();
    await tap("Amira Hussain");
    await wait(0);
    await sent[0]!.answer(new TypeError("Failed to fetch"));

    expect(status()).toContain("1 change not saved yet — retrying");
    expect(row("Amira Hussain")).toHaveAttribute("aria-pressed", "true");
    expect(row("Amira Hussain")).toHaveTextContent("not saved yet");
    expect(kept()).toHaveLength(1);

    await wait(999);
    expect(sent).toHaveLength(1);
    await wait(1);
    expect(sent).toHaveLength(2);
    await sent[1]!.answer(new Response("Bad gateway", { status: 502 }));
    expect(status()).toContain("retrying");

    // The second failure in a row waits two seconds.
    await wait(1_999);
    expect(sent).toHaveLength(2);
    await wait(1);
    await sent[2]!.answer(saved());
    expect(marks()).toEqual(["1:1", "1:1", "1:1"]);
    expect(status()).toContain("All changes saved");
    expect(row("Amira Hussain")).not.toHaveTextContent("not saved yet");
    expect(kept()).toEqual([]);
  });

  it("sends a change that failed before the ones made after it", async () => {
    await openDoor();
    await tap("Amira Hussain");
    await wait(0);
    await sent[0]!.answer(new TypeError("Failed to fetch"));
    await tap("Ben Carter");
    expect(status()).toContain("2 changes not saved yet — retrying");

    await wait(1_000);
    await sent[1]!.answer(saved());
    await sent[2]!.answer(saved());
    expect(marks()).toEqual(["1:1", "1:1", "2:1"]);
  });

  it("tries again at once when the phone says it is back online", async () => {
    await openDoor();
    await tap("Amira Hussain");
    await wait(0);
    await sent[0]!.answer(new TypeError("Failed to fetch"));
    act(() => void window.dispatchEvent(new Event("online")));
    await wait(0);
    expect(sent).toHaveLength(2);
  });

  it("sends the changes a reload left on the phone as soon as the page opens", async () => {
    window.localStorage.setItem(storageKey(SESSION_ID), JSON.stringify([{ id: "left-over", change: { kind: "mark", person: "r:2", present: true } }]));
    await openDoor();
    expect(row("Ben Carter")).toHaveAttribute("aria-pressed", "true");
    expect(marks()).toEqual(["2:1"]);
  });

  it("shows why a change was refused, drops it and puts the row back as the server has it", async () => {
    await openDoor();
    await tap("Amira Hussain");
    await wait(0);
    const reason = "The register was closed at 14:20, so it can no longer be changed.";
    await sent[0]!.answer(new Response(null, { status: 409, headers: { [REFUSAL_HEADER]: encodeURIComponent(reason) } }));

    expect(screen.getByRole("alert")).toHaveTextContent(`Not saved: ${reason}`);
    expect(row("Amira Hussain")).toHaveAttribute("aria-pressed", "false");
    expect(status()).toContain("All changes saved");
    await wait(60_000);
    expect(sent).toHaveLength(1);

    await act(() => fireEvent.click(within(screen.getByRole("alert")).getByRole("button", { name: "Dismiss" })));
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("asks a signed-out trainer to sign in again, keeping their changes on the phone to send afterwards", async () => {
    await openDoor();
    await tap("Amira Hussain");
    await wait(0);
    await sent[0]!.answer(new Response(null, { status: 401 }));

    const alert = screen.getByRole("alert");
    expect(alert).toHaveTextContent("You have been signed out, so changes cannot be saved. They are kept on this phone");
    expect(within(alert).getByRole("link", { name: "sign in again" })).toHaveAttribute("href", "/login?redirectTo=%2Ftrainer%2Fsessions%2F7%2Fregister");
    expect(row("Amira Hussain")).toHaveAttribute("aria-pressed", "true");
    expect(kept()).toHaveLength(1);

    await wait(1_000);
    await sent[1]!.answer(saved());
    expect(screen.queryByRole("alert")).toBeNull();
    expect(status()).toContain("All changes saved");
  });
});
