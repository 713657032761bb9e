export { openSqliteStore, type OpenSqliteStoreOptions } from "./sqlite/open.js";
export { SqliteStore } from "./sqlite/sqlite-store.js";
export { newOpId } from "./ids.js";
