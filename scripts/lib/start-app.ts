/**
 * What `npm start` does, for it and for the commands that start the same app with something beside it
 * (`npm run dev:sso`): builds when the sources are newer than the build, migrates, and serves the
 * production build with our own server (server/main.ts, built beside the app). On this machine
 * (APP_URL unset or localhost) it loads the demo data into an empty database and prints the demo
 * logins; a deployment starts empty (see start-plan.ts).
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { Kysely } from "kysely";
import { databaseTarget, isDemoInstance, serverNodeOptions, type Env } from "#app/utils/env.server.ts";
import { databaseLabel, migrateToLatest, openDatabase } from "#db/connection.ts";
import type { Database } from "#db/schema.ts";
import { formatDemoLogins, holdsDemoAccounts, isDatabaseEmpty, seedDemoData } from "#seed/demo.ts";
import { newestMtime } from "./files.ts";
import { planStart } from "./start-plan.ts";

const root = path.resolve(import.meta.dirname, "../..");
const serverBuild = path.join(root, "build/server/index.js");
const serverMain = path.join(root, "build/server/main.js");

function buildIfStale() {
  const sources = ["app", "emails", "db", "server", "public", "vite.config.ts", "package.json", "package-lock.json"];
  const builtAt = fs.existsSync(serverBuild) && fs.existsSync(serverMain) ? Math.min(fs.statSync(serverBuild).mtimeMs, fs.statSync(serverMain).mtimeMs) : 0;
  if (builtAt !== 0 && !sources.some((s) => newestMtime(path.join(root, s)) > builtAt)) return;
  console.log("Building the app…");
  const result = spawnSync(process.execPath, [createRequire(import.meta.url).resolve("@remix-run/dev/dist/cli.js"), "vite:build"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: "production" },
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

export interface StartOptions {
  /** Runs on the migrated database (with the demo loaded, where it is) before the server starts; gives lines to print. */
  prepare?: (db: Kysely<Database>) => Promise<string[]>;
  /** Runs when the server has stopped, before this process ends. */
  onStop?: () => Promise<void>;
}

/** Builds if needed, prepares the database and serves the app until it stops; the process then ends with its exit code. */
export async function startApp(env: Env, opts: StartOptions = {}): Promise<void> {
  buildIfStale();
  const target = databaseTarget(env);
  const db = openDatabase(target);
  const applied = await migrateToLatest(db);
  if (applied.length) console.log(`Applied migrations: ${applied.join(", ")}`);
  const plan = planStart({
    demoInstance: isDemoInstance(env),
    appUrl: env.APP_URL,
    databasePath: databaseLabel(target),
    databaseEmpty: await isDatabaseEmpty(db),
    holdsDemoAccounts: await holdsDemoAccounts(db),
  });
  if (plan.action === "refuse") {
    await db.destroy();
    console.error(plan.message);
    process.exit(1);
  }
  if (plan.loadDemo) {
    await seedDemoData(db);
    console.log(`Loaded demo data into ${databaseLabel(target)}`);
  }
  const prepared = opts.prepare ? await opts.prepare(db) : [];
  await db.destroy();

  const notes = [...(plan.showDemoLogins ? [formatDemoLogins(env.APP_URL)] : plan.notes), ...prepared];
  const processes = env.WEB_CONCURRENCY > 1 ? ` with ${env.WEB_CONCURRENCY} server processes` : "";
  console.log(`\nNeverOK Training is starting on ${env.APP_URL}${processes}\n${notes.length ? `${notes.join("\n")}\n` : ""}`);

  const child = spawn(process.execPath, [serverMain, serverBuild], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, PORT: String(env.PORT), NODE_ENV: env.NODE_ENV, NODE_OPTIONS: serverNodeOptions(env, process.env.NODE_OPTIONS) },
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
  child.on("exit", (code) => {
    void (opts.onStop?.() ?? Promise.resolve()).finally(() => process.exit(code ?? 0));
  });
}
