import type { ClaimedOp, ClaimOneArgs } from "@courier/agent";
import type { Db } from "../db/db.js";
import { type OpRow, rowToClaimed } from "../db/row-mapping.js";

/**
 * CAS claim of one op. Under READ COMMITTED a concurrent claimer's UPDATE makes this one wait,
 * then re-check the WHERE on the new row version (no longer pending), so exactly one wins.
 */
export function createClaimOne(db: Db): (args: ClaimOneArgs) => Promise<ClaimedOp | null> {
  return async (a) => {
    const { rows } = await db.pool.query<OpRow>(
      `UPDATE ops SET status = 'running', lease_owner = $1, lease_until = $2, attempts = attempts + 1, updated_at = $3
       WHERE id = $4 AND status = 'pending' AND next_exec <= $3
       RETURNING *`,
      [a.owner, a.now + a.lease_ms, a.now, a.id],
    );
    return rows.length === 1 ? rowToClaimed(rows[0] as OpRow) : null;
  };
}
