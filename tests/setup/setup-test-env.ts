import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import crypto from "node:crypto";
import { afterAll, beforeAll, beforeEach, vi } from "vitest";
import { migrateToLatest } from "#db/connection.ts";
import { createTestSchema } from "#tests/postgres-schemas.ts";
import { resetEnvCache } from "#app/utils/env.server.ts";
import { setClockOffsetForTests } from "#app/utils/time.ts";
import { recordSteadyAnswerPauses } from "#tests/steady-answers.ts";

// A fresh, migrated database for every test file: an SQLite file, or under `npm run test:pg` a
// schema of its own in TEST_DATABASE_URL's database, so files running side by side never meet
// (the run's schemas are dropped when it ends).
const onPostgres = process.env.NEVEROK_TEST_DATABASE === "postgres";
const dbPath = path.join(os.tmpdir(), `neverok-test-${process.pid}-${crypto.randomUUID()}.sqlite`);
const schema = onPostgres ? await createTestSchema(process.env.TEST_DATABASE_URL!) : undefined;
process.env.NODE_ENV = "test";
process.env.DATABASE_PATH = dbPath;
if (schema) process.env.DATABASE_URL = schema.url;
else delete process.env.DATABASE_URL;
process.env.APP_URL = "http://localhost:3000";
delete process.env.RESEND_API_KEY;
delete process.env.SMTP_URL;
resetEnvCache();

// jest-dom's matchers for the tests that render into a DOM (`@vitest-environment jsdom`); only
// there, as loading them costs about a fifth of a second in every test file.
if (typeof document !== "undefined") await import("@testing-library/jest-dom/vitest");

beforeAll(async () => {
  const { getDb } = await import("#app/db.server.ts");
  await migrateToLatest(getDb());
});

beforeEach(() => {
  setClockOffsetForTests(0);
  recordSteadyAnswerPauses();
  // An error logged during a test is a failure, not noise.
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    throw new Error(`console.error was called: ${args.map(String).join(" ")}`);
  });
});

afterAll(async () => {
  const { getDb } = await import("#app/db.server.ts");
  await getDb().destroy();
  globalThis.__neverokDb = undefined;
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(`${dbPath}${suffix}`, { force: true });
});
