/**
 * Courier's test kit (test-only; never imported by runtime code): waits, a temp store per test
 * that a failed test keeps, a captured pino logger, a localnet per test file, child processes
 * (the crank child of the crash tests), store fixtures and the PostgreSQL test server.
 */
export { getCourierRejection, TEST_TIMEOUTS, waitFor, waitForOpStatus, waitForTerminalOps, type WaitOptions } from "./wait.js";
export { createTempStore, type TempStore } from "./temp-store.js";
export { createCapturedLogger, type LogLine } from "./captured-logger.js";
export { useLocalnet } from "./localnet.js";
export { captureOutput, CRANK_CHILD, spawnTs, type TsChild } from "./child-process.js";
export { CLI_PATH, type CliResult, getCleanEnv, getCliArgv, REPO_ROOT, runCli, runCliBatch, TSX_LOADER } from "./cli/run-cli.js";
export { getRandomAddress } from "./cli/random-address.js";
export { createCorruptStore } from "./cli/corrupt-store.js";
export { LEASE_MS, makeAttempt, makeLedgerEntry, makeMemoOp, makeNewOp, SUCCEED, T0 } from "./fixtures.js";
export { dropSchemas, findPgBinDir, freshSchemaName, getFreePort, getTestPostgres, startLocalPostgres, type TestPostgres, useTestPostgres } from "./postgres-server.js";
export { seedDueOps } from "./seed-due-ops.js";
