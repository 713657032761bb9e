/**
 * The one place the benchmarks reach into the agent package. The repository root has no
 * dependency on `@courier/*` (scripts/ is not a workspace package), so the package entry point
 * is imported by path here; every other bench module imports from this file only.
 */
export * from "@courier/agent";
export { openSqliteStore, type SqliteStore } from "@courier/sqlite";
