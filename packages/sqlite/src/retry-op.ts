import type { OpCommandArgs, OperatorResult } from "@courier/agent";

import type { Db } from "./db.js";
import { type OpRow, rowToOp } from "./row-mapping.js";

/**
 * dead/failed → pending, due now, for a fresh attempt of the same run: attempts restart at 0 but
 * attempt_base keeps the numbering going; ledger_floor moves past the run's entries so their
 * failed verdict is history and the executor signs a new transaction. last_error is kept (the
 * operator can still see why it failed). due_at moves to now so the misfire window does not
 * count the time the op spent dead.
 */
export function createRetryOp(db: Db): (args: OpCommandArgs) => OperatorResult | null {
  const retry = db.prepare<{ id: string; now: number }, OpRow>(`
    UPDATE ops SET status = 'pending', attempt_base = attempt_base + attempts, attempts = 0,
      ledger_floor = MAX(ledger_floor, COALESCE((SELECT MAX(l.seq) + 1 FROM ledger l WHERE l.op_id = ops.id AND l.run = ops.run), 0)),
      next_exec = @now, due_at = @now, reclaimed = 0, after_run = NULL, lease_owner = NULL, lease_until = NULL, updated_at = @now
    WHERE id = @id AND status IN ('dead', 'failed')
    RETURNING *`);
  const select = db.prepare<[string], OpRow>("SELECT * FROM ops WHERE id = ?");
  const tx = db.transaction((a: OpCommandArgs): OperatorResult | null => {
    const row = retry.get(a);
    if (row) return { op: rowToOp(row), changed: true };
    const current = select.get(a.id);
    return current ? { op: rowToOp(current), changed: false } : null;
  });
  return (a) => tx.immediate(a);
}
