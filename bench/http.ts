/**
 * `npm run bench`: an HTTP benchmark of the production build on city-scale data.
 *
 * Builds the app, builds (or reuses) a data set with one year and one with five years of history,
 * serves each with the production server (server/main.ts) exactly as `npm start` does, signs in through the login form, and
 * loads each page with autocannon at 1, 10 and 50 connections. At 1 and 10 each page is measured in
 * turns with the floor (five turns each) and compared with the floor just before each turn, taking the
 * median over the turns, so the machine's drift over the run and a burst of other work during one turn
 * count neither for nor against a page. The reference is a bare Remix page (bench/bare, built here
 * too and served beside the app by remix-serve), measured like a page, so each page's cost is also
 * given over what Remix alone costs. After the first data set's pages, the floor is measured again on
 * a server of one process and on one of a process per core. Prints the figures and writes them
 * to docs/benchmarks.md. Exits 1 when a page answers with an error; a missed goal is only reported.
 *
 *   npm run bench                        build, seed if needed, measure, write docs/benchmarks.md
 *   npm run bench -- --no-build          use the existing build/ and bench/bare/build/
 *   npm run bench -- --fresh             rebuild the data sets even if they are up to date
 *   npm run bench -- --duration 10       seconds per page and connection count (default 5)
 *   npm run bench -- --warmup 2          seconds of warm-up per page (default 1)
 *   npm run bench -- --settle 30         seconds each new server is run at its steady state first,
 *                                        every page it answers mixed (default 30; 0 for none)
 *   npm run bench -- --connections 1,10  connection counts (default 1,10,50)
 *   npm run bench -- --years 1,5         years of history, one data set each (default 1,5)
 *   npm run bench -- --pages floor,impact
 *   npm run bench -- --data demo         the demo data instead of the city-scale seed (BENCH_DATA=demo too)
 *   npm run bench -- --out path.md       write somewhere else; --no-write prints only
 *   npm run bench -- --max-queue 90      skip a run that would queue more seconds of work than this
 *   npm run bench -- --database-url postgres://…   each data set on SQLite and again on PostgreSQL
 *                                        (copied into a schema of its own there, dropped afterwards;
 *                                        BENCH_DATABASE_URL too), reported side by side
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import SQLite from "better-sqlite3";
import { sql } from "kysely";
import pg from "pg";
import { migrateToLatest, openDatabase } from "#db/connection.ts";
import { copySqliteToPostgres } from "#db/copy-to-postgres.ts";
import { urlForSchema, withPostgresClient } from "#db/dialects/postgres.ts";
import { DEMO_PASSWORD } from "#seed/demo.ts";
import { issueFeedToken } from "#app/trainers/trainers.server.ts";
import { utcToLondonWallTime } from "#app/utils/dates.ts";
import { STEADY_ANSWER_MS } from "#app/utils/steady-answer.server.ts";
import { getEnv, serverNodeOptions } from "#app/utils/env.server.ts";
import {
  checkGoals,
  coresTable,
  failures,
  GOAL_LIMITS,
  goalLines,
  latencySummary,
  megabytes,
  renderMarkdown,
  resultsTable,
  growthTable,
  type CoresResult,
  type DatasetCounts,
  type DatasetResult,
  type Measurement,
  type PageSpec,
  type ProcessesRun,
  statusText,
  type Turn,
} from "./report.ts";
import { newestMtime } from "../scripts/lib/files.ts";

const root = path.resolve(import.meta.dirname, "..");
const require = createRequire(import.meta.url);

const { values: args } = parseArgs({
  options: {
    "no-build": { type: "boolean", default: false },
    fresh: { type: "boolean", default: false },
    duration: { type: "string", default: "5" },
    warmup: { type: "string", default: "1" },
    settle: { type: "string", default: "30" },
    connections: { type: "string", default: "1,10,50" },
    years: { type: "string", default: "1,5" },
    pages: { type: "string" },
    data: { type: "string", default: process.env.BENCH_DATA },
    out: { type: "string", default: "docs/benchmarks.md" },
    "no-write": { type: "boolean", default: false },
    "max-queue": { type: "string", default: "90" },
    "database-url": { type: "string", default: process.env.BENCH_DATABASE_URL },
  },
});

const numbers = (s: string) =>
  s
    .split(",")
    .map((v) => Number(v.trim()))
    .filter((n) => Number.isInteger(n) && n > 0);
const DURATION = Number(args.duration);
const WARMUP = Number(args.warmup);
/**
 * Seconds each data set's servers are run before anything on them is measured, with every page they
 * answer in one mixed stream, as a deployed server has been running: a new process's code is
 * optimised over its first minute or so (the floor's CPU per answer falls from about 5 ms to under 3
 * in its first 40 s, the impact report's from 14 to about 10), far past a page's own warm-up.
 */
const SETTLE = Number(args.settle);
const CONNECTIONS = numbers(args.connections!);
/** Connections for a page's warm-up and for settling a server: 10, or fewer when no run uses that many. */
const WARMUP_CONNECTIONS = Math.min(10, Math.max(...CONNECTIONS));
const YEARS = numbers(args.years!);
/**
 * Up to this many connections (the goals compare at 1 and 10), each page is measured in turns with the
 * floor, ALONGSIDE_ROUNDS times each for a share of the duration; at 50 a page is measured for
 * memory, against the floor's own run.
 */
const ALONGSIDE_MAX_CONNECTIONS = 10;
const ALONGSIDE_ROUNDS = 5;
/** The one-process and all-cores runs of the floor are made at this many connections. */
const CORES_CONNECTIONS = GOAL_LIMITS.coresConnections;
/** A run that would queue more seconds of server work than this is not made: the page is far too slow already. */
const MAX_QUEUE = Number(args["max-queue"]);
if (!(DURATION > 0) || !(WARMUP >= 0) || !(SETTLE >= 0) || !CONNECTIONS.length || !YEARS.length) {
  console.error("Give --duration, --warmup and --settle as seconds, and --connections and --years as lists like 1,10,50.");
  process.exit(2);
}

const postgresUrl = args["database-url"];
if (postgresUrl !== undefined && !/^postgres(ql)?:\/\//i.test(postgresUrl)) {
  console.error("--database-url (or BENCH_DATABASE_URL) is a PostgreSQL address, postgres://user@host:port/database.");
  process.exit(2);
}

const dataKind = args.data ?? "city";
if (dataKind !== "city" && dataKind !== "demo") {
  console.error('--data is "city" or "demo".');
  process.exit(2);
}

const loadBefore = os.loadavg()[0]!;
if (os.platform() !== "win32" && loadBefore > os.cpus().length) {
  console.warn(
    `The machine is busy (load average ${loadBefore.toFixed(1)} on ${os.cpus().length} cores): the figures will be slower and noisier than it can do.\n`,
  );
}

