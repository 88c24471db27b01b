import { defineConfig } from "vitest/config";

// Browser journeys against the production build, on a free port with a database of their own.
export default defineConfig({
  test: {
    include: ["tests/e2e/**/*.e2e.test.ts"],
    globalSetup: ["tests/e2e/global-setup.ts"],
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
