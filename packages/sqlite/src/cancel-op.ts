import type { OpCommandArgs, OpCommandResult } from "@courier/agent";
import type { Db } from "./db.js";
import { type OpRow, rowToOp } from "./row-mapping.js";

/**
 * pending/running → cancelled. Cancelling a running op clears its lease: the owner's next
 * renewLeases no longer lists it (so it can abort) and its finishAttempt returns false, so the
 * attempt in progress is neither recorded nor able to resurrect the op.
 */
export function createCancelOp(db: Db): (args: OpCommandArgs) => OpCommandResult {
  const cancel = db.prepare<[number, string], OpRow>(`
    UPDATE ops SET status = 'cancelled', lease_owner = NULL, lease_until = NULL, updated_at = ?
    WHERE id = ? AND status IN ('pending', 'running')
    RETURNING *`);
  const select = db.prepare<[string], OpRow>("SELECT * FROM ops WHERE id = ?");
  const tx = db.transaction((a: OpCommandArgs) => {
    const row = cancel.get(a.now, a.id);
    if (row) return { op: rowToOp(row), changed: true };
    const current = select.get(a.id);
    return current ? { op: rowToOp(current), changed: false } : null;
  });
  return (a) => tx.immediate(a);
}
