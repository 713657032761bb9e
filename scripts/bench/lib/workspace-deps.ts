/**
 * Runtime dependencies the benchmarks borrow from the agent package. pnpm does not hoist them to
 * the repository root (scripts/ is not a workspace package), so they are resolved from
 * packages/agent, the package whose versions Courier itself runs with.
 */
import { createRequire } from "node:module";
import type BetterSqlite3 from "better-sqlite3";
import type { RunContext } from "./courier.js";

const requireFromAgent = createRequire(new URL("../../../packages/agent/package.json", import.meta.url));

export type Logger = RunContext["log"];
export type SqliteDatabase = BetterSqlite3.Database;

/** Open a raw better-sqlite3 connection (setup and the naive baseline only, never Courier's path). */
export function openRawDatabase(path: string): SqliteDatabase {
  const Database = requireFromAgent("better-sqlite3") as typeof BetterSqlite3;
  const db = new Database(path);
  db.pragma("busy_timeout = 5000");
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  return db;
}

/** A pino logger that writes nothing: benchmarks measure the crank, not log I/O. */
export function createSilentLogger(): Logger {
  const pino = requireFromAgent("pino") as (opts: { level: string }) => Logger;
  return pino({ level: "silent" });
}