const benchDir = path.join(root, "data/bench");
/** One-minute load averages after each measurement. */
const loadSeen: number[] = [];
fs.mkdirSync(benchDir, { recursive: true });
const started = Date.now();
const runTag = started.toString(36);
const elapsed = () => `${Math.round((Date.now() - started) / 1000)}s`;
const log = (msg: string) => console.log(`[${elapsed()}] ${msg}`);

// ---- Build --------------------------------------------------------------------------------------

if (!args["no-build"]) {
  log("Building the production bundle…");
  const built = spawnSync(process.execPath, [require.resolve("@remix-run/dev/dist/cli.js"), "vite:build"], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, NODE_ENV: "production" },
  });
  if (built.status !== 0) process.exit(built.status ?? 1);
}
const serverBuild = path.join(root, "build/server/index.js");
if (!fs.existsSync(serverBuild) || !fs.existsSync(path.join(root, "build/server/main.js"))) {
  console.error("There is no build/server/index.js or build/server/main.js: run without --no-build.");
  process.exit(1);
}

// The reference: a bare Remix app on the same Remix, React, Vite and future flags, served by remix-serve.
const bareDir = path.join(root, "bench/bare");
if (!args["no-build"]) {
  log("Building the bare Remix page (bench/bare)…");
  const built = spawnSync(process.execPath, [require.resolve("@remix-run/dev/dist/cli.js"), "vite:build", bareDir], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, NODE_ENV: "production" },
  });
  if (built.status !== 0) process.exit(built.status ?? 1);
}
if (!fs.existsSync(path.join(bareDir, "build/server/index.js"))) {
  console.error("There is no bench/bare/build/server/index.js: run without --no-build.");
  process.exit(1);
}

// ---- Data sets ----------------------------------------------------------------------------------

function removeDatabase(file: string) {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
}

type DatabaseKind = DatasetResult["database"];

interface DatasetPlan {
  name: string;
  label: string;
  database: DatabaseKind;
  years: number | null;
  cityScale: boolean;
  master: string;
  seedArgs: string[];
}

const sqlitePlans: DatasetPlan[] =
  dataKind === "city"
    ? YEARS.map((y) => ({
        name: `city-${y}y`,
        label: `City scale, ${y} ${y === 1 ? "year" : "years"} of history`,
        database: "SQLite",
        years: y,
        cityScale: true,
        master: path.join(benchDir, `city-${y}y.sqlite`),
        seedArgs: ["--scale", "city", "--years", String(y)],
      }))
    : [{ name: "demo", label: "Demo data", database: "SQLite", years: null, cityScale: false, master: path.join(benchDir, "demo.sqlite"), seedArgs: [] }];
// The same data on PostgreSQL: the seeded file copied in, so both databases serve identical rows.
const plans: DatasetPlan[] = sqlitePlans.flatMap((p) =>
  postgresUrl ? [p, { ...p, name: `${p.name}-pg`, label: `${p.label}, on PostgreSQL`, database: "PostgreSQL" as const }] : [p],
);

const seedCodeChanged = Math.max(...["seed", "db/migrations", "scripts/db-seed.ts"].map((p) => newestMtime(path.join(root, p))));

/** The seeded data set, built once and kept; each run measures a copy, since the run itself writes. */
function prepareMaster(plan: DatasetPlan) {
  const fresh = fs.existsSync(plan.master) && fs.statSync(plan.master).mtimeMs > seedCodeChanged;
  if (fresh && !args.fresh) {
    log(`Reusing ${path.relative(root, plan.master)}`);
    return;
  }
  log(`Seeding ${path.relative(root, plan.master)}${plan.seedArgs.length ? ` (${plan.seedArgs.join(" ")})` : ""}…`);
  removeDatabase(plan.master);
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  const seeded = spawnSync("npm", ["run", "--silent", "db:seed", "--", ...plan.seedArgs], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...inherited, DATABASE_PATH: plan.master, NODE_ENV: "production" },
  });
  if (seeded.status !== 0 || !fs.existsSync(plan.master)) {
    removeDatabase(plan.master);
    console.error(`Seeding ${plan.name} failed.`);
    process.exit(1);
  }
  // Everything into the main file, so a plain copy is the whole database.
  const db = new SQLite(plan.master);
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.close();
}

const withPostgres = <T>(run: (client: pg.Client) => Promise<T>): Promise<T> => withPostgresClient(postgresUrl!, run);

/** The schema a PostgreSQL data set is copied into for this run. */
const postgresSchema = (plan: DatasetPlan) => `bench_${runTag}_${plan.name.replace(/\W/g, "_")}`;

/** The data set to measure, written to by the run: a copy of the seeded file, or on PostgreSQL the file copied into a new schema. */
async function workingCopy(plan: DatasetPlan): Promise<string> {
  if (plan.database === "PostgreSQL") {
    const schema = postgresSchema(plan);
    await withPostgres((client) => client.query(`drop schema if exists ${schema} cascade; create schema ${schema}`));
    const url = urlForSchema(postgresUrl!, schema);
    const db = openDatabase(url);
    try {
      await migrateToLatest(db);
    } finally {
      await db.destroy();
    }
    log(`Copying ${path.relative(root, plan.master)} into PostgreSQL (schema ${schema})…`);
    const copied = await copySqliteToPostgres(plan.master, url);
    log(`  ${copied.rows.toLocaleString("en-GB")} rows in ${(copied.ms / 1000).toFixed(1)} s.`);
    await withPostgres((client) => client.query(`analyze`));
    return url;
  }
  const copy = path.join(benchDir, `run-${plan.name}.sqlite`);
  removeDatabase(copy);
  const db = new SQLite(plan.master);
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.close();
  fs.copyFileSync(plan.master, copy);
  return copy;
}

async function dropWorkingCopy(plan: DatasetPlan) {
  if (plan.database === "PostgreSQL") await withPostgres((client) => client.query(`drop schema if exists ${postgresSchema(plan)} cascade`));
}

// ---- What to request ----------------------------------------------------------------------------

const USERS = {
  booker: "booker@neverok.example",
  coordinator: "coordinator@neverok.example",
  trainer: "trainer@neverok.example",
  officer: "officer@neverok.example",
} as const;
type Who = keyof typeof USERS | "anonymous";

interface Target {
  spec: PageSpec;
  /** The server that answers it: the app's, or the bare Remix page's. */
  server: "app" | "bare";
  who: Who;
  method: "GET" | "POST";
  path: string;
  /** A fresh body for each POST. */
  body?: () => string;
}

interface Fixtures {
  feedToken: string;
  registerSessionId: number;
  signupSessionId: number;
  signupAsksStudentId: boolean;
  counts: DatasetCounts;
}

