import { mkdirSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";
import { type BuiltStore, CourierError, coerceError, createStore } from "@courier/agent";
import { withBusyRetry } from "./busy-retry.js";
import type { Db } from "./db.js";
import { readSchemaVersion, runMigrations } from "./migrate.js";
import { MIGRATIONS } from "./migrations.js";
import { createSqliteExtras, type SqliteExtras } from "./extras.js";
import { createSqliteVerbs } from "./verbs.js";

/**
 * How long one statement blocks waiting for another connection's write lock. Short on purpose:
 * the wait blocks the event loop; longer waits are retried asynchronously (busy-retry.ts).
 */
export const DEFAULT_BUSY_TIMEOUT_MS = 100;

/**
 * The SQLite store: one better-sqlite3 connection, statements prepared at open. Every call runs
 * through `withBusyRetry` (SQLITE_BUSY retried a few times, then COURIER__STORE__BUSY). Several
 * processes (or several stores in one process) may share one file; the claim verbs are what keep
 * them from executing an op twice.
 */
export type SqliteStore = BuiltStore<"sqlite", SqliteExtras>;

export interface OpenSqliteStoreOptions {
  /** How long one statement waits for another connection's write lock (default 100 ms, then async retries). */
  busyTimeoutMs?: number;
  /** Async waits between SQLITE_BUSY retries of one store call (default about 5.6 s in all). */
  busyRetryMs?: readonly number[];
  /** Open without write access: no migration, no directory creation; writes fail as unavailable. */
  readonly?: boolean;
}

/**
 * Open (creating if needed) the SQLite store at `path`: WAL, busy_timeout, synchronous=NORMAL,
 * foreign keys on, then pending migrations in one transaction. Several processes may open the
 * same file.
 */
export async function openSqliteStore(path: string, opts: OpenSqliteStoreOptions = {}): Promise<SqliteStore> {
  const readonly = opts.readonly ?? false;
  const memory = path === ":memory:";
  let db: Db | undefined;
  try {
    if (!readonly && !memory) mkdirSync(dirname(resolve(path)), { recursive: true });
    const conn = readonly ? openReadOnly(path) : new Database(path);
    db = conn;
    conn.pragma(`busy_timeout = ${Math.max(0, Math.floor(opts.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS))}`);
    conn.pragma("foreign_keys = ON");
    // 32 MB of page cache keeps the hot indexes of a large store in memory.
    conn.pragma("cache_size = -32000");
    if (readonly) {
      const version = readSchemaVersion(conn);
      if (version !== MIGRATIONS.length) {
        throw new CourierError("COURIER__STORE__UNAVAILABLE", `store schema version ${version} does not match this build (${MIGRATIONS.length})`, {
          path,
          version,
        });
      }
    } else {
      // Several processes may open a fresh file at once: switching to WAL and migrating can
      // meet another opener's lock, so they get the same bounded busy retry as every verb.
      await withBusyRetry(() => {
        // WAL lets readers (admin, stats) run alongside the crank's writes; NORMAL is durable
        // across process crashes in WAL mode, which is the failure Courier must survive.
        // Incremental auto-vacuum lets retention hand pruned pages back to the file system a
        // few at a time (reclaimSpace). It can only be set before the first table exists; an
        // older store keeps reusing its free pages instead (docs/runbook.md says how to convert).
        if (readSchemaVersion(conn) === 0) conn.pragma("auto_vacuum = INCREMENTAL");
        conn.pragma("journal_mode = WAL");
        conn.pragma("synchronous = NORMAL");
        // Applied-at is bookkeeping only, so the wall clock is fine here.
        runMigrations(conn, Date.now());
      });
    }
    return buildSqliteStore(conn, path, opts.busyRetryMs);
  } catch (e) {
    if (db?.open) db.close();
    throw coerceError(e, "COURIER__STORE__UNAVAILABLE");
  }
}

/**
 * A read-only connection. A WAL store in a directory this process cannot write cannot be opened
 * even read-only (SQLite needs its -shm file there): then the store is served from a snapshot
 * of the file in memory, marked as a rollback-journal database so SQLite accepts it. The
 * snapshot is what the file holds (a clean shutdown leaves nothing in the WAL).
 */
function openReadOnly(path: string): Db {
  let conn: Db | null = null;
  try {
    conn = new Database(path, { readonly: true, fileMustExist: true });
    // The first read is where WAL mode needs its -shm file.
    conn.pragma("user_version", { simple: true });
    return conn;
  } catch (e) {
    if (conn?.open) conn.close();
    const code = (e as { code?: unknown }).code;
    if (code !== "SQLITE_READONLY_DIRECTORY" && code !== "SQLITE_CANTOPEN") throw e;
    const image = readFileSync(path);
    // Header bytes 18-19: file format write/read version; 2 = WAL, 1 = legacy.
    if (image.length >= 100) image.fill(1, 18, 20);
    return new Database(image, { readonly: true });
  }
}

function buildSqliteStore(db: Db, path: string, busyRetryMs: readonly number[] | undefined): SqliteStore {
  const call = <T>(run: () => T | Promise<T>): Promise<T> =>
    withBusyRetry(() => {
      // Checked on every try: the store may be closed while a busy retry is sleeping.
      if (!db.open) throw new CourierError("COURIER__STORE__UNAVAILABLE", "store is closed", { path });
      return run();
    }, busyRetryMs) as Promise<T>;
  return createStore({
    kind: "sqlite",
    verbs: createSqliteVerbs(db),
    call,
    close: async () => {
      if (db.open) db.close();
    },
    extras: createSqliteExtras(db, path, call),
  });
}
