export { openSqliteStore, type OpenSqliteStoreOptions } from "./sqlite/open.js";
export { SqliteStore } from "./sqlite/sqlite-store.js";
export { newOpId } from "./ids.js";
export { type AttemptRow, encodeJson, getOnFailure, RUN_MAY_LAND_SQL, type LedgerRow, type OpRowBase, type OutboxRow, rowToAttempt, rowToLedger, rowToOp, rowToOutboxItem } from "./rows.js";
export { decodeOpCursor, encodeOpCursor, getOpPage, type OpCursorKey } from "./op-cursor.js";
export { assembleStoreStats, getStatsTickLimit, INSTANCE_LIVE_MS, LATENCY_SAMPLE, MAX_STATS_TICKS, type RawStoreStats, summarizeLatencies, type TickRow } from "./store-stats.js";
