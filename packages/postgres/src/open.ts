import { type BuiltStore, CourierError, coerceError, createStore } from "@courier/agent";
import type pg from "pg";
import { createDb, type Db } from "./db/db.js";
import { toStoreError, withPgRetry } from "./db/errors.js";
import { runMigrations } from "./db/migrate.js";
import { createPool, isValidSchemaName } from "./db/pool.js";
import { foldCounters } from "./verbs/fold-counters.js";
import { createPostgresVerbs } from "./verbs/index.js";

/** What only the PostgreSQL store has (doctor, migrate-store, tests), beside the verbs every store has. */
export interface PostgresExtras {
  /** Schema the store lives in. */
  readonly schema: string;
  /** The store's own connection pool (tests that must act on the store's connections). */
  readonly pool: pg.Pool;
  /** Fold appended count deltas into the running totals now (also done now and then by ticks and stats). */
  foldCounters(): Promise<boolean>;
  /** Round trip to the server: `select 1` (doctor, readiness). */
  ping(): Promise<void>;
}

/**
 * The PostgreSQL store: a connection pool working inside one schema. Any number of crank
 * processes on any number of hosts may share it; the claim verbs (FOR UPDATE SKIP LOCKED and
 * owner-checked updates) keep them from executing an op twice. Every call runs through
 * `withPgRetry` (serialization failures and deadlocks retried a few times, then
 * COURIER__STORE__BUSY; a lost connection is COURIER__STORE__UNAVAILABLE).
 */
export type PostgresStore = BuiltStore<"postgres", PostgresExtras>;

export interface OpenPostgresStoreOptions {
  /** Schema the store's tables live in (created if missing; default `courier`). */
  schema?: string;
  /** Connections in this process's pool (default 10). */
  poolSize?: number;
}

export const DEFAULT_SCHEMA = "courier";

/** `postgres://` or `postgresql://`: how COURIER_DB selects this store. */
export function isPostgresUrl(value: string): boolean {
  return /^postgres(ql)?:\/\//i.test(value);
}

/** The URL with any password masked, for logs and errors. */
export function redactPostgresUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch (e) {
    void coerceError(e);
    return "postgres://(unparseable url)";
  }
}

/**
 * Open (creating if needed) the PostgreSQL store at `url` in `schema`, then apply pending
 * migrations in one transaction under an advisory lock, so processes starting together on a
 * fresh database do not race. Any number of processes may open the same store.
 */
export async function openPostgresStore(url: string, opts: OpenPostgresStoreOptions = {}): Promise<PostgresStore> {
  if (!isPostgresUrl(url)) {
    throw new CourierError("COURIER__CONFIG", "a PostgreSQL store URL starts with postgres:// or postgresql://", { field: "url" });
  }
  const schema = opts.schema ?? DEFAULT_SCHEMA;
  if (!isValidSchemaName(schema)) {
    throw new CourierError("COURIER__CONFIG", "schema must be a lower-case SQL identifier ([a-z_][a-z0-9_]*)", { field: "schema", schema });
  }
  const poolSize = opts.poolSize ?? 10;
  if (!Number.isInteger(poolSize) || poolSize < 1 || poolSize > 1000) {
    throw new CourierError("COURIER__CONFIG", "poolSize must be an integer from 1 to 1000", { field: "poolSize", poolSize });
  }
  const pool = createPool({ url, schema, max: poolSize, applicationName: "courier" });
  // An idle client losing its connection emits on the pool; without a listener that would crash
  // the process. The next query on the pool reports the failure as UNAVAILABLE instead.
  pool.on("error", (e) => void toStoreError(e));
  try {
    // Applied-at is bookkeeping only, so the wall clock is fine here.
    const db = createDb(pool);
    await runMigrations(db, schema, Date.now());
    return buildPostgresStore(pool, db, schema);
  } catch (e) {
    await pool.end().catch((endError: unknown) => void toStoreError(endError));
    const err = toStoreError(e);
    // The URL may carry a password: name the store by its redacted URL only.
    throw new CourierError(err.code, `cannot open PostgreSQL store at ${redactPostgresUrl(url)}: ${err.message}`, { ...err.context, schema }, { cause: e });
  }
}

function buildPostgresStore(pool: pg.Pool, db: Db, schema: string): PostgresStore {
  let closed = false;
  const call = <T>(run: () => T | Promise<T>): Promise<T> =>
    withPgRetry(async () => {
      // Checked on every try: the store may be closed while a retry is sleeping.
      if (closed) throw new CourierError("COURIER__STORE__UNAVAILABLE", "store is closed", { schema });
      return run();
    });
  return createStore({
    kind: "postgres",
    verbs: createPostgresVerbs(db),
    call,
    close: async () => {
      if (closed) return;
      closed = true;
      try {
        await pool.end();
      } catch (e) {
        throw toStoreError(e);
      }
    },
    extras: {
      schema,
      pool,
      foldCounters: () => call(() => foldCounters(db)),
      ping: () =>
        call(async () => {
          await pool.query("SELECT 1");
        }),
    },
  });
}
