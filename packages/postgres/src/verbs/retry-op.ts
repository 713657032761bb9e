import type { OpCommandArgs, OpCommandResult } from "@courier/agent";
import type { Db } from "../db/db.js";
import { type OpRow, rowToOp } from "../db/row-mapping.js";

/**
 * dead/failed → pending, due now, attempts reset; the run number and last_error are kept (the
 * operator retries the same run and can still see why it failed). due_at moves to now so the
 * misfire window does not count the time the op spent dead.
 */
export function createRetryOp(db: Db): (args: OpCommandArgs) => Promise<OpCommandResult> {
  return async (a) => {
    const { rows } = await db.pool.query<OpRow>(
      `UPDATE ops SET status = 'pending', attempts = 0, next_exec = $1, due_at = $1, reclaimed = FALSE,
         lease_owner = NULL, lease_until = NULL, updated_at = $1
       WHERE id = $2 AND status IN ('dead', 'failed')
       RETURNING *`,
      [a.now, a.id],
    );
    if (rows[0]) return { op: rowToOp(rows[0]), changed: true };
    const current = await db.pool.query<OpRow>("SELECT * FROM ops WHERE id = $1", [a.id]);
    return current.rows[0] ? { op: rowToOp(current.rows[0]), changed: false } : null;
  };
}
