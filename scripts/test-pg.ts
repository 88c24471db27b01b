/**
 * `npm run test:pg [-- vitest arguments]`: the unit and integration tests on PostgreSQL, each test
 * file in a schema of its own in the database TEST_DATABASE_URL names (postgres://…), then the
 * browser journeys about concurrency (200 sign-ups through two processes, two coordinators and one
 * room) against a server on PostgreSQL. Every schema the run made is dropped when it is over.
 *
 * `npm test` ends with `npm run test:pg -- --if-configured`, which passes without running anything
 * when TEST_DATABASE_URL is not set (bash .ci/run sets it, to a throwaway cluster of its own).
 */
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import { createRequire } from "node:module";
import { dropRunSchemas } from "#tests/postgres-schemas.ts";

/** The browser journeys that race for places or rooms, run again on PostgreSQL. */
const CONCURRENCY_JOURNEYS = ["tests/e2e/signup-concurrency.e2e.test.ts", "tests/e2e/booking-journey.e2e.test.ts"];

const args = process.argv.slice(2);
const ifConfigured = args.includes("--if-configured");
const vitestArgs = args.filter((a) => a !== "--if-configured");
const url = process.env.TEST_DATABASE_URL;
if (!url && ifConfigured) {
  console.log("\nThe PostgreSQL run is skipped: TEST_DATABASE_URL is not set (bash .ci/run sets it; see the README).");
  process.exit(0);
}
if (!url || !/^postgres(ql)?:\/\//i.test(url)) {
  console.error("Set TEST_DATABASE_URL to a PostgreSQL database the tests may create schemas in, such as postgres://postgres@127.0.0.1:5432/neverok_test");
  process.exit(1);
}
const run = crypto.randomBytes(4).toString("hex");
const require = createRequire(import.meta.url);
// Each test file and journey picks its own schema; an app database named in the shell is not theirs.
const { DATABASE_URL: _app, ...inherited } = process.env;
const env = { ...inherited, NEVEROK_TEST_DATABASE: "postgres", NEVEROK_TEST_RUN: run };

let current: ReturnType<typeof spawn> | undefined;
function step(label: string, command: string, commandArgs: string[]): Promise<number> {
  console.log(`\n${label}`);
  return new Promise((resolve) => {
    current = spawn(process.execPath, [command, ...commandArgs], { stdio: "inherit", env });
    current.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => current?.kill(signal));

async function main(): Promise<number> {
  const vitest = require.resolve("vitest/vitest.mjs");
  const unit = await step("The unit and integration tests on PostgreSQL:", vitest, ["run", ...vitestArgs]);
  if (unit !== 0) return unit;
  if (vitestArgs.length > 0) {
    // Arguments narrow the run to some files or tests: the journeys are left for a whole run.
    console.log("\nThe concurrency journeys on PostgreSQL are left out: they run when test:pg is given no arguments.");
    return unit;
  }
  const remix = require.resolve("@remix-run/dev/dist/cli.js");
  const build = await step("The production build for the browser journeys:", remix, ["vite:build"]);
  if (build !== 0) return build;
  return step("The concurrency journeys with the server on PostgreSQL:", vitest, ["run", "--config", "tests/e2e/vitest.config.ts", ...CONCURRENCY_JOURNEYS]);
}

const code = await main();
try {
  await dropRunSchemas(url, run);
} catch (err) {
  console.error(`The test schemas (test_${run}_…) could not be dropped: ${(err as Error).message}`);
}
process.exit(code);
