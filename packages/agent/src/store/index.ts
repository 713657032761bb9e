export { newOpId } from "./ids.js";
export { type AlertRow, type AttemptRow, type AuditRow, encodeIntent, encodeJson, getNewOpColumns, getOnFailure, RUN_MAY_LAND_SQL, type LedgerRow, type OpRowBase, type OutboxRow, rowToAlert, rowToAttempt, rowToAudit, rowToLedger, rowToOp, rowToOutboxItem } from "./rows.js";
export { decodeOpCursor, encodeOpCursor, getOpPage, type OpCursorKey } from "./op-cursor.js";
export { assembleStoreStats, getStatsTickLimit, INSTANCE_LIVE_MS, LATENCY_SAMPLE, MAX_STATS_TICKS, type RawStoreStats, summarizeLatencies, type TickRow } from "./store-stats.js";
export { isWriteVerb, STORE_VERB_KINDS, type StoreVerb, type SyncVerbs, type VerbImpl, type VerbRows, type VerbTable, type WriteVerb } from "./verb-table.js";
export { type BuiltStore, createStore, type StoreSpec, type VerbGuard } from "./create-store.js";
export { assertAttemptMatches } from "./assert-attempt-matches.js";
export { DAY_MS, isPruneComplete, TERMINAL_SQL } from "./prune-rules.js";
export { ledgerConflict, ledgerEntryNotFound, ledgerLeaseLost } from "./ledger-errors.js";
