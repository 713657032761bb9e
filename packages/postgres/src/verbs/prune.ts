import { type PruneArgs, type PruneCounts, TERMINAL_SQL } from "@courier/agent";
import type { Db } from "../db/db.js";

/**
 * One retention batch, the rules of the agent's store/prune-rules.ts in PostgreSQL. Each
 * statement deletes at most `limit` rows found through an index on its time column, in its own
 * short transaction; the ops step (op rows, their attempts, then their ledger entries) is one.
 * Deleted rows are dead tuples that autovacuum makes reusable: the files stop growing at the
 * volume retention keeps (no VACUUM FULL needed).
 */
export function createPrune(db: Db): (args: PruneArgs) => Promise<PruneCounts> {
  const count = async (sql: string, params: unknown[]) => (await db.pool.query(sql, params)).rowCount ?? 0;
  return async ({ before, limit }) => {
    const ops = await db.tx(async (q) => {
      const { rows } = await q.query<{ id: string }>(
        `SELECT id FROM ops WHERE status IN ${TERMINAL_SQL} AND updated_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [before, limit],
      );
      const ids = rows.map((r) => r.id);
      if (ids.length === 0) return { ops: 0, attempts: 0, ledger: 0 };
      const attempts = (await q.query("DELETE FROM attempts WHERE op_id = ANY($1)", [ids])).rowCount ?? 0;
      const deleted = (await q.query("DELETE FROM ops WHERE id = ANY($1)", [ids])).rowCount ?? 0;
      const ledger = (await q.query("DELETE FROM ledger WHERE op_id = ANY($1)", [ids])).rowCount ?? 0;
      return { ops: deleted, attempts, ledger };
    });
    // Old runs of living ops once no terminal op is left to prune (see the SQLite store's prune).
    const opsDone = ops.ops < limit;
    const oldRunAttempts = () =>
      count(
        `DELETE FROM attempts WHERE id IN (
           SELECT a.id FROM attempts a JOIN ops o ON o.id = a.op_id WHERE a.ended_at < $1 AND a.run < o.run LIMIT $2)`,
        [before, limit],
      );
    const oldRunLedger = () =>
      count(
        `DELETE FROM ledger WHERE ctid IN (
           SELECT l.ctid FROM ledger l JOIN ops o ON o.id = l.op_id
           WHERE l.updated_at < $1 AND l.state IN ('landed','failed','expired') AND l.run < o.run
             AND NOT EXISTS (SELECT 1 FROM attempts a WHERE a.op_id = l.op_id AND a.run = l.run)
           LIMIT $2)`,
        [before, limit],
      );
    const attempts = ops.attempts + (opsDone ? await oldRunAttempts() : 0);
    const ledger = ops.ledger + (opsDone ? await oldRunLedger() : 0);
    const audit = await count("DELETE FROM audit WHERE id IN (SELECT id FROM audit WHERE at < $1 LIMIT $2)", [before, limit]);
    const outbox = await count("DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE delivered_at IS NOT NULL AND delivered_at < $1 LIMIT $2)", [
      before,
      limit,
    ]);
    const alerts = await count("DELETE FROM alerts WHERE key IN (SELECT key FROM alerts WHERE state = 'resolved' AND updated_at < $1 LIMIT $2)", [before, limit]);
    await db.pool.query("DELETE FROM spend WHERE day < $1", [new Date(before).toISOString().slice(0, 10)]);
    return { ops: ops.ops, attempts, ledger, audit, outbox, alerts };
  };
}

/** When the oldest op still kept was created (stats: what retention has left). */
export function createOldestOpAt(db: Db): () => Promise<number | null> {
  return async () => {
    const { rows } = await db.pool.query<{ t: number | null }>("SELECT MIN(created_at) AS t FROM ops");
    return rows[0]?.t ?? null;
  };
}
