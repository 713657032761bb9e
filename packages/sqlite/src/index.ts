export { openSqliteStore, type OpenSqliteStoreOptions, type SqliteStore, DEFAULT_BUSY_TIMEOUT_MS } from "./open.js";
export type { SqliteExtras } from "./extras.js";
export { DEFAULT_BUSY_RETRY_MS } from "./busy-retry.js";
export { MIGRATIONS as SQLITE_MIGRATIONS } from "./migrations.js";
export { createSqliteVerbs } from "./verbs.js";
