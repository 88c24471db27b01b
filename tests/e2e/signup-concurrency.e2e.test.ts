import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import net from "node:net";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, inject, it } from "vitest";
import { baseURL } from "./browser.ts";

/** An open session with `capacity` places, next month, written straight into the test database. */
function openSession(capacity: number): number {
  const db = new Database(inject("databasePath"));
  try {
    db.pragma("busy_timeout = 5000");
    const course = db.prepare("select id, duration_minutes from courses where name = 'Active Bystander'").get() as { id: number; duration_minutes: number };
    const start = new Date(Date.now() + 30 * 86_400_000);
    start.setUTCHours(10, 0, 0, 0);
    const end = new Date(start.getTime() + course.duration_minutes * 60_000);
    const now = new Date().toISOString();
    const info = db
      .prepare(
        `insert into sessions (course_id, starts_at, ends_at, duration_minutes, address, capacity, trainers_needed, status, ical_uid, ical_sequence, created_at, updated_at, kind, title, signup_policy, asks_student_id, promotion_cutoff_hours)
         values (?, ?, ?, ?, 'Students'' Union Forum', ?, 1, 'scheduled', ?, 0, ?, ?, 'open', 'Load test induction', 'anyone', 0, 2)`,
      )
      .run(course.id, start.toISOString(), end.toISOString(), course.duration_minutes, capacity, `session-${crypto.randomUUID()}@neverok.example`, now, now);
    return Number(info.lastInsertRowid);
  } finally {
    db.close();
  }
}

function counts(sessionId: number) {
  const db = new Database(inject("databasePath"), { readonly: true });
  try {
    const rows = db.prepare("select status, count(*) as n from registrations where session_id = ? group by status").all(sessionId) as {
      status: string;
      n: number;
    }[];
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  } finally {
    db.close();
  }
}

function registerAt(origin: string, sessionId: number, i: number) {
  return fetch(`${origin}/sessions/open/${sessionId}`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: origin, "Sec-Fetch-Site": "same-origin" },
    body: new URLSearchParams({ name: `Load Tester ${i}`, email: `load-${sessionId}-${i}@students.neverok.example` }),
  }).then((r) => r.status);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

let second: ChildProcess | undefined;
afterAll(() => {
  second?.kill("SIGTERM");
});

describe("capacity under concurrent sign-ups", () => {
  it("200 people registering at once for 20 places: exactly 20 places and 180 on the waiting list, no errors", async () => {
    const sessionId = openSession(20);
    const statuses = await Promise.all(Array.from({ length: 200 }, (_, i) => registerAt(baseURL(), sessionId, i)));
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.every((s) => s === 200 || s === 303)).toBe(true);
    expect(counts(sessionId)).toEqual({ registered: 20, waiting: 180 });
  });

  it("the same with two server processes on one database file", async () => {
    const root = path.resolve(import.meta.dirname, "../..");
    const port = await freePort();
    const otherURL = `http://localhost:${port}`;
    second = spawn(process.execPath, [path.join(root, "build/server/main.js"), path.join(root, "build/server/index.js")], {
      cwd: root,
      env: {
        ...process.env,
        NODE_ENV: "production",
        PORT: String(port),
        HOST: "127.0.0.1",
        APP_URL: otherURL,
        DATABASE_PATH: inject("databasePath"),
        EMAIL_WORKER_INTERVAL_SECONDS: "0",
      },
      stdio: "ignore",
    });
    for (let tries = 0; ; tries++) {
      try {
        if ((await fetch(`${otherURL}/login`)).ok) break;
      } catch {
        // not listening yet
      }
      if (tries > 150) throw new Error("The second server did not start");
      await new Promise((r) => setTimeout(r, 200));
    }
    const sessionId = openSession(20);
    const statuses = await Promise.all(Array.from({ length: 200 }, (_, i) => registerAt(i % 2 ? otherURL : baseURL(), sessionId, i)));
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(counts(sessionId)).toEqual({ registered: 20, waiting: 180 });
  });
});
