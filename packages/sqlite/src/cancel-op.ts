import type { OpCommandArgs, OperatorResult } from "@courier/agent";
import { RUN_MAY_LAND_SQL } from "@courier/agent";
import type { Db } from "./db.js";
import { type OpRow, rowToOp } from "./row-mapping.js";

/**
 * Cancel, never claiming `cancelled` for a run whose transaction may land (see Store.cancelOp).
 * Cancelling a running op that has signed nothing clears its lease: the owner's next
 * renewLeases no longer lists it (so it aborts), its guarded ledger put is refused (so it signs
 * nothing that could land) and its finishAttempt returns false.
 */
export function createCancelOp(db: Db): (args: OpCommandArgs) => OperatorResult | null {
  const select = db.prepare<[string], OpRow & { may_land: number }>(`SELECT *, ${RUN_MAY_LAND_SQL} AS may_land FROM ops WHERE id = ?`);
  const cancel = db.prepare<[number, string], OpRow>(`
    UPDATE ops SET status = 'cancelled', after_run = NULL, lease_owner = NULL, lease_until = NULL, updated_at = ?
    WHERE id = ? RETURNING *`);
  const hold = db.prepare<[number, string], OpRow>("UPDATE ops SET after_run = 'cancel', updated_at = ? WHERE id = ? RETURNING *");
  const tx = db.transaction((a: OpCommandArgs): OperatorResult | null => {
    const row = select.get(a.id);
    if (!row) return null;
    const op = rowToOp(row);
    if (!["pending", "paused", "running"].includes(op.status)) return { op, changed: false };
    if (row.may_land === 1) {
      if (op.schedule.kind === "once") return { op, changed: false, in_flight: true };
      if (op.after_run === "cancel") return { op, changed: false };
      return { op: rowToOp(hold.get(a.now, a.id) as OpRow), changed: true };
    }
    return { op: rowToOp(cancel.get(a.now, a.id) as OpRow), changed: true };
  });
  return (a) => tx.immediate(a);
}
