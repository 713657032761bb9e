import { CourierError } from "@courier/agent";
import type { Db } from "./db.js";
import { MIGRATIONS } from "./migrations.js";

/**
 * Apply pending migrations in one IMMEDIATE transaction, so two processes opening a fresh
 * file at once do not both migrate: the second waits on the write lock, then finds nothing to do.
 * Returns the schema version after migrating.
 */
export function runMigrations(db: Db, now: number): number {
  const migrate = db.transaction(() => {
    db.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL) STRICT");
    const row = db.prepare("SELECT MAX(version) AS v FROM schema_migrations").get() as { v: number | null };
    const current = row.v ?? 0;
    if (current > MIGRATIONS.length) {
      throw new CourierError("COURIER__STORE__UNAVAILABLE", `store schema version ${current} is newer than this build supports (${MIGRATIONS.length})`, {
        version: current,
        supported: MIGRATIONS.length,
      });
    }
    const record = db.prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)");
    for (let v = current + 1; v <= MIGRATIONS.length; v++) {
      db.exec(MIGRATIONS[v - 1] as string);
      record.run(v, now);
    }
    db.pragma(`user_version = ${MIGRATIONS.length}`);
    return MIGRATIONS.length;
  });
  return migrate.immediate();
}

/** Schema version of a store opened read-only (no migration is possible there). */
export function readSchemaVersion(db: Db): number {
  return db.pragma("user_version", { simple: true }) as number;
}
