import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "#db/connection.ts";
import type { Db } from "#db/schema.ts";
import { freePort } from "./server.ts";

/**
 * `npm start` with WEB_CONCURRENCY=2 on a database file of its own: two server processes share the
 * port, the background jobs run in one of them, a flash message set by one is read by the other, a
 * process that dies is replaced, and a stop ends them all and hands the jobs lease back.
 */

const root = path.resolve(import.meta.dirname, "../..");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "neverok-processes-"));
const databasePath = path.join(dir, "app.sqlite");
let app: ChildProcess | undefined;
let db: Db | undefined;
let output = "";

afterAll(async () => {
  // Only if a check failed part way: the test itself stops the app.
  if (app?.exitCode === null && app.pid) process.kill(-app.pid, "SIGKILL");
  await db?.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Checks `check` until it gives something, or fails with `what` and what the app printed once the deadline passes. */
async function waitFor<T>(what: string, check: () => T | undefined | Promise<T | undefined>, withinMs = 30_000): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Waited ${withinMs / 1000} seconds for ${what}. The app printed:\n${output}`);
    // Looks again when the app prints something, or after a moment for what it writes to the database.
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, 100);
      app?.stdout?.once("data", done);
      function done() {
        clearTimeout(timer);
        app?.stdout?.off("data", done);
        resolve();
      }
    });
  }
}

/** One request on a connection of its own, so the cluster hands each to the next server process. */
function send(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; setCookie: string[]; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: init.method ?? "GET", headers: init.headers, agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode!, setCookie: res.headers["set-cookie"] ?? [], body }));
    });
    req.on("error", reject);
    req.end(init.body);
  });
}

function withoutLocalFlashSecret(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { NEVEROK_LOCAL_FLASH_SECRET: _made, ...rest } = env;
  return rest;
}

const listening = () => [...output.matchAll(/is listening on \S+ \(server process (\d+)\)/g)].map((m) => Number(m[1]));
/** The server processes that logged `request` ("GET /login"), in order. */
const servedBy = (request: string) => [...output.matchAll(new RegExp(`^\\[(\\d+)\\] ${request} `, "gm"))].map((m) => Number(m[1]));
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function jobsLease() {
  return db!.selectFrom("job_leases").select(["holder", "expires_at"]).where("name", "=", "background-jobs").executeTakeFirst();
}

describe("npm start with several server processes", () => {
  it("serves from two processes, runs the jobs in one, shares flash messages, replaces a dead process and stops cleanly", async () => {
    const port = await freePort();
    const base = `http://localhost:${port}`;
    app = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
      cwd: root,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...withoutLocalFlashSecret(process.env),
        NODE_ENV: "production",
        WEB_CONCURRENCY: "2",
        PORT: String(port),
        HOST: "127.0.0.1",
        APP_URL: base,
        DATABASE_PATH: databasePath,
        EMAIL_WORKER_INTERVAL_SECONDS: "1",
        RESEND_API_KEY: "",
        SMTP_URL: "",
        SESSION_SECRET: "",
      },
    });
    app.stdout!.on("data", (chunk: Buffer) => (output += chunk));
    app.stderr!.on("data", (chunk: Buffer) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => app!.once("exit", (code) => resolve(code)));

    const workers = await waitFor("two server processes listening", () => (listening().length === 2 ? listening() : undefined), 90_000);
    expect(new Set(workers).size).toBe(2);
    expect(workers).not.toContain(app.pid);
    // Each collects its garbage on its own thread when the processes are as many as the cores.
    for (const pid of workers) {
      const flags = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
      expect(flags.includes("--single-threaded-gc"), `process ${pid}: ${flags.join(" ")}`).toBe(2 >= os.availableParallelism());
    }
    db = openDatabase(databasePath);

    // Both processes answer on the one port.
    const answered = await waitFor("both server processes to answer", async () => {
      expect((await send(`${base}/login`)).status).toBe(200);
      const seen = new Set(servedBy("GET /login"));
      return workers.every((pid) => seen.has(pid)) ? seen : undefined;
    });
    expect([...answered].sort()).toEqual([...workers].sort());

    // The jobs lease is held by one of them, which renews it; the other never runs the jobs.
    const first = await waitFor("the jobs lease to be taken", jobsLease);
    const holderPid = Number(first.holder.split(":")[1]);
    expect(workers).toContain(holderPid);
    const renewed = await waitFor("the jobs lease to be renewed", async () => {
      const now = await jobsLease();
      return now && now.expires_at > first.expires_at ? now : undefined;
    });
    expect(renewed.holder).toBe(first.holder);
    expect([...output.matchAll(/This process \((\d+)\) now runs the background jobs/g)].map((m) => Number(m[1]))).toEqual([holderPid]);

    // A flash message set by one process is shown by the other.
    const crossed = await waitFor("a flash message set by one process and read by the other", async () => {
      const signOut = await send(`${base}/logout`, {
        method: "POST",
        headers: { Origin: base, "Sec-Fetch-Site": "same-origin", "Content-Type": "application/x-www-form-urlencoded" },
        body: "",
      });
      expect(signOut.status).toBe(302);
      const setBy = await waitFor("the sign-out in the log", () => servedBy("POST /logout")[servedBy("POST /logout").length - 1]);
      const flash = signOut.setCookie.find((c) => c.startsWith("neverok_flash="))!.split(";")[0]!;
      const loginsBefore = servedBy("GET /login").length;
      const page = await send(`${base}/login`, { headers: { Cookie: flash } });
      expect(page.body).toContain("You have signed out.");
      const readBy = await waitFor("the sign-in page in the log", () => servedBy("GET /login")[loginsBefore]);
      return setBy !== readBy ? { setBy, readBy } : undefined;
    });
    expect(workers).toContain(crossed.setBy);
    expect(workers).toContain(crossed.readBy);

    // A process that dies is replaced, and the new one answers.
    const victim = workers.find((pid) => pid !== holderPid)!;
    process.kill(victim, "SIGKILL");
    const replacement = await waitFor("a replacement server process", () => listening().find((pid) => !workers.includes(pid)), 60_000);
    expect(output).toContain(`Server process ${victim} was ended by SIGKILL; starting another.`);
    await waitFor("the replacement to answer", async () => {
      await send(`${base}/login`);
      return servedBy("GET /login").includes(replacement) ? true : undefined;
    });

    // A stop ends every process and gives the jobs lease up.
    process.kill(app.pid!, "SIGTERM");
    expect(await exited).toBe(0);
    expect([holderPid, replacement].filter(alive)).toEqual([]);
    expect(await jobsLease()).toBeUndefined();
  });
});
