import type { ReclaimExpiredArgs } from "@courier/agent";
import type { Db } from "../db/db.js";

/**
 * Running ops whose lease expired (their owner died) go back to pending, due now, flagged
 * `reclaimed` so the next claim tells the executor to resume from the ledger. The dead attempt
 * is refunded (attempts - 1) because the reclaiming claim counts it again: a crash does not burn
 * two attempts. SKIP LOCKED: an op its owner is finishing right now is left to the owner.
 */
export function createReclaimExpired(db: Db): (args: ReclaimExpiredArgs) => Promise<number> {
  return async (a) => {
    if (a.limit <= 0) return 0;
    const res = await db.pool.query(
      // A MATERIALIZED CTE so the LIMIT … SKIP LOCKED lookup runs once (see claim-due.ts).
      `WITH expired AS MATERIALIZED (
         SELECT id FROM ops WHERE status = 'running' AND lease_until < $1 ORDER BY lease_until LIMIT $2 FOR UPDATE SKIP LOCKED
       )
       UPDATE ops SET status = 'pending', next_exec = $1, attempts = GREATEST(ops.attempts - 1, 0), reclaimed = TRUE,
         lease_owner = NULL, lease_until = NULL, updated_at = $1
       FROM expired WHERE ops.id = expired.id AND ops.status = 'running' AND ops.lease_until < $1`,
      [a.now, Math.floor(a.limit)],
    );
    return res.rowCount ?? 0;
  };
}
