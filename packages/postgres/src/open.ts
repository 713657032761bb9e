import { CourierError, coerceError } from "@courier/agent";
import { createDb } from "./db/db.js";
import { toStoreError } from "./db/errors.js";
import { runMigrations } from "./db/migrate.js";
import { createPool, isValidSchemaName } from "./db/pool.js";
import { PostgresStore } from "./postgres-store.js";

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
    await runMigrations(createDb(pool), schema, Date.now());
    return new PostgresStore(pool, schema);
  } catch (e) {
    await pool.end().catch((endError: unknown) => void toStoreError(endError));
    const err = toStoreError(e);
    // The URL may carry a password: name the store by its redacted URL only.
    throw new CourierError(err.code, `cannot open PostgreSQL store at ${redactPostgresUrl(url)}: ${err.message}`, { ...err.context, schema }, { cause: e });
  }
}
