import { defineConfig } from "vitest/config";

/**
 * Workspace packages export their built dist/ by default and their TypeScript sources under the
 * "@courier/source" condition: tests run the sources, never a stale build.
 */
const SOURCE_CONDITION = "@courier/source";
// Child processes the tests spawn (`node --import tsx …`) inherit this and resolve sources too.
process.env.NODE_OPTIONS = [process.env.NODE_OPTIONS, `--conditions=${SOURCE_CONDITION}`].filter(Boolean).join(" ");

export default defineConfig({
  // Vite adds "import"/"require" by itself per importer. Listing "import" here would also reach
  // Node's own require() in the workers, and a CJS package (pg) would require() the ESM build of
  // its dependency (pg-pool) and get a module namespace instead of a class.
  resolve: { conditions: [SOURCE_CONDITION, "module", "node", "development|production"] },
  ssr: { resolve: { conditions: [SOURCE_CONDITION, "module", "node", "development|production"] } },
  test: {
    include: ["packages/*/src/**/*.test.ts", "packages/*/test/**/*.test.ts", "apps/*/test/**/*.test.ts", "apps/*/src/**/*.test.ts", "test/**/*.test.ts", "scripts/**/*.test.ts"],
    pool: "forks",
    // One throwaway PostgreSQL for the whole run (skipped when CI already provides COURIER_TEST_PG_URL).
    globalSetup: ["packages/testing/src/global-setup.ts"],
    // A test that needs longer says so itself ({ timeout }), with the reason: end-to-end, chaos and
    // production files start localnets and child processes on a loaded 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Tests spawn localnets and child processes; two workers match the 2-core target machine.
    maxWorkers: 2,
  },
});
