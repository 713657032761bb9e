import type { OpCommandArgs, OpCommandResult } from "@courier/agent";
import type { Db } from "./db.js";
import { type OpRow, rowToOp } from "./row-mapping.js";

/**
 * dead/failed → pending, due now, attempts reset; the run number and last_error are kept (the
 * operator retries the same run and can still see why it failed). due_at moves to now so the
 * misfire window does not count the time the op spent dead.
 */
export function createRetryOp(db: Db): (args: OpCommandArgs) => OpCommandResult {
  const retry = db.prepare<[number, number, number, string], OpRow>(`
    UPDATE ops SET status = 'pending', attempts = 0, next_exec = ?, due_at = ?, reclaimed = 0,
      lease_owner = NULL, lease_until = NULL, updated_at = ?
    WHERE id = ? AND status IN ('dead', 'failed')
    RETURNING *`);
  const select = db.prepare<[string], OpRow>("SELECT * FROM ops WHERE id = ?");
  const tx = db.transaction((a: OpCommandArgs) => {
    const row = retry.get(a.now, a.now, a.now, a.id);
    if (row) return { op: rowToOp(row), changed: true };
    const current = select.get(a.id);
    return current ? { op: rowToOp(current), changed: false } : null;
  });
  return (a) => tx.immediate(a);
}
