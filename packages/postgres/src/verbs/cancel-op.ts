import { type OpCommandArgs, type OperatorResult, RUN_MAY_LAND_SQL } from "@courier/agent";
import type { Db, Queryable } from "../db/db.js";
import { type OpRow, rowToOp } from "../db/row-mapping.js";

/**
 * The op row locked FOR UPDATE, then (in a later statement, so a fresh READ COMMITTED snapshot)
 * whether its current run may land. A guarded ledger put holds the row FOR SHARE until it
 * commits, so this either waits for it and sees its entry, or locks first and the put is refused.
 */
export async function lockOpForOperator(q: Queryable, id: string): Promise<{ row: OpRow; mayLand: boolean } | null> {
  const locked = await q.query<OpRow>("SELECT * FROM ops WHERE id = $1 FOR UPDATE", [id]);
  const row = locked.rows[0];
  if (!row) return null;
  const land = await q.query<{ may_land: boolean }>(`SELECT ${RUN_MAY_LAND_SQL} AS may_land FROM ops WHERE id = $1`, [id]);
  return { row, mayLand: land.rows[0]?.may_land === true };
}

/**
 * Cancel, never claiming `cancelled` for a run whose transaction may land (see Store.cancelOp).
 * Cancelling a running op that has signed nothing clears its lease: the owner's next
 * renewLeases no longer lists it (so it aborts), its guarded ledger put is refused (so it signs
 * nothing that could land) and its finishAttempt returns false.
 */
export function createCancelOp(db: Db): (args: OpCommandArgs) => Promise<OperatorResult | null> {
  return (a) =>
    db.tx(async (q) => {
      const found = await lockOpForOperator(q, a.id);
      if (!found) return null;
      const op = rowToOp(found.row);
      if (!["pending", "paused", "running"].includes(op.status)) return { op, changed: false };
      if (found.mayLand) {
        if (op.schedule.kind === "once") return { op, changed: false, in_flight: true };
        if (op.after_run === "cancel") return { op, changed: false };
        const held = await q.query<OpRow>("UPDATE ops SET after_run = 'cancel', updated_at = $1 WHERE id = $2 RETURNING *", [a.now, a.id]);
        return { op: rowToOp(held.rows[0] as OpRow), changed: true };
      }
      const cancelled = await q.query<OpRow>(
        `UPDATE ops SET status = 'cancelled', after_run = NULL, lease_owner = NULL, lease_until = NULL, updated_at = $1 WHERE id = $2 RETURNING *`,
        [a.now, a.id],
      );
      return { op: rowToOp(cancelled.rows[0] as OpRow), changed: true };
    });
}
