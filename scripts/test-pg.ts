/**
 * `npm run test:pg [-- vitest arguments]`: the unit and integration tests on PostgreSQL, each test
 * file in a schema of its own in the database TEST_DATABASE_URL names (postgres://…), all dropped
 * when the run is over.
 */
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import { createRequire } from "node:module";
import { dropRunSchemas } from "#tests/postgres-schemas.ts";

const url = process.env.TEST_DATABASE_URL;
if (!url || !/^postgres(ql)?:\/\//i.test(url)) {
  console.error("Set TEST_DATABASE_URL to a PostgreSQL database the tests may create schemas in, such as postgres://postgres@127.0.0.1:5432/neverok_test");
  process.exit(1);
}
const run = crypto.randomBytes(4).toString("hex");
const vitest = createRequire(import.meta.url).resolve("vitest/vitest.mjs");
const child = spawn(process.execPath, [vitest, "run", ...process.argv.slice(2)], {
  stdio: "inherit",
  env: { ...process.env, NEVEROK_TEST_DATABASE: "postgres", NEVEROK_TEST_RUN: run },
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => {
  void dropRunSchemas(url, run)
    .catch((err: unknown) => console.error(`The test schemas (test_${run}_…) could not be dropped: ${(err as Error).message}`))
    .finally(() => process.exit(code ?? 1));
});
