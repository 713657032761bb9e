export { openPostgresStore, isPostgresUrl, redactPostgresUrl, DEFAULT_SCHEMA, type OpenPostgresStoreOptions } from "./open.js";
export { PostgresStore } from "./postgres-store.js";
export { MIGRATIONS as POSTGRES_MIGRATIONS } from "./db/migrations.js";
export { migrateStore, type MigrateStoreArgs, type MigrateStoreResult } from "./migrate-store.js";
