import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["packages/*/src/**/*.test.ts", "packages/*/test/**/*.test.ts", "apps/*/test/**/*.test.ts", "apps/*/src/**/*.test.ts", "test/**/*.test.ts", "scripts/**/*.test.ts"],
    pool: "forks",
    // One throwaway PostgreSQL for the whole run (skipped when CI already provides COURIER_TEST_PG_URL).
    globalSetup: ["packages/testing/src/global-setup.ts"],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // Tests spawn localnets and child processes; two workers match the 2-core target machine.
    maxWorkers: 2,
  },
});
