import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";
import { CourierError, coerceError } from "../../errors.js";
import type { Db } from "./db.js";
import { readSchemaVersion, runMigrations } from "./migrate.js";
import { MIGRATIONS } from "./migrations.js";
import { SqliteStore } from "./sqlite-store.js";

export interface OpenSqliteStoreOptions {
  /** How long one statement waits for another connection's write lock (default 5000 ms). */
  busyTimeoutMs?: number;
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
    db = new Database(path, { readonly, fileMustExist: readonly });
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(opts.busyTimeoutMs ?? 5000))}`);
    db.pragma("foreign_keys = ON");
    if (readonly) {
      const version = readSchemaVersion(db);
      if (version !== MIGRATIONS.length) {
        throw new CourierError("COURIER__STORE__UNAVAILABLE", `store schema version ${version} does not match this build (${MIGRATIONS.length})`, {
          path,
          version,
        });
      }
    } else {
      // WAL lets readers (admin, stats) run alongside the crank's writes; NORMAL is durable
      // across process crashes in WAL mode, which is the failure Courier must survive.
      db.pragma("journal_mode = WAL");
      db.pragma("synchronous = NORMAL");
      runMigrations(db, Date.now());
    }
    return new SqliteStore(db, path);
  } catch (e) {
    if (db?.open) db.close();
    throw coerceError(e, "COURIER__STORE__UNAVAILABLE");
  }
}
