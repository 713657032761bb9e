export { openSqliteStore, type OpenSqliteStoreOptions } from "./sqlite/open.js";
export { SqliteStore } from "./sqlite/sqlite-store.js";
export { newOpId } from "./ids.js";
export { type AttemptRow, encodeJson, type LedgerRow, type OpRowBase, rowToAttempt, rowToLedger, rowToOp } from "./rows.js";
export { decodeOpCursor, encodeOpCursor, getOpPage, type OpCursorKey } from "./op-cursor.js";
export { summarize as summarizeLatencies } from "./sqlite/stats.js";
