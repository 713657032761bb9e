/** Test-only helpers shared across packages (imports vitest: never import from production code). */
export { describeStoreConformance } from "./store/conformance.js";
export { LEASE_MS, makeAttempt, makeLedgerEntry, makeNewOp, SUCCEED, T0 } from "./store/conformance-fixtures.js";
