/** Doctor: the store path is writable and the store passes SQLite's integrity check. */
import { constants, accessSync, existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { coerceError } from "@courier/agent";
import type { Config } from "../config/index.js";
import { describeDb, isPostgresUrl, openConfiguredStore } from "../wiring/open-store.js";
import type { DoctorCheck } from "./types.js";
import { openSqliteStore } from "@courier/sqlite";

export async function checkStore(config: Config, cwd: string): Promise<DoctorCheck[]> {
  if (isPostgresUrl(config.db)) return [await checkPostgres(config)];
  const path = resolve(cwd, config.db);
  if (!existsSync(path)) {
    const dir = nearestExistingDir(dirname(path));
    return [
      isWritable(dir)
        ? { check: "store", status: "ok", detail: `${path} does not exist yet; it will be created (${dir} is writable)` }
        : { check: "store", status: "fail", detail: `${path} cannot be created: ${dir} is not writable (COURIER_DB)` },
    ];
  }
  if (!isWritable(path) || !isWritable(dirname(path))) {
    return [{ check: "store", status: "fail", detail: `${path} or its directory is not writable (SQLite needs both for its WAL)` }];
  }
  try {
    const store = await openSqliteStore(path);
    try {
      const integrity = await store.integrityCheck();
      return [
        { check: "store", status: "ok", detail: `${path} is writable` },
        integrity.ok
          ? { check: "store integrity", status: "ok", detail: "PRAGMA integrity_check: ok" }
          : { check: "store integrity", status: "fail", detail: `PRAGMA integrity_check: ${integrity.detail.split("\n")[0]} (restore a backup: courier restore FILE)` },
      ];
    } finally {
      await store.close();
    }
  } catch (e) {
    return [{ check: "store", status: "fail", detail: `${path} cannot be opened: ${coerceError(e).message}` }];
  }
}

/** Reachable, migrated (opening applies pending migrations) and answering queries. */
async function checkPostgres(config: Config): Promise<DoctorCheck> {
  const shown = `${describeDb(config.db)} (schema ${config.dbSchema})`;
  try {
    const store = await openConfiguredStore(config);
    try {
      if (store.kind === "postgres") await store.ping();
      return { check: "store", status: "ok", detail: `PostgreSQL ${shown} reachable, schema up to date` };
    } finally {
      await store.close();
    }
  } catch (e) {
    // The message of a connection error does not carry the password; the URL shown is masked.
    return { check: "store", status: "fail", detail: `PostgreSQL ${shown}: ${coerceError(e).message}` };
  }
}

function nearestExistingDir(dir: string): string {
  let current = dir;
  while (!existsSync(current) && dirname(current) !== current) current = dirname(current);
  return current;
}

function isWritable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
