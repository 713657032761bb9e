export { openPostgresStore, isPostgresUrl, redactPostgresUrl, DEFAULT_SCHEMA, type OpenPostgresStoreOptions, type PostgresExtras, type PostgresStore } from "./open.js";
export { createPostgresVerbs } from "./verbs/index.js";
export { MIGRATIONS as POSTGRES_MIGRATIONS } from "./db/migrations.js";
export { migrateStore, type MigrateStoreArgs, type MigrateStoreResult } from "./migrate-store.js";
