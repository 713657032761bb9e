/** The store named by COURIER_DB: a SQLite file, or a PostgreSQL URL (loaded only when used). */
import type { OperatorConsoleStore } from "@courier/agent";
import type { PostgresStore } from "@courier/postgres";
import type { Config } from "../config/index.js";
import { openSqliteStore, type SqliteStore } from "@courier/sqlite";

export type CourierStore = SqliteStore | PostgresStore;

export function isPostgresUrl(db: string): boolean {
  return /^postgres(ql)?:\/\//i.test(db);
}

/** COURIER_DB as it may be shown: a PostgreSQL password masked. */
export function describeDb(db: string): string {
  if (!isPostgresUrl(db)) return db;
  try {
    const u = new URL(db);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "postgres://(unparseable url)";
  }
}

export async function openConfiguredStore(config: Config): Promise<CourierStore> {
  if (isPostgresUrl(config.db)) {
    const { openPostgresStore } = await import("@courier/postgres");
    return openPostgresStore(config.db, { schema: config.dbSchema });
  }
  return openSqliteStore(config.db);
}

/** Run `fn` with the configured store open, closing it whatever happens (the CLI's operator verbs). */
export async function withStore<T>(config: Config, fn: (store: OperatorConsoleStore) => Promise<T>): Promise<T> {
  const store = await openConfiguredStore(config);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
