import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { migrateToLatest, openDatabase } from "#db/connection.ts";
import { seedDemoData } from "#seed/demo.ts";
import { createTestSchema } from "#tests/postgres-schemas.ts";
import { startServer } from "./server.ts";

declare module "vitest" {
  export interface ProvidedContext {
    baseURL: string;
    /** The journeys' database: an SQLite file, or under `npm run test:pg` a PostgreSQL schema's address. */
    database: string;
    /** Everything the server has printed (its access log), appended as it comes. */
    serverLogPath: string;
  }
}

let server: ChildProcess | undefined;
let dir: string | undefined;

export async function setup(project: TestProject) {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "neverok-e2e-"));
  // `npm run test:pg` runs journeys on PostgreSQL too, in a schema of their own that the run drops.
  const database =
    process.env.NEVEROK_TEST_DATABASE === "postgres" ? (await createTestSchema(process.env.TEST_DATABASE_URL!)).url : path.join(dir, "e2e.sqlite");
  const db = openDatabase(database);
  await migrateToLatest(db);
  await seedDemoData(db);
  await db.destroy();

  const serverLogPath = path.join(dir, "server.log");
  const started = await startServer({
    database,
    // After teardown the directory is gone; what the stopping server still prints is not needed.
    onOutput: (chunk) => {
      if (fs.existsSync(dir!)) fs.appendFileSync(serverLogPath, chunk);
    },
  });
  server = started.process;
  project.provide("baseURL", started.baseURL);
  project.provide("database", database);
  project.provide("serverLogPath", serverLogPath);
}

export async function teardown() {
  server?.kill("SIGTERM");
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}
