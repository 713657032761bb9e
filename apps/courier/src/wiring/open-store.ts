/** The store named by COURIER_DB. */
import { CourierError, type SqliteStore, openSqliteStore } from "@courier/agent";
import type { Config } from "../config/index.js";

export function isPostgresUrl(db: string): boolean {
  return /^postgres(ql)?:\/\//i.test(db);
}

export async function openConfiguredStore(config: Config): Promise<SqliteStore> {
  if (isPostgresUrl(config.db)) {
    throw new CourierError("COURIER__CONFIG", "COURIER_DB: the PostgreSQL store is not available in this build; use a SQLite file path");
  }
  return openSqliteStore(config.db);
}

/** Run `fn` with the configured store open, closing it whatever happens. */
export async function withStore<T>(config: Config, fn: (store: SqliteStore) => Promise<T>): Promise<T> {
  const store = await openConfiguredStore(config);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
