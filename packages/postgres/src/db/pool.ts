import pg from "pg";

/** pg's OIDs of the types whose text form we parse ourselves. */
const INT8_OID = 20;
const NUMERIC_OID = 1700;

/**
 * Type parsers for this store's connections only (never pg's global registry, which other code
 * in the process may rely on): BIGINT epoch-ms / lamports columns and COUNT/SUM results come back
 * as strings by default; every such value here is an integer well inside 2^53.
 */
export const STORE_TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) => {
    if ((oid === INT8_OID || oid === NUMERIC_OID) && format !== "binary") return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format as "text");
  }) as pg.CustomTypesConfig["getTypeParser"],
};

/** A schema name we can put in SQL unquoted-safe: lower-case identifier. */
const SCHEMA_RE = /^[a-z_][a-z0-9_]{0,62}$/;

export function isValidSchemaName(schema: string): boolean {
  return SCHEMA_RE.test(schema);
}

/** Double-quoted identifier (the schema is validated before it gets here; quoting is belt and braces). */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export interface CreatePoolOptions {
  url: string;
  schema: string;
  max: number;
  /** Shown in pg_stat_activity, so an operator can tell Courier's connections apart. */
  applicationName: string;
}

/**
 * A pool whose every connection works inside `schema` (search_path set at connect time, so no
 * statement needs to name it) with this store's type parsers.
 */
export function createPool(o: CreatePoolOptions): pg.Pool {
  return new pg.Pool({
    connectionString: o.url,
    max: o.max,
    types: STORE_TYPES,
    options: `-c search_path=${quoteIdent(o.schema)}`,
    application_name: o.applicationName,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
  });
}