let signupCounter = 0;

function targets(f: Fixtures): Target[] {
  const today = utcToLondonWallTime(new Date()).date;
  const list: Target[] = [
    {
      spec: {
        id: "floor",
        title: "Floor: privacy notice",
        kind: "floor",
        how: "GET /privacy-notice as the booker: the page shell and signed-in navigation, no data",
      },
      server: "app",
      who: "booker",
      method: "GET",
      path: "/privacy-notice",
    },
    {
      spec: {
        id: "bare",
        title: "Bare Remix page (reference)",
        kind: "reference",
        how: "GET / on bench/bare: a Remix app with the same Remix, React, Vite and future flags, 12 paragraphs, no loader, served by remix-serve",
      },
      server: "bare",
      who: "anonymous",
      method: "GET",
      path: "/",
    },
    {
      spec: { id: "open", title: "Open sessions (public)", kind: "interactive", how: "GET /sessions/open, not signed in" },
      server: "app",
      who: "anonymous",
      method: "GET",
      path: "/sessions/open",
    },
    {
      spec: { id: "booker", title: "Booker dashboard", kind: "interactive", how: "GET /booker as the booker" },
      server: "app",
      who: "booker",
      method: "GET",
      path: "/booker",
    },
    {
      spec: {
        id: "calendar",
        title: "Coordinator month calendar",
        kind: "interactive",
        how: `GET /coordinator/calendar?view=month&date=<today> as the coordinator`,
      },
      server: "app",
      who: "coordinator",
      method: "GET",
      path: `/coordinator/calendar?view=month&date=${today}`,
    },
    {
      spec: { id: "queue", title: "Coordinator request queue", kind: "interactive", how: "GET /coordinator/requests as the coordinator" },
      server: "app",
      who: "coordinator",
      method: "GET",
      path: "/coordinator/requests",
    },
    {
      spec: { id: "feed", title: "Trainer calendar feed", kind: "feed", how: "GET /feeds/trainers/<token>.ics for the demo trainer, no cookie" },
      server: "app",
      who: "anonymous",
      method: "GET",
      path: `/feeds/trainers/${f.feedToken}.ics`,
    },
    {
      spec: {
        id: "register",
        title: "Register page",
        kind: "interactive",
        how: "GET /trainer/sessions/<id>/register as the trainer, for their session with the most people",
      },
      server: "app",
      who: "trainer",
      method: "GET",
      path: `/trainer/sessions/${f.registerSessionId}/register`,
    },
    {
      spec: { id: "impact", title: "Impact report", kind: "report", how: "GET /reports/impact (this academic year against last) as the coordinator" },
      server: "app",
      who: "coordinator",
      method: "GET",
      path: "/reports/impact",
    },
    {
      spec: { id: "compliance", title: "Compliance dashboard", kind: "report", how: "GET /officer/leaders (this roster year) as the union officer" },
      server: "app",
      who: "officer",
      method: "GET",
      path: "/officer/leaders",
    },
    {
      spec: {
        id: "signup",
        title: "Registration POST",
        kind: "interactive",
        how: `POST /sessions/open/<id>: a new person signs up each time, not signed in; answered no sooner than ${STEADY_ANSWER_MS} ms after it arrives, whoever signs up, so its time never tells who is on file`,
        steadyMs: STEADY_ANSWER_MS,
      },
      server: "app",
      who: "anonymous",
      method: "POST",
      path: `/sessions/open/${f.signupSessionId}`,
      body: () => {
        const n = ++signupCounter;
        const form = new URLSearchParams({ name: `Bench Attendee ${n}`, email: `bench-${runTag}-${n}@bench.example`, accessibilityNeeds: "", answer: "" });
        if (f.signupAsksStudentId) form.set("studentId", `B${runTag}${n}`.slice(0, 20).toUpperCase());
        return form.toString();
      },
    },
  ];
  const only = args.pages?.split(",").map((s) => s.trim());
  // The floor and the bare page are the yardsticks: always measured.
  return only ? list.filter((t) => t.spec.kind === "floor" || t.spec.kind === "reference" || only.includes(t.spec.id)) : list;
}

// ---- Fixtures from the database -----------------------------------------------------------------

async function prepareFixtures(file: string): Promise<Fixtures> {
  const db = openDatabase(file);
  try {
    const users = await db.selectFrom("users").select(["id", "email", "name"]).where("email", "in", Object.values(USERS)).execute();
    for (const email of Object.values(USERS)) {
      if (!users.some((u) => u.email === email)) throw new Error(`${email} is not in ${file}: the bench signs in as the demo users.`);
    }
    const trainer = users.find((u) => u.email === USERS.trainer)!;
    const roles = await db.selectFrom("user_roles").select("role").where("user_id", "=", trainer.id).execute();
    // Only the hash is stored, so a new token is issued the way the trainer's own page does.
    const feedToken = await issueFeedToken(db, { id: trainer.id, email: trainer.email, name: trainer.name, roles: roles.map((r) => r.role) });

    const nowIso = new Date().toISOString();
    const monthAgo = new Date(Date.now() - 30 * 86_400_000).toISOString();
    const monthAhead = new Date(Date.now() + 30 * 86_400_000).toISOString();
    // The trainer's session with the most people, near today, as they would open it at the door.
    const registerSession =
      (await db
        .selectFrom("session_trainers as st")
        .innerJoin("sessions as s", "s.id", "st.session_id")
        .leftJoin("registrations as r", (j) => j.onRef("r.session_id", "=", "s.id").on("r.status", "=", "registered"))
        .select(["s.id", (eb) => eb.fn.count<number>("r.id").as("n")])
        .where("st.trainer_id", "=", trainer.id)
        .where("st.status", "in", ["assigned", "accepted"])
        .where("s.status", "!=", "cancelled")
        .where("s.starts_at", ">=", monthAgo)
        .where("s.starts_at", "<=", monthAhead)
        .groupBy("s.id")
        .orderBy("n", "desc")
        .orderBy("s.starts_at")
        .executeTakeFirst()) ??
      (await db
        .selectFrom("session_trainers as st")
        .innerJoin("sessions as s", "s.id", "st.session_id")
        .select("s.id")
        .where("st.trainer_id", "=", trainer.id)
        .where("st.status", "in", ["assigned", "accepted"])
        .orderBy("s.starts_at", "desc")
        .executeTakeFirst());
    if (!registerSession) throw new Error("The demo trainer has no session to take a register for.");

    // An upcoming open session anyone may sign up to, with its places raised so the POSTs never fill it.
    const open = await db
      .selectFrom("sessions")
      .select(["id", "asks_student_id"])
      .where("kind", "=", "open")
      .where("status", "=", "scheduled")
      .where("signup_policy", "=", "anyone")
      .where("starts_at", ">", new Date(Date.now() + 2 * 86_400_000).toISOString())
      .where((eb) => eb.or([eb("signup_deadline", "is", null), eb("signup_deadline", ">", new Date(Date.now() + 86_400_000).toISOString())]))
      .orderBy("starts_at")
      .executeTakeFirst();
    if (!open) throw new Error("There is no upcoming open session anyone may sign up to.");
    await db.updateTable("sessions").set({ capacity: 1_000_000, updated_at: nowIso }).where("id", "=", open.id).execute();

    // What the data set holds, for the report's table.
    const { rows } = await sql<DatasetCounts>`
      select (select count(*) from sessions) as sessions,
             (select count(*) from sessions where status = 'delivered') as "deliveredSessions",
             (select count(*) from registrations) as registrations,
             (select count(*) from registrations where attendance = 'present') as attendances,
             (select coalesce(sum(head_count), 0) from sessions) as "headCounted",
             (select count(*) from booking_requests) as "bookingRequests",
             (select count(*) from feedback_responses) as feedback,
             (select count(*) from leader_people) as leaders,
             (select count(*) from leader_appointments) as "leaderAppointments"`.execute(db);
    const counts = rows[0]!;
    return { feedToken, registerSessionId: registerSession.id, signupSessionId: open.id, signupAsksStudentId: open.asks_student_id === 1, counts };
  } finally {
    await db.destroy();
  }
}

