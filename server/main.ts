/**
 * Serves the production build: `npm start` runs this (with the heap settings), as do the browser
 * tests and the benchmark. Built by `npm run build` to build/server/main.js and run from the project root:
 * `node build/server/main.js [path/to/build/server/index.js]`.
 * Everything about a request is in createApp; this file loads the build and listens. With
 * WEB_CONCURRENCY above 1 it is run once per process under node:cluster: the first run only starts
 * and looks after the others (workers.ts), which serve.
 */
import cluster from "node:cluster";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { installGlobals, type ServerBuild } from "@remix-run/node";
import { getEnv, type Env } from "#app/utils/env.server.ts";
import { localFlashSecret } from "#app/utils/flash.server.ts";
import { createApp } from "./app.ts";
import { serverProcessFlags, superviseServerProcesses } from "./workers.ts";

process.env.NODE_ENV ??= "production";
const env = getEnv();

if (cluster.isPrimary && env.WEB_CONCURRENCY > 1) {
  // Made here, before any process starts, so that all of them sign flash messages alike.
  if (!env.SESSION_SECRET) localFlashSecret();
  cluster.setupPrimary({ execArgv: serverProcessFlags(process.execArgv, env.WEB_CONCURRENCY, os.availableParallelism()) });
  const supervisor = superviseServerProcesses({
    count: env.WEB_CONCURRENCY,
    start: () => cluster.fork(),
    onEnd: (listener) => cluster.on("exit", (worker, code, signal) => listener(worker, code, signal as NodeJS.Signals | null)),
    log: (line) => console.log(line),
    exit: (code) => process.exit(code),
  });
  // A stop asked for twice (a terminal signals every process, and `npm start` passes it on) is one stop.
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => supervisor.stop(signal));
} else {
  await serve(env);
}

/** What the entry module (app/entry.server.tsx) offers the server beside rendering. */
interface AppEntry {
  stopJobTimer?: () => Promise<void>;
}

async function serve(env: Env) {
  // Paths are from the working directory (the project root), as remix-serve had them.
  const root = process.cwd();
  const buildPath = path.resolve(process.argv[2] ?? path.join(root, "build/server/index.js"));
  const build = (await import(pathToFileURL(buildPath).href)) as ServerBuild;
  installGlobals({ nativeFetch: build.future.v3_singleFetch });

  // Several processes write to one log: each line says which one served the request.
  const log = cluster.isWorker ? { write: (line: string) => process.stdout.write(`[${process.pid}] ${line}`) } : undefined;
  const app = createApp({ build, root, trustProxy: env.TRUST_PROXY, mode: env.NODE_ENV, log });
  const host = process.env.HOST || undefined;
  const onListening = () =>
    console.log(`NeverOK Training is listening on http://${host ?? "localhost"}:${env.PORT}${cluster.isWorker ? ` (server process ${process.pid})` : ""}`);
  const server = host ? app.listen(env.PORT, host, onListening) : app.listen(env.PORT, onListening);

  let stopping = false;
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      // Finish the requests in flight and hand the background jobs on, then stop; idle keep-alive
      // connections would hold it open.
      const closed = new Promise<void>((resolve) =>
        server.close((err) => {
          if (err) console.error(err);
          resolve();
        }),
      );
      server.closeIdleConnections();
      const jobsStopped = ((build.entry.module as AppEntry).stopJobTimer?.() ?? Promise.resolve()).catch((err) => console.error(err));
      void Promise.all([closed, jobsStopped]).then(() => process.exit(0));
    });
  }
}
