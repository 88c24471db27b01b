import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    globals: true,
    include: ["{app,bench,db,emails,scripts,seed,server}/**/*.test.{ts,tsx}", "tests/integration/**/*.test.{ts,tsx}"],
    environment: "node",
    setupFiles: ["./tests/setup/setup-test-env.ts"],
    restoreMocks: true,
    pool: "forks",
    // A guard against a hang, not a measure of speed: a busy two-core machine runs the slowest cases in seconds.
    testTimeout: 30_000,
  },
});
