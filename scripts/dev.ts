/** `npm run dev`: the Vite development server, on a migrated database with the demo data. */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { migrateToLatest } from "#db/connection.ts";
import { openConfiguredDatabase } from "#app/db.server.ts";
import { formatDemoLogins, isDatabaseEmpty, seedDemoData } from "#seed/demo.ts";
import { getEnv, isDemoInstance } from "#app/utils/env.server.ts";

const env = getEnv();
const db = openConfiguredDatabase(env);
await migrateToLatest(db);
// The demo's accounts have a published password: loaded only when the app runs on this machine.
const demo = isDemoInstance(env);
if (demo && (await isDatabaseEmpty(db))) await seedDemoData(db);
await db.destroy();
if (demo) console.log(formatDemoLogins(env.APP_URL));

const cli = createRequire(import.meta.url).resolve("@remix-run/dev/dist/cli.js");
const child = spawn(process.execPath, [cli, "vite:dev", "--port", String(env.PORT)], { stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => process.exit(code ?? 0));
