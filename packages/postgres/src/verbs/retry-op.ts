import type { OpCommandArgs, OperatorResult } from "@courier/agent";
import type { Db } from "../db/db.js";
import { type OpRow, rowToOp } from "../db/row-mapping.js";

/**
 * dead/failed → pending, due now, for a fresh attempt of the same run: attempts restart at 0 but
 * attempt_base keeps the numbering going; ledger_floor moves past the run's entries so their
 * failed verdict is history and the executor signs a new transaction. last_error is kept (the
 * operator can still see why it failed). due_at moves to now so the misfire window does not
 * count the time the op spent dead.
 */
export function createRetryOp(db: Db): (args: OpCommandArgs) => Promise<OperatorResult | null> {
  return async (a) => {
    const { rows } = await db.pool.query<OpRow>(
      `UPDATE ops SET status = 'pending', attempt_base = attempt_base + attempts, attempts = 0,
         ledger_floor = GREATEST(ledger_floor, COALESCE((SELECT MAX(l.seq) + 1 FROM ledger l WHERE l.op_id = ops.id AND l.run = ops.run), 0)),
         next_exec = $1, due_at = $1, reclaimed = FALSE, after_run = NULL, lease_owner = NULL, lease_until = NULL, updated_at = $1
       WHERE id = $2 AND status IN ('dead', 'failed')
       RETURNING *`,
      [a.now, a.id],
    );
    if (rows[0]) return { op: rowToOp(rows[0]), changed: true };
    const current = await db.pool.query<OpRow>("SELECT * FROM ops WHERE id = $1", [a.id]);
    return current.rows[0] ? { op: rowToOp(current.rows[0]), changed: false } : null;
  };
}
