/**
 * `npm run bench:shell`: what a page costs inside the server, with no HTTP, no load tool and no
 * other process in the way. The production build's request handler is called in this process,
 * one request at a time, for the floor (/privacy-notice, anonymous and signed in) and for the bare
 * Remix page (bench/bare), and the time per request is printed: wall clock and CPU. What the page
 * shell costs beyond the framework is the difference.
 *
 *   npm run bench:shell                       build both if missing, measure
 *   npm run bench:shell -- --requests 5000    requests per page (default 2000, after 300 to warm up)
 *   npm run bench:shell -- --profile          also a CPU profile of the measured requests alone (no
 *                                             start-up) per page, written to data/bench/shell-*.cpuprofile
 *                                             (open it in Chrome DevTools' Performance panel or
 *                                             speedscope), and the heaviest functions printed
 *   npm run bench:shell -- --path /booker --as booker   another page, signed in as a demo user
 *   npm run bench:shell -- --database data/city.sqlite  on a copy of that database (such as the
 *                                             city-scale seed) instead of the demo data
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { Session } from "node:inspector/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type { ServerBuild } from "@remix-run/node";

const root = path.resolve(import.meta.dirname, "..");
const require = createRequire(import.meta.url);
const { values: args } = parseArgs({
  options: {
    requests: { type: "string", default: "2000" },
    profile: { type: "boolean", default: false },
    path: { type: "string" },
    as: { type: "string" },
    build: { type: "boolean", default: false },
    database: { type: "string" },
  },
});
const REQUESTS = Number(args.requests);
const WARMUP = 300;
if (!(REQUESTS > 0)) {
  console.error("--requests is a number of requests, such as 2000.");
  process.exit(2);
}

const ORIGIN = "http://localhost:3000";
const benchDir = path.join(root, "data/bench");
fs.mkdirSync(benchDir, { recursive: true });
const database = path.join(benchDir, "shell.sqlite");
for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(`${database}${suffix}`, { force: true });
if (args.database) fs.copyFileSync(args.database, database);
Object.assign(process.env, { NODE_ENV: "production", DATABASE_PATH: database, APP_URL: ORIGIN, EMAIL_WORKER_INTERVAL_SECONDS: "0" });
delete process.env.DATABASE_URL;
// Loaded only now: React picks its production build by NODE_ENV when it is first loaded.
const { createRequestHandler, installGlobals } = await import("@remix-run/node");
const { migrateToLatest, openDatabase } = await import("#db/connection.ts");
const { DEMO_PASSWORD, seedDemoData } = await import("#seed/demo.ts");

const builds = [
  { name: "the app", dir: root, server: path.join(root, "build/server/index.js"), cli: [] as string[] },
  { name: "the bare Remix page", dir: path.join(root, "bench/bare"), server: path.join(root, "bench/bare/build/server/index.js"), cli: ["bench/bare"] },
];
for (const b of builds) {
  if (!args.build && fs.existsSync(b.server)) continue;
  console.log(`Building ${b.name}…`);
  const built = spawnSync(process.execPath, [require.resolve("@remix-run/dev/dist/cli.js"), "vite:build", ...b.cli], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
  });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

const db = openDatabase(database);
await migrateToLatest(db);
if (!args.database) await seedDemoData(db);
await db.destroy();

async function handlerFor(serverBuild: string) {
  const build = (await import(pathToFileURL(serverBuild).href)) as ServerBuild;
  installGlobals({ nativeFetch: build.future.v3_singleFetch });
  const handle = createRequestHandler(build, "production");
  // What server/app.ts gives every request: the client's address, which the sign-in throttle keys on.
  return (request: Request) => handle(request, { clientAddress: "127.0.0.1" });
}
const app = await handlerFor(builds[0]!.server);
const bare = await handlerFor(builds[1]!.server);

async function signIn(who: string): Promise<string> {
  const res = await app(
    new Request(`${ORIGIN}/login`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN, Host: new URL(ORIGIN).host },
      body: new URLSearchParams({ email: `${who}@neverok.example`, password: DEMO_PASSWORD, redirectTo: "" }),
    }),
  );
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0]!)
    .join("; ");
  if (res.status !== 302 || !cookie) throw new Error(`Signing in as ${who} gave ${res.status}.`);
  return cookie;
}

interface Case {
  label: string;
  handler: (request: Request) => Promise<Response>;
  path: string;
  cookie?: string;
}
const cases: Case[] = args.path
  ? [{ label: `${args.path}${args.as ? ` as the ${args.as}` : ""}`, handler: app, path: args.path, cookie: args.as ? await signIn(args.as) : undefined }]
  : [
      { label: "bare Remix page", handler: bare, path: "/" },
      { label: "floor, anonymous", handler: app, path: "/privacy-notice" },
      { label: "floor, signed in", handler: app, path: "/privacy-notice", cookie: await signIn("booker") },
    ];

async function once(c: Case): Promise<number> {
  const res = await c.handler(new Request(`${ORIGIN}${c.path}`, { headers: { Accept: "text/html", ...(c.cookie ? { Cookie: c.cookie } : {}) } }));
  const body = await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${c.label}: ${c.path} answered ${res.status}.`);
  return body.byteLength;
}

const session = args.profile ? new Session() : undefined;
session?.connect();
const results: { label: string; wallMs: number; cpuMs: number; bytes: number }[] = [];
for (const c of cases) {
  let bytes = 0;
  for (let i = 0; i < WARMUP; i++) bytes = await once(c);
  if (session) {
    await session.post("Profiler.enable");
    await session.post("Profiler.start");
  }
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < REQUESTS; i++) await once(c);
  const wall = performance.now() - started;
  const used = process.cpuUsage(cpu);
  results.push({ label: c.label, wallMs: wall / REQUESTS, cpuMs: (used.user + used.system) / 1000 / REQUESTS, bytes });
  if (session) {
    const { profile } = await session.post("Profiler.stop");
    const file = path.join(benchDir, `shell-${c.label.replace(/\W+/g, "-").replace(/^-|-$/g, "")}.cpuprofile`);
    fs.writeFileSync(file, JSON.stringify(profile));
    console.log(`\n${c.label}: ${path.relative(root, file)}\n${heaviest(profile)}`);
  }
}
session?.disconnect();

const reference = results.find((r) => r.label === "bare Remix page");
console.log(
  `\nPer request, in this process, one at a time (${REQUESTS} requests each after ${WARMUP} to warm up; ${os.cpus()[0]?.model.trim()}, Node ${process.version}):\n`,
);
for (const r of results) {
  const ratio = reference && r !== reference ? `  ${(r.wallMs / reference.wallMs).toFixed(2)}× the bare page` : "";
  console.log(
    `  ${r.label.padEnd(22)} ${r.wallMs.toFixed(3).padStart(7)} ms wall  ${r.cpuMs.toFixed(3).padStart(7)} ms CPU  ${String(r.bytes).padStart(7)} bytes${ratio}`,
  );
}
process.exit(0);

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/** The functions with the most time under them (their own and their callees'), and the packages with the most time of their own. */
function heaviest(profile: { nodes: ProfileNode[]; samples?: number[]; timeDeltas?: number[] }, count = 25): string {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const time = new Map<number, number>();
  (profile.samples ?? []).forEach((id, i) => time.set(id, (time.get(id) ?? 0) + (profile.timeDeltas?.[i] ?? 0)));
  const total = [...time.values()].reduce((a, b) => a + b, 0) || 1;
  const where = (url: string) => {
    const pkg = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url)?.[1];
    if (pkg) return pkg;
    if (!url) return "(native)";
    return url.startsWith("node:") ? url : path.relative(root, url.replace(/^file:\/\//, ""));
  };
  const inclusive = new Map<string, number>();
  const own = new Map<string, number>();
  for (const [id, t] of time) {
    const frame = nodes.get(id)!.callFrame;
    const pkg = where(frame.url) + (frame.url ? "" : ` ${frame.functionName}`);
    own.set(pkg, (own.get(pkg) ?? 0) + t);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = nodes.get(cur)!.callFrame;
      const key = `${f.functionName || "(anonymous)"}  ${where(f.url)}:${f.lineNumber + 1}`;
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + t);
    }
  }
  const pct = (t: number) => `${((100 * t) / total).toFixed(1).padStart(5)}%`;
  const top = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, t]) => `  ${pct(t)}  ${k}`)
      .join("\n");
  return `Time of its own, by package:\n${top(own, 12)}\nTime under each function:\n${top(inclusive, count)}`;
}