// ---- The server ---------------------------------------------------------------------------------

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

interface Server {
  child: ChildProcess;
  base: string;
  logFile: string;
  stop(): Promise<void>;
}

/** The servers started and not yet stopped, killed if the benchmark is interrupted. */
const running = new Set<ChildProcess>();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    for (const child of running) child.kill("SIGKILL");
    process.exit(130);
  });
}

/** The processes of a server started with WEB_CONCURRENCY above 1: the primary's children, the workers that serve. */
function childPids(pid: number): number[] {
  const found = new Set<number>();
  try {
    for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
      for (const child of fs.readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim().split(/\s+/)) if (child) found.add(Number(child));
    }
  } catch {
    // no /proc, or a kernel without the children file
  }
  if (!found.size) {
    const pgrep = spawnSync("pgrep", ["-P", String(pid)], { encoding: "utf8" });
    for (const line of (pgrep.stdout ?? "").split("\n")) if (line.trim()) found.add(Number(line.trim()));
  }
  return [...found].filter((n) => Number.isInteger(n) && n > 0);
}

/**
 * Starts `command` and waits until `path` answers 200 and `ready()` holds. `stop()` sends SIGTERM,
 * and after 3 s SIGKILL to what is left: the process's own children first (a cluster's workers, found
 * while their primary still runs), then the process.
 */
async function launch(
  command: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; logFile: string; base: string; path: string; ready?: () => boolean },
): Promise<Server> {
  const { logFile, base } = options;
  const out = fs.openSync(logFile, "w");
  const child = spawn(command[0]!, command.slice(1), { cwd: options.cwd, env: options.env, stdio: ["ignore", out, out] });
  fs.closeSync(out);
  running.add(child);
  const exited = new Promise<void>((resolve) =>
    child.once("exit", () => {
      running.delete(child);
      resolve();
    }),
  );
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The server stopped while starting:\n${tail(logFile)}`);
    try {
      const res = await fetch(`${base}${options.path}`);
      await res.arrayBuffer();
      if (res.ok && (options.ready?.() ?? true)) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill();
      throw new Error(`The server did not answer within 30 s:\n${tail(logFile)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    child,
    base,
    logFile,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      // The server finishes the requests in flight before it exits; a slow page can leave minutes of them.
      const force = setTimeout(() => {
        for (const pid of child.pid ? childPids(child.pid) : []) {
          try {
            process.kill(pid, "SIGKILL");
          } catch {
            // already gone
          }
        }
        child.kill("SIGKILL");
      }, 3_000);
      await exited;
      clearTimeout(force);
    },
  };
}

/** The app's production server, as `npm start` runs it, with `processes` server processes (WEB_CONCURRENCY). */
async function startServer(name: string, database: string, processes = 1): Promise<Server> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const logFile = path.join(benchDir, `server-${name}.log`);
  const { DATABASE_URL: _url, DATABASE_PATH: _path, ...inherited } = process.env;
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    NODE_ENV: "production",
    PORT: String(port),
    HOST: "127.0.0.1",
    APP_URL: base,
    ...(/^postgres(ql)?:\/\//i.test(database) ? { DATABASE_URL: database } : { DATABASE_PATH: database }),
    // The job timer (reminders, mail, retention) would run in the middle of the measurements.
    EMAIL_WORKER_INTERVAL_SECONDS: "0",
    // One server process, whose memory is read by its process id, unless the run compares processes.
    WEB_CONCURRENCY: String(processes),
    // The same heap settings as `npm start`.
    NODE_OPTIONS: serverNodeOptions(getEnv(), process.env.NODE_OPTIONS),
  };
  // Mail stays in the local outbox whatever this shell has set.
  delete env.RESEND_API_KEY;
  delete env.SMTP_URL;
  return launch([process.execPath, path.join(root, "build/server/main.js"), serverBuild], {
    cwd: root,
    env,
    logFile,
    base,
    path: "/privacy-notice",
    // Under node:cluster the first worker up answers: wait for every one to say it listens.
    ready: () => processes === 1 || (fs.readFileSync(logFile, "utf8").match(/is listening on .*\(server process \d+\)/g) ?? []).length >= processes,
  });
}

/** The bare Remix page's server: remix-serve on bench/bare's build, as its own docs run it. */
async function startBare(name: string): Promise<Server> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const { DATABASE_URL: _url, DATABASE_PATH: _path, ...inherited } = process.env;
  return launch([process.execPath, path.join(root, "node_modules/@remix-run/serve/dist/cli.js"), "build/server/index.js"], {
    cwd: bareDir,
    // The same heap settings as the app's server, so the two differ only in what they serve.
    env: { ...inherited, NODE_ENV: "production", PORT: String(port), HOST: "127.0.0.1", NODE_OPTIONS: serverNodeOptions(getEnv(), process.env.NODE_OPTIONS) },
    logFile: path.join(benchDir, `server-${name}-bare.log`),
    base,
    path: "/",
  });
}

function tail(file: string, lines = 30): string {
  try {
    return fs.readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no server log)";
  }
}

// ---- Memory -------------------------------------------------------------------------------------

