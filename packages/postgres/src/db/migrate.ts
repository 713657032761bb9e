import { CourierError } from "@courier/agent";
import type { Db } from "./db.js";
import { quoteIdent } from "./pool.js";
import { MIGRATIONS } from "./migrations.js";

/**
 * Key of the transaction-scoped advisory lock taken while migrating: two processes opening a
 * fresh schema at once queue on it; the second then finds nothing to do. Derived from the schema
 * name so stores in different schemas of one database do not wait on each other.
 */
function migrationLockKey(schema: string): string {
  return `courier.migrate.${schema}`;
}

/** Apply pending migrations in one transaction under the advisory lock; returns the schema version. */
export async function runMigrations(db: Db, schema: string, now: number): Promise<number> {
  return db.tx(async (q) => {
    await q.query("SELECT pg_advisory_xact_lock(hashtext($1))", [migrationLockKey(schema)]);
    // Under the lock: CREATE SCHEMA IF NOT EXISTS itself races between concurrent openers.
    await q.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
    await q.query("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)");
    const { rows } = await q.query<{ v: number | null }>("SELECT MAX(version) AS v FROM schema_migrations");
    const current = rows[0]?.v ?? 0;
    if (current > MIGRATIONS.length) {
      throw new CourierError("COURIER__STORE__UNAVAILABLE", `store schema version ${current} is newer than this build supports (${MIGRATIONS.length})`, {
        version: current,
        supported: MIGRATIONS.length,
      });
    }
    for (let v = current + 1; v <= MIGRATIONS.length; v++) {
      await q.query(MIGRATIONS[v - 1] as string);
      await q.query("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)", [v, now]);
    }
    return MIGRATIONS.length;
  });
}
