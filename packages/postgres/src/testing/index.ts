/** Test and benchmark helpers (`@courier/postgres/testing`): never import from production code. */
export { dropSchemas, findPgBinDir, freshSchemaName, getTestPostgres, startLocalPostgres, type TestPostgres } from "./start-test-postgres.js";
export { seedDueOps } from "./seed-due-ops.js";
export { measurePostgresClaimThroughput, type PostgresClaimThroughputArgs, type PostgresClaimThroughputResult } from "./bench-claims.js";