function readStatus(pid: number, field: "VmRSS" | "VmHWM"): number | null {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

function readRss(pid: number): number | null {
  const fromProc = readStatus(pid, "VmRSS");
  if (fromProc !== null || process.platform === "linux") return fromProc;
  const ps = spawnSync("ps", ["-o", "rss=", "-p", String(pid)], { encoding: "utf8" });
  const kb = Number(ps.stdout?.trim());
  return ps.status === 0 && kb > 0 ? kb * 1024 : null;
}

/** The server's resident memory every 100 ms (every 500 ms where it takes a `ps`); `take()` gives the peak since the last take. */
function memorySampler(pid: number) {
  let peak: number | null = null;
  const sample = () => {
    const rss = readRss(pid);
    if (rss !== null) peak = Math.max(peak ?? 0, rss);
  };
  const timer = setInterval(sample, fs.existsSync(`/proc/${pid}/status`) ? 100 : 500);
  sample();
  return {
    take(): number | null {
      sample();
      const p = peak;
      peak = null;
      return p;
    },
    stop: () => clearInterval(timer),
  };
}

/** CPU time the process has used, in clock ticks; null where /proc is not there. */
function cpuTicks(pid: number): number | null {
  try {
    // The command name may hold spaces, so count fields from after its closing bracket.
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ").pop()!.split(" ");
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return null;
  }
}

let ticksPerSecond: number | undefined;
/** The unit of /proc's CPU times (USER_HZ): 100 on Linux unless `getconf CLK_TCK` says otherwise. */
function clockTicksPerSecond(): number {
  if (ticksPerSecond === undefined) {
    const n = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout?.trim());
    ticksPerSecond = Number.isInteger(n) && n > 0 ? n : 100;
  }
  return ticksPerSecond;
}

/** CPU time the processes have used together, in clock ticks; null if any cannot be read. */
function cpuTicksOf(pids: readonly number[]): number | null {
  let total = 0;
  for (const pid of pids) {
    const ticks = cpuTicks(pid);
    if (ticks === null) return null;
    total += ticks;
  }
  return total;
}

/**
 * Waits for the server (its process, or every one of `pid`'s processes) to finish what the last run
 * left in flight: a slow page at 50 connections leaves seconds of work queued after the load tool
 * stops, which would land on the next run.
 */
async function waitIdle(pid: number | readonly number[], maxMs = 120_000): Promise<void> {
  const pids = typeof pid === "number" ? [pid] : pid;
  const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
  let last = cpuTicksOf(pids);
  if (last === null) return pause(2_000);
  const deadline = Date.now() + maxMs;
  let quiet = 0;
  while (quiet < 2 && Date.now() < deadline) {
    await pause(200);
    const now = cpuTicksOf(pids);
    if (now === null) return;
    // At most 2 ticks (about 20 ms) of CPU per process in 200 ms counts as idle.
    quiet = now - last <= 2 * pids.length ? quiet + 1 : 0;
    last = now;
  }
  if (quiet < 2) console.warn(`  The server was still busy ${Math.round(maxMs / 1000)} s after the run; going on.`);
}

const maxOf = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));

// ---- Signing in ---------------------------------------------------------------------------------

