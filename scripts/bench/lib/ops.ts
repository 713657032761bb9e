/**
 * Ops for the benchmarks. Small sets go through the store's own createOp; large backlogs are
 * written by `bulkInsertOps` with one prepared INSERT in one transaction straight through
 * better-sqlite3 (setup speed only: 1M createOp calls would each be their own transaction).
 * The INSERT writes the same columns and values createOp writes for a new one-off op.
 */
import { newOpId, type NewOp, type Store } from "./courier.js";
import { openRawDatabase, type SqliteDatabase } from "./workspace-deps.js";

export const BENCH_ACTION = "bench.noop";

export function createBenchOp(nextExec: number, now: number, idTime = now): NewOp {
  return {
    id: newOpId(idTime),
    action: BENCH_ACTION,
    params: {},
    schedule: { kind: "once" },
    next_exec: nextExec,
    created_at: now,
    max_exec: null,
    max_attempts: 5,
    expires_at: null,
    idempotency_key: null,
    misfire: "skip",
    missed_window_ms: null,
  };
}

/** Insert `count` one-off ops due at `nextExec(i)` through the store's createOp. */
export async function createOps(store: Store, count: number, nextExec: (i: number) => number, now = Date.now()): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const { op } = await store.createOp(createBenchOp(nextExec(i), now));
    ids.push(op.id);
  }
  return ids;
}

/** Above this many rows the secondary indexes are dropped during the insert and rebuilt after. */
const REBUILD_INDEXES_ABOVE = 50_000;

/**
 * Insert `count` pending one-off ops into the store file at `path` in one transaction, due at
 * `nextExec(i)`. For large counts the ops table's secondary indexes are dropped first and
 * re-created from their own stored SQL in the same transaction (building an index once is far
 * faster than maintaining it row by row); the file ends with exactly the schema it started with.
 */
export function bulkInsertOps(path: string, count: number, nextExec: (i: number) => number, now = Date.now()): void {
  const db = openRawDatabase(path);
  try {
    // Setup only: a large page cache for this connection so index builds stay in memory.
    db.pragma("cache_size = -262144");
    const insert = prepareOpInsert(db);
    const indexes =
      count > REBUILD_INDEXES_ABOVE
        ? db.prepare<[], { name: string; sql: string }>("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'ops' AND sql IS NOT NULL").all()
        : [];
    const tx = db.transaction(() => {
      for (const ix of indexes) db.exec(`DROP INDEX "${ix.name}"`);
      for (let i = 0; i < count; i++) {
        const at = nextExec(i);
        // Ids made at increasing (past) milliseconds sort in insertion order, so the primary
        // key B-tree is appended to instead of split at random places.
        insert(newOpId(now - count + i), at, now);
      }
      for (const ix of indexes) db.exec(ix.sql);
    });
    tx();
    // Move the new pages from the WAL into the database file, as a running store's automatic
    // checkpoints would have: reads then do not go through a WAL of the whole backlog.
    db.pragma("wal_checkpoint(TRUNCATE)");
  } finally {
    db.close();
  }
}

/**
 * A prepared INSERT of one pending one-off bench op with the columns and values createOp writes
 * (run it inside the caller's transaction when inserting many).
 */
export function prepareOpInsert(db: SqliteDatabase): (id: string, nextExec: number, now: number) => void {
  const insert = db.prepare(`
    INSERT INTO ops (id, action, params, status, schedule, next_exec, due_at, created_at, updated_at,
      run, exec_count, max_exec, attempts, max_attempts, last_error, expires_at, idempotency_key,
      misfire, missed_window_ms, lease_owner, lease_until, reclaimed)
    VALUES (?, ?, '{}', 'pending', '{"kind":"once"}', ?, ?, ?, ?, 1, 0, NULL, 0, 5, NULL, NULL, NULL, 'skip', NULL, NULL, NULL, 0)`);
  return (id, nextExec, now) => {
    insert.run(id, BENCH_ACTION, nextExec, nextExec, now, now);
  };
}
