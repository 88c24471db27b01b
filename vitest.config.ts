import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    globals: true,
    include: ["{app,bench,db,emails,scripts,seed,server}/**/*.test.{ts,tsx}", "tests/integration/**/*.test.{ts,tsx}"],
    environment: "node",
    setupFiles: ["./tests/setup/setup-test-env.ts"],
    restoreMocks: true,
    pool: "forks",
  },
});
