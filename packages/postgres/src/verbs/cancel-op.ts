import type { OpCommandArgs, OpCommandResult } from "@courier/agent";
import type { Db } from "../db/db.js";
import { type OpRow, rowToOp } from "../db/row-mapping.js";

/**
 * pending/running → cancelled. Cancelling a running op clears its lease: the owner's next
 * renewLeases no longer lists it (so it can abort) and its finishAttempt returns false, so the
 * attempt in progress is neither recorded nor able to resurrect the op.
 */
export function createCancelOp(db: Db): (args: OpCommandArgs) => Promise<OpCommandResult> {
  return async (a) => {
    const { rows } = await db.pool.query<OpRow>(
      `UPDATE ops SET status = 'cancelled', lease_owner = NULL, lease_until = NULL, updated_at = $1
       WHERE id = $2 AND status IN ('pending', 'running')
       RETURNING *`,
      [a.now, a.id],
    );
    if (rows[0]) return { op: rowToOp(rows[0]), changed: true };
    const current = await db.pool.query<OpRow>("SELECT * FROM ops WHERE id = $1", [a.id]);
    return current.rows[0] ? { op: rowToOp(current.rows[0]), changed: false } : null;
  };
}
