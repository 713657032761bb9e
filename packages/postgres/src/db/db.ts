import type pg from "pg";
import { toStoreError } from "./errors.js";

/** Something to run a query on: the pool (autocommit) or a client inside a transaction. */
export type Queryable = Pick<pg.PoolClient, "query">;

export type IsolationLevel = "read committed" | "repeatable read" | "serializable";

/** The pool every verb module is built from, with a transaction helper. */
export interface Db {
  pool: pg.Pool;
  /** BEGIN … COMMIT on one pooled client; ROLLBACK (and rethrow) when `fn` throws. */
  tx<T>(fn: (q: Queryable) => Promise<T>, opts?: { isolation?: IsolationLevel; readOnly?: boolean }): Promise<T>;
}

export function createDb(pool: pg.Pool): Db {
  return {
    pool,
    async tx(fn, opts = {}) {
      const client = await pool.connect();
      let broken = false;
      try {
        const mode = [`ISOLATION LEVEL ${(opts.isolation ?? "read committed").toUpperCase()}`, opts.readOnly ? "READ ONLY" : ""].join(" ");
        await client.query(`BEGIN ${mode}`);
        try {
          const result = await fn(client);
          await client.query("COMMIT");
          return result;
        } catch (e) {
          try {
            await client.query("ROLLBACK");
          } catch (rollbackError) {
            // A connection that cannot roll back is not given back to the pool for reuse.
            broken = true;
            void toStoreError(rollbackError);
          }
          throw e;
        }
      } finally {
        client.release(broken);
      }
    },
  };
}