async function signIn(base: string, email: string): Promise<string> {
  const res = await fetch(`${base}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: base, "User-Agent": "neverok-bench" },
    body: new URLSearchParams({ email, password: DEMO_PASSWORD, redirectTo: "" }),
  });
  await res.arrayBuffer();
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0]!)
    .join("; ");
  if (res.status !== 302 || !cookie) throw new Error(`Signing in as ${email} gave ${res.status} and no session cookie.`);
  return cookie;
}

// ---- Load ---------------------------------------------------------------------------------------

interface LoadResult {
  requests: number;
  bad: number;
  /** How many of each unexpected status. */
  statuses: Record<string, number>;
  errors: number;
  rps: number;
  latencies: number[];
  /** True when the run went on past its time until every connection had been answered. */
  extended: boolean;
}

/** Several runs of one page as one: every response's latency, the counts added, the rate over their time together. */
function mergeLoads(runs: readonly LoadResult[]): LoadResult {
  const requests = runs.reduce((n, r) => n + r.requests, 0);
  const seconds = runs.reduce((n, r) => n + (r.rps > 0 ? r.requests / r.rps : 0), 0);
  const statuses: Record<string, number> = {};
  for (const r of runs) for (const [code, n] of Object.entries(r.statuses)) statuses[code] = (statuses[code] ?? 0) + n;
  return {
    requests,
    bad: runs.reduce((n, r) => n + r.bad, 0),
    statuses,
    errors: runs.reduce((n, r) => n + r.errors, 0),
    rps: seconds > 0 ? requests / seconds : Number.NaN,
    latencies: runs.flatMap((r) => r.latencies),
    extended: runs.some((r) => r.extended),
  };
}

function isExpected(t: Target, status: number) {
  return (status >= 200 && status < 300) || (t.method === "POST" && (status === 302 || status === 303));
}

/** A run of `seconds`, or with `amount` set, until that many answers however long it takes. */
function cannon(base: string, t: Target, headers: Record<string, string>, connections: number, limit: { seconds: number } | { amount: number }) {
  return new Promise<Omit<LoadResult, "extended">>((resolve, reject) => {
    const latencies: number[] = [];
    let bad = 0;
    const statuses: Record<string, number> = {};
    const request: autocannon.Request = { method: t.method, path: t.path, headers };
    if (t.body) {
      const makeBody = t.body;
      request.setupRequest = (req) => ({ ...req, body: makeBody() });
    }
    const startedAt = performance.now();
    const instance = autocannon(
      {
        url: base,
        connections,
        ...("amount" in limit ? { amount: limit.amount } : { duration: limit.seconds }),
        requests: [request],
        timeout: 300,
        headers,
      },
      (err, result) => {
        if (err) return reject(err);
        const seconds = (performance.now() - startedAt) / 1000;
        resolve({ requests: latencies.length, bad, statuses, errors: result.errors + result.timeouts, rps: latencies.length / seconds, latencies });
      },
    );
    instance.on("response", (_client, statusCode, _bytes, responseTime) => {
      latencies.push(responseTime);
      if (!isExpected(t, statusCode)) {
        bad++;
        statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
      }
    });
  });
}

/**
 * Several pages (GETs) in one stream for `seconds`: each connection asks for them in turn, each with its
 * own headers (and so its own person). Says how many answers came and how many were not a 2xx.
 */
function mixedCannon(base: string, pages: readonly { t: Target; headers: Record<string, string> }[], connections: number, seconds: number) {
  return new Promise<{ requests: number; bad: number; errors: number }>((resolve, reject) => {
    let requests = 0;
    let bad = 0;
    const instance = autocannon(
      {
        url: base,
        connections,
        duration: seconds,
        requests: pages.map((p) => ({ method: p.t.method, path: p.t.path, headers: p.headers })),
        timeout: 300,
      },
      (err, result) => (err ? reject(err) : resolve({ requests, bad, errors: result.errors + result.timeouts })),
    );
    instance.on("response", (_client, statusCode) => {
      requests++;
      if (statusCode < 200 || statusCode >= 300) bad++;
    });
  });
}

/**
 * The load tool drops requests still in flight when its time is up, so a page slower than
 * `seconds` ÷ connections would be measured on the few quick answers, or on none. Such a page
 * (known from an earlier run, or found out by this one) is run until each connection has had an
 * answer instead: that many people opening it at once.
 */
async function load(
  base: string,
  t: Target,
  headers: Record<string, string>,
  connections: number,
  seconds: number,
  pid: number,
  serviceMs: number | null,
): Promise<LoadResult> {
  if (serviceMs === null || (connections * serviceMs) / 1000 < seconds) {
    const timed = await cannon(base, t, headers, connections, { seconds });
    if (timed.requests >= connections) return { ...timed, extended: false };
    await waitIdle(pid);
  }
  return { ...(await cannon(base, t, headers, connections, { amount: connections })), extended: true };
}

/** What a run's table row takes from the load tool's answers: counts, rate and latency percentiles. */
function figuresOf(r: Omit<LoadResult, "extended">) {
  return { requests: r.requests, bad: r.bad, errors: r.errors, rps: r.rps, ...latencySummary(r.latencies) };
}

function headersFor(t: Target, base: string, cookies: Record<string, string>): Record<string, string> {
  const h: Record<string, string> = { "User-Agent": "neverok-bench", Accept: "text/html,*/*" };
  if (t.who !== "anonymous") h.Cookie = cookies[t.who]!;
  if (t.method === "POST") {
    h.Origin = base;
    h["Content-Type"] = "application/x-www-form-urlencoded";
  }
  return h;
}

/** One request by hand first, so a broken page stops the run with its status rather than thousands of them. */
async function check(base: string, t: Target, headers: Record<string, string>) {
  const res = await fetch(`${base}${t.path}`, { method: t.method, headers, body: t.body?.(), redirect: "manual" });
  const text = await res.text();
  if (!isExpected(t, res.status))
    throw new Error(
      `${t.method} ${t.path} (${t.spec.title}) answered ${res.status}${res.headers.get("Location") ? ` → ${res.headers.get("Location")}` : ""}:\n${text.slice(0, 400)}`,
    );
}

async function countRegistrations(database: string, sessionId: number): Promise<number> {
  const db = openDatabase(database);
  try {
    const row = await db
      .selectFrom("registrations")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("session_id", "=", sessionId)
      .where("email", "like", "bench-%@bench.example")
      .executeTakeFirstOrThrow();
    return row.n;
  } finally {
    await db.destroy();
  }
}

/** A server and its memory sampler, for the pages it answers. */
interface Served {
  server: Server;
  sampler: ReturnType<typeof memorySampler>;
}

async function measureDataset(
  plan: DatasetPlan,
  withCores: boolean,
): Promise<{ result: DatasetResult; pages: PageSpec[]; cores: CoresResult | null; problems: string[] }> {
  prepareMaster(plan);
  const file = await workingCopy(plan);
  const fixtures = await prepareFixtures(file);
  const list = targets(fixtures);
  log(
    `${plan.label}: ${fixtures.counts.sessions.toLocaleString("en-GB")} sessions, ${fixtures.counts.registrations.toLocaleString("en-GB")} registrations, ${fixtures.counts.leaders.toLocaleString("en-GB")} leaders. Starting the server…`,
  );
  const measurements: Measurement[] = [];
  const problems: string[] = [];
  let peakRss: number | null = null;
  const servers: Partial<Record<Target["server"], Served>> = {};
  let cores: CoresResult | null = null;
  try {
    try {
      const app = await startServer(plan.name, file);
      servers.app = { server: app, sampler: memorySampler(app.child.pid!) };
      if (list.some((t) => t.server === "bare")) {
        const bare = await startBare(plan.name);
        servers.bare = { server: bare, sampler: memorySampler(bare.child.pid!) };
      }
      const on = (t: Target) => {
        const s = servers[t.server]!;
        return { base: s.server.base, pid: s.server.child.pid!, sampler: s.sampler };
      };
      const cookies: Record<string, string> = {};
      for (const who of Object.keys(USERS) as (keyof typeof USERS)[]) cookies[who] = await signIn(app.base, USERS[who]);
      for (const t of list) await check(on(t).base, t, headersFor(t, on(t).base, cookies));
      if (SETTLE > 0) {
        // Each server at its steady state first, one after the other: every GET page it answers, mixed.
        for (const [name, served] of [
          ["app", servers.app],
          ["bare Remix page", servers.bare],
        ] as const) {
          if (!served) continue;
          const { base, child } = served.server;
          const pages = list.filter((t) => on(t).base === base && t.method === "GET").map((t) => ({ t, headers: headersFor(t, base, cookies) }));
          const s = await mixedCannon(base, pages, WARMUP_CONNECTIONS, SETTLE);
          await waitIdle(child.pid!);
          log(`  settled the ${name}: ${s.requests.toLocaleString("en-GB")} answers in ${SETTLE} s`);
          if (s.bad || s.errors) problems.push(`${plan.name}: settling the ${name} server: ${s.bad} unexpected responses, ${s.errors} errors`);
        }
      }

      const floorTarget = list.find((t) => t.spec.kind === "floor");
      const floorHeaders = floorTarget ? headersFor(floorTarget, app.base, cookies) : {};
      for (const t of list) {
        const { base, pid, sampler } = on(t);
        const headers = headersFor(t, base, cookies);
        const before = t.method === "POST" ? await countRegistrations(file, fixtures.signupSessionId) : 0;
        let posted = 0;
        if (WARMUP > 0) {
          const w = await cannon(base, t, headers, WARMUP_CONNECTIONS, { seconds: WARMUP });
          await waitIdle(pid);
          posted += w.requests - w.bad;
          if (w.bad || w.errors) problems.push(`${plan.name}: ${t.spec.title} warm-up: ${w.bad} unexpected responses, ${w.errors} errors`);
        }
        // What one request costs the server, from the runs so far: at c connections p50 ≈ c × that.
        let serviceMs: number | null = null;
        for (const connections of CONNECTIONS) {
          const queued = serviceMs === null ? 0 : (connections * serviceMs) / 1000;
          if (queued > MAX_QUEUE) {
            measurements.push({
              page: t.spec.id,
              connections,
              requests: 0,
              bad: 0,
              errors: 0,
              rps: Number.NaN,
              p50: Number.NaN,
              p95: Number.NaN,
              p99: Number.NaN,
              extended: false,
              skippedSeconds: queued,
              statuses: {},
              peakRss: null,
            });
            log(
              `  ${t.spec.title.padEnd(28)} ${String(connections).padStart(3)} conns  not run: about ${Math.round(queued)} s of queued work (over --max-queue ${MAX_QUEUE})`,
            );
            continue;
          }
          sampler.take();
          let r: LoadResult;
          let floorAlongside: Measurement["floorAlongside"];
          let turns: Turn[] | undefined;
          if (floorTarget && t !== floorTarget && connections <= ALONGSIDE_MAX_CONNECTIONS) {
            // The floor and the page in turns, a share of the time each, so both see the same minutes of
            // a shared machine; each one's runs are pooled. The bare page's turns are on its own server,
            // the floor's on the app's.
            const floorRuns: LoadResult[] = [];
            const pageRuns: LoadResult[] = [];
            const floorPid = app.child.pid!;
            for (let round = 0; round < ALONGSIDE_ROUNDS; round++) {
              floorRuns.push(await load(app.base, floorTarget, floorHeaders, connections, DURATION / ALONGSIDE_ROUNDS, floorPid, null));
              await waitIdle(floorPid);
              pageRuns.push(await load(base, t, headers, connections, DURATION / ALONGSIDE_ROUNDS, pid, serviceMs));
              await waitIdle(pid);
            }
            const f = mergeLoads(floorRuns);
            const floorLatency = latencySummary(f.latencies);
            if (!f.bad && !f.errors && floorLatency.p50 > 0 && floorLatency.p95 > 0) floorAlongside = { p50: floorLatency.p50, p95: floorLatency.p95 };
            if (!f.bad && !f.errors) {
              turns = pageRuns.map((page, i) => {
                const pageLatency = latencySummary(page.latencies);
                const floorTurn = latencySummary(floorRuns[i]!.latencies);
                return { p50: pageLatency.p50, p95: pageLatency.p95, floorP50: floorTurn.p50, floorP95: floorTurn.p95 };
              });
            }
            r = mergeLoads(pageRuns);
          } else {
            r = await load(base, t, headers, connections, DURATION, pid, serviceMs);
          }
          const peakRun = sampler.take();
          await waitIdle(pid);
          const m: Measurement = {
            page: t.spec.id,
            connections,
            ...figuresOf(r),
            extended: r.extended,
            skippedSeconds: null,
            statuses: r.statuses,
            peakRss: maxOf(peakRun, sampler.take()),
            floorAlongside,
            turns,
          };
          measurements.push(m);
          if (Number.isFinite(m.p50)) serviceMs = Math.min(serviceMs ?? Infinity, m.p50 / connections);
          if (os.platform() !== "win32") loadSeen.push(os.loadavg()[0]!);
          posted += r.requests - r.bad;
          log(
            `  ${t.spec.title.padEnd(28)} ${String(connections).padStart(3)} conns  ${m.rps.toFixed(1).padStart(7)} req/s  p50 ${m.p50.toFixed(1).padStart(6)}  p95 ${m.p95.toFixed(1).padStart(6)}  p99 ${m.p99.toFixed(1).padStart(6)} ms  ${megabytes(m.peakRss).padStart(7)}${m.extended ? "  (ran until every connection was answered)" : ""}${m.bad || m.errors ? `  unexpected: ${statusText(m.statuses)}${m.errors ? `, ${m.errors} connection errors or timeouts` : ""}` : ""}`,
          );
        }
        if (t.method === "POST") {
          // Every answered POST should be one new registration: a 200 that was really a refusal would show here.
          const made = (await countRegistrations(file, fixtures.signupSessionId)) - before;
          // Requests still in flight when a run stops are made but not counted: at most one per connection.
          const runsAt = (c: number) => (floorTarget && c <= ALONGSIDE_MAX_CONNECTIONS ? ALONGSIDE_ROUNDS : 1);
          const inFlight = CONNECTIONS.reduce((a, c) => a + c * runsAt(c), 0) + (WARMUP > 0 ? WARMUP_CONNECTIONS : 0);
          if (made < posted || made > posted + inFlight)
            problems.push(`${plan.name}: ${posted} registration POSTs were answered as done, but ${made} registrations were made.`);
        }
      }
      for (const s of Object.values(servers))
        if (s.server.child.exitCode !== null) problems.push(`${plan.name}: a server stopped during the run:\n${tail(s.server.logFile)}`);
    } finally {
      for (const s of Object.values(servers)) s.sampler.stop();
      if (servers.app) peakRss = readStatus(servers.app.server.child.pid!, "VmHWM");
      for (const s of Object.values(servers)) await s.server.stop();
    }

    // One server process and one per core, on the same data: the floor alone, each on a new server.
    if (withCores) {
      const floorTarget = list.find((t) => t.spec.kind === "floor");
      const processes = os.availableParallelism();
      if (!floorTarget) log("No floor page: the one-process and all-cores runs are not made.");
      else if (processes < 2) log("One core: the one-process and all-cores runs are not made.");
      else {
        log(`One process and every core: the floor at ${CORES_CONNECTIONS} connections, with WEB_CONCURRENCY=1 and with ${processes}…`);
        const one = await floorOn(plan, file, floorTarget, 1, CORES_WARMUP_SECONDS > 0 ? { seconds: CORES_WARMUP_SECONDS } : null);
        // Each process is optimised by itself and they share the load: each gets the one process's warm-up.
        const all = await floorOn(plan, file, floorTarget, processes, one.warmupRequests > 0 ? { amount: one.warmupRequests * processes } : null);
        cores = { dataset: plan.name, connections: CORES_CONNECTIONS, durationSeconds: DURATION, one, all };
        for (const r of [one, all])
          if (r.bad || r.errors || r.requests === 0)
            problems.push(
              `${plan.name}: the floor at ${CORES_CONNECTIONS} connections on ${r.processes} server process(es): ${r.bad} of ${r.requests} answers unexpected, ${r.errors} connection errors or timeouts`,
            );
      }
    }
  } finally {
    await dropWorkingCopy(plan);
  }

  const peakSeen = measurements
    .filter((m) => list.find((t) => t.spec.id === m.page)?.server !== "bare")
    .reduce<number | null>((p, m) => (m.peakRss === null ? p : Math.max(p ?? 0, m.peakRss)), null);
  const result: DatasetResult = {
    name: plan.name,
    label: plan.label,
    database: plan.database,
    years: plan.years,
    cityScale: plan.cityScale,
    counts: fixtures.counts,
    measurements,
    peakRss: peakRss ?? peakSeen,
  };
  return { result, pages: list.map((t) => t.spec), cores, problems };
}

/**
 * How long the one-process server is warmed before its run: its code is still being optimised well
 * after the pages' warm-up of a second, and so would flatter whichever run came second.
 */
const CORES_WARMUP_SECONDS = WARMUP > 0 ? Math.max(WARMUP, 5) : 0;

/**
 * The floor at CORES_CONNECTIONS for DURATION seconds on a new server of `processes` processes, after
 * the warm-up given (none for null); says how many warm-up requests each process had.
 */
async function floorOn(
  plan: DatasetPlan,
  file: string,
  floor: Target,
  processes: number,
  warmupLimit: { seconds: number } | { amount: number } | null,
): Promise<ProcessesRun & { warmupRequests: number }> {
  const server = await startServer(`${plan.name}-${processes}p`, file, processes);
  try {
    // Under node:cluster the primary only looks after the workers: they serve, and their memory is what counts.
    const pids = processes > 1 ? childPids(server.child.pid!) : [server.child.pid!];
    if (pids.length !== processes) throw new Error(`A server started with WEB_CONCURRENCY=${processes} has ${pids.length} server processes.`);
    const cookies: Record<string, string> = {};
    if (floor.who !== "anonymous") cookies[floor.who] = await signIn(server.base, USERS[floor.who]);
    const headers = headersFor(floor, server.base, cookies);
    await check(server.base, floor, headers);
    const warmup = warmupLimit ? await cannon(server.base, floor, headers, CORES_CONNECTIONS, warmupLimit) : null;
    await waitIdle(pids);
    // CPU time over the run: every process of the server (the primary too), and this process, where the load tool runs.
    const serverPids = processes > 1 ? [server.child.pid!, ...pids] : pids;
    const serverTicksBefore = cpuTicksOf(serverPids);
    const toolBefore = process.cpuUsage();
    const startedAt = performance.now();
    const r = await cannon(server.base, floor, headers, CORES_CONNECTIONS, { seconds: DURATION });
    const seconds = (performance.now() - startedAt) / 1000;
    const tool = process.cpuUsage(toolBefore);
    const serverTicksAfter = cpuTicksOf(serverPids);
    await waitIdle(pids);
    if (os.platform() !== "win32") loadSeen.push(os.loadavg()[0]!);
    const peaks = pids.map((pid) => readStatus(pid, "VmHWM")).filter((v): v is number => v !== null);
    const run: ProcessesRun & { warmupRequests: number } = {
      processes,
      warmupRequests: warmup ? warmup.requests / processes : 0,
      ...figuresOf(r),
      peakRss: peaks.length ? Math.max(...peaks) : null,
      cpu: {
        seconds,
        server: serverTicksBefore === null || serverTicksAfter === null ? null : (serverTicksAfter - serverTicksBefore) / clockTicksPerSecond(),
        loadTool: (tool.user + tool.system) / 1e6,
        cores: os.availableParallelism(),
      },
    };
    const { p50, p95, p99 } = run;
    log(
      `  ${`  ${processes === 1 ? "one process" : `${processes} processes`}`.padEnd(28)} ${String(CORES_CONNECTIONS).padStart(3)} conns  ${run.rps.toFixed(1).padStart(7)} req/s  p50 ${p50.toFixed(1).padStart(6)}  p95 ${p95.toFixed(1).padStart(6)}  p99 ${p99.toFixed(1).padStart(6)} ms  ${megabytes(run.peakRss).padStart(7)} largest`,
    );
    return run;
  } finally {
    await server.stop();
  }
}

// ---- Run ----------------------------------------------------------------------------------------

const results: DatasetResult[] = [];
let pages: PageSpec[] = [];
let cores: CoresResult | null = null;
const problems: string[] = [];
try {
  for (const [i, plan] of plans.entries()) {
    // The first data set (on SQLite) is also served with one process and with one per core.
    const r = await measureDataset(plan, i === 0);
    results.push(r.result);
    pages = r.pages;
    cores ??= r.cores;
    problems.push(...r.problems);
  }
} catch (err) {
  console.error(`\nThe benchmark stopped: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}

const checks = checkGoals(results, pages, { cores });
const cpus = os.cpus();
const markdown = renderMarkdown(
  {
    date: new Date(),
    machine: {
      cpuModel: cpus[0]?.model.trim() ?? "unknown CPU",
      cpuCount: cpus.length,
      totalMemoryBytes: os.totalmem(),
      os: `${os.type()} ${os.release()} (${os.arch()})`,
      node: process.version,
    },
    load: loadSeen.length ? { min: Math.min(...loadSeen), max: Math.max(...loadSeen) } : null,
    tool: `autocannon ${(require("autocannon/package.json") as { version: string }).version}`,
    durationSeconds: DURATION,
    warmupSeconds: WARMUP,
    settleSeconds: SETTLE,
    warmupConnections: WARMUP_CONNECTIONS,
    connections: CONNECTIONS,
    dataNote:
      dataKind === "city"
        ? `the city-scale seed (\`npm run db:seed -- --scale city --years N\`) for ${YEARS.join(" and ")} years of history, with the demo logins; each run measures a copy.`
        : "the demo data (`npm run db:seed`), as asked with `--data demo`; the goals about city-scale data and growth with history are not checked.",
  },
  results,
  pages,
  checks,
  cores,
);

console.log("");
for (const d of results) console.log(`${d.label}\n\n${resultsTable(d, pages)}\n\nPeak server memory: ${megabytes(d.peakRss)}\n`);
const growth = growthTable(
  results,
  pages,
  CONNECTIONS.filter((c) => c <= 10),
);
if (growth) console.log(`Growth with history\n\n${growth}\n`);
if (cores) console.log(`One process and every core (${cores.dataset}, the floor at ${cores.connections} connections)\n\n${coresTable(cores)}\n`);
console.log(`Goals\n\n${goalLines(checks)}\n`);

// A page that errs under load (the app ends a render after 5 s with a 500) is a finding: the figures
// are still written, with the errors listed, and the run exits 1.
const broken = [...failures(results, pages), ...problems];
const errorNote =
  "A 500 under load is most often the app ending a render that took longer than its 5 s limit (`ABORT_DELAY` in app/entry.server.tsx); the server log for each data set is in data/bench/.";
const written = broken.length ? `${markdown}\n## Errors\n\n${broken.map((b) => `- ${b}`).join("\n")}\n\n${errorNote}\n` : markdown;
if (!args["no-write"]) {
  fs.mkdirSync(path.dirname(path.resolve(root, args.out!)), { recursive: true });
  fs.writeFileSync(path.resolve(root, args.out!), written);
  log(`Wrote ${args.out}`);
}
if (broken.length) {
  console.error(`Pages answered with errors:\n${broken.map((b) => `  ${b}`).join("\n")}`);
  process.exit(1);
}
log("Done.");
