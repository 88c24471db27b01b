import { afterAll, describe, expect, inject, it } from "vitest";
import { baseURL } from "./browser.ts";
import { e2eDb, newOpenSession } from "./data.ts";
import { startServer, type RunningServer } from "./server.ts";

async function counts(sessionId: number) {
  const rows = await e2eDb()
    .selectFrom("registrations")
    .select((eb) => ["status", eb.fn.countAll<number>().as("n")])
    .where("session_id", "=", sessionId)
    .groupBy("status")
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

function registerAt(origin: string, sessionId: number, i: number) {
  return fetch(`${origin}/sessions/open/${sessionId}`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: origin, "Sec-Fetch-Site": "same-origin" },
    body: new URLSearchParams({ name: `Load Tester ${i}`, email: `load-${sessionId}-${i}@students.neverok.example` }),
  }).then((r) => r.status);
}

let second: RunningServer | undefined;
afterAll(() => {
  second?.process.kill("SIGTERM");
});

describe("capacity under concurrent sign-ups", () => {
  it("200 people registering at once for 20 places through two server processes on one database: exactly 20 places and 180 waiting, no errors", async () => {
    // Each process has its own connection: only the write transaction keeps them from both taking the last place.
    second = await startServer({ database: inject("database") });
    const sessionId = await newOpenSession({ title: "Load test induction", capacity: 20, weeksAhead: 4 });
    const statuses = await Promise.all(Array.from({ length: 200 }, (_, i) => registerAt(i % 2 ? second!.baseURL : baseURL(), sessionId, i)));
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.every((s) => s === 200 || s === 303)).toBe(true);
    expect(await counts(sessionId)).toEqual({ registered: 20, waiting: 180 });
  });
});
