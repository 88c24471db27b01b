import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { migrateToLatest, openDatabase } from "#db/connection.ts";
import { seedDemoData } from "#seed/demo.ts";

declare module "vitest" {
  export interface ProvidedContext {
    baseURL: string;
    databasePath: string;
    /** Everything the server has printed (its access log), appended as it comes. */
    serverLogPath: string;
  }
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

let server: ChildProcess | undefined;
let dir: string | undefined;

export async function setup(project: TestProject) {
  const root = path.resolve(import.meta.dirname, "../..");
  const serverMain = path.join(root, "build/server/main.js");
  if (!fs.existsSync(path.join(root, "build/server/index.js")) || !fs.existsSync(serverMain)) {
    throw new Error("No production build: run `npm run build` first (npm run test:e2e does).");
  }
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "neverok-e2e-"));
  const databasePath = path.join(dir, "e2e.sqlite");
  const db = openDatabase(databasePath);
  await migrateToLatest(db);
  await seedDemoData(db);
  await db.destroy();

  const port = await freePort();
  const baseURL = `http://localhost:${port}`;
  server = spawn(process.execPath, [serverMain, path.join(root, "build/server/index.js")], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      APP_URL: baseURL,
      DATABASE_PATH: databasePath,
      EMAIL_WORKER_INTERVAL_SECONDS: "0",
      RESEND_API_KEY: "",
      SMTP_URL: "",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const serverLogPath = path.join(dir, "server.log");
  for (const stream of [server.stdout, server.stderr]) {
    stream?.on("data", (d) => {
      output += d;
      // After teardown the directory is gone; what the stopping server still prints is not needed.
      if (fs.existsSync(dir!)) fs.appendFileSync(serverLogPath, d);
    });
  }

  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const res = await fetch(`${baseURL}/login`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (server.exitCode !== null || Date.now() > deadline) {
      throw new Error(`The app did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  project.provide("baseURL", baseURL);
  project.provide("databasePath", databasePath);
  project.provide("serverLogPath", serverLogPath);
}

export async function teardown() {
  server?.kill("SIGTERM");
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}
