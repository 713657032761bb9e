/**
 * Optional vitest globalSetup (add `globalSetup: ["packages/testing/src/global-setup.ts"]`
 * to vitest.config.ts): starts ONE throwaway PostgreSQL for the whole run and hands its URL to every
 * test worker as COURIER_TEST_PG_URL, instead of each PostgreSQL test file starting its own.
 * Does nothing when COURIER_TEST_PG_URL is already set (CI). When no server can be started it
 * leaves the variable unset, and the test files decide: skip, or fail under COURIER_REQUIRE_PG=1.
 */
import { startLocalPostgres, type TestPostgres } from "./postgres-server.js";

export default async function setup(): Promise<() => Promise<void>> {
  if (process.env.COURIER_TEST_PG_URL) return async () => undefined;
  let server: TestPostgres | null = null;
  try {
    server = await startLocalPostgres();
    // Test workers are forked after global setup and inherit this environment.
    process.env.COURIER_TEST_PG_URL = server.url;
  } catch (e) {
    process.stderr.write(`[postgres tests] no shared PostgreSQL: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}\n`);
  }
  return async () => {
    await server?.stop();
  };
}
