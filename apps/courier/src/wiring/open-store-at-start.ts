/**
 * The store as `courier start` opens it. A SQLite file that exists but cannot be written (the
 * file or its directory is read-only, or on a read-only filesystem) is opened read-only instead
 * of stopping the process: it then starts in safe mode "read_only" with the path and the fix, so
 * the operator still sees the admin API and /readyz. Anything else that fails to open still
 * stops start (a missing directory is created; a file that is not a database has nothing to serve).
 */
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { coerceError } from "@courier/agent";
import { openSqliteStore } from "@courier/sqlite";
import type { Config } from "../config/index.js";
import { type CourierStore, isPostgresUrl, openConfiguredStore } from "./open-store.js";

export interface OpenedAtStart {
  store: CourierStore;
  /** Why the store is read-only (path and cause), or null when it is writable. */
  readOnly: string | null;
}

const READ_ONLY_CODES = /^SQLITE_(READONLY|CANTOPEN)/;

export async function openStoreAtStart(config: Config): Promise<OpenedAtStart> {
  try {
    return { store: await openConfiguredStore(config), readOnly: null };
  } catch (e) {
    const err = coerceError(e);
    const sqlite = typeof err.context.sqlite === "string" ? err.context.sqlite : "";
    if (isPostgresUrl(config.db) || err.code !== "COURIER__STORE__UNAVAILABLE" || !READ_ONLY_CODES.test(sqlite) || !existsSync(config.db)) throw err;
    const store = await openSqliteStore(config.db, { readonly: true });
    const where = sqlite === "SQLITE_READONLY_DIRECTORY" ? `its directory ${dirname(resolve(config.db))} is read-only` : "the file or its directory is read-only";
    return { store, readOnly: `store is read-only: ${resolve(config.db)} cannot be written (${sqlite}: ${where})` };
  }
}
