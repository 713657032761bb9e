import type { ClaimDueArgs, ClaimedOp } from "@courier/agent";
import type { Db } from "../db/db.js";
import { compareDue, type OpRow, rowToClaimed } from "../db/row-mapping.js";

/**
 * The due-op lookup, served by the partial index `ops_due`. FOR UPDATE SKIP LOCKED makes
 * concurrent claimers (other processes, other hosts) step over each other's rows instead of
 * queueing on them: each due op is locked by exactly one claimer, and the UPDATE only touches
 * rows this statement locked.
 *
 * The lookup is a MATERIALIZED CTE, not `WHERE id IN (SELECT … LIMIT n FOR UPDATE SKIP LOCKED)`:
 * the planner may rescan an IN-subquery (e.g. on the inner side of a nested loop), and each
 * rescan of a LIMIT … SKIP LOCKED query can return different rows, so the IN form was seen
 * claiming more than `limit` ops. A materialized CTE runs exactly once.
 */
export const CLAIM_DUE_SQL = `
  WITH due AS MATERIALIZED (
    SELECT id FROM ops WHERE status = 'pending' AND next_exec <= $3 ORDER BY next_exec LIMIT $4 FOR UPDATE SKIP LOCKED
  )
  UPDATE ops SET status = 'running', lease_owner = $1, lease_until = $2, attempts = ops.attempts + 1, updated_at = $3
  FROM due WHERE ops.id = due.id AND ops.status = 'pending'
  RETURNING ops.*`;

/** Batched claim of up to `limit` due ops; `attempts` counts the attempt this claim starts. */
export function createClaimDue(db: Db): (args: ClaimDueArgs) => Promise<ClaimedOp[]> {
  return async (a) => {
    if (a.limit <= 0) return [];
    const { rows } = await db.pool.query<OpRow>(CLAIM_DUE_SQL, [a.owner, a.now + a.lease_ms, a.now, Math.floor(a.limit)]);
    // RETURNING order is unspecified: hand ops out earliest-due first.
    rows.sort(compareDue);
    return rows.map(rowToClaimed);
  };
}
