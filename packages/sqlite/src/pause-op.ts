import type { OpCommandArgs, OperatorResult } from "@courier/agent";
import { RUN_MAY_LAND_SQL } from "@courier/agent";

import type { Db } from "./db.js";
import { type OpRow, rowToOp } from "./row-mapping.js";

/**
 * pause: a pending op whose run has not acted → paused (never claimed while paused). A running
 * op, or one whose run may still land, keeps going with after_run "pause": that run resolves,
 * then the op is paused instead of running again. A held cancel is not downgraded.
 */
export function createPauseOp(db: Db): (args: OpCommandArgs) => OperatorResult | null {
  const select = db.prepare<[string], OpRow & { may_land: number }>(`SELECT *, ${RUN_MAY_LAND_SQL} AS may_land FROM ops WHERE id = ?`);
  const pause = db.prepare<[number, string], OpRow>("UPDATE ops SET status = 'paused', updated_at = ? WHERE id = ? RETURNING *");
  const hold = db.prepare<[number, string], OpRow>("UPDATE ops SET after_run = 'pause', updated_at = ? WHERE id = ? RETURNING *");
  const tx = db.transaction((a: OpCommandArgs): OperatorResult | null => {
    const row = select.get(a.id);
    if (!row) return null;
    const op = rowToOp(row);
    if (!(op.status === "pending" || op.status === "running") || op.after_run !== null) return { op, changed: false };
    if (op.status === "running" || row.may_land === 1) return { op: rowToOp(hold.get(a.now, a.id) as OpRow), changed: true };
    return { op: rowToOp(pause.get(a.now, a.id) as OpRow), changed: true };
  });
  return (a) => tx.immediate(a);
}

/**
 * resume: paused → pending at its next slot (next_exec is kept; a slot that passed meanwhile is
 * handled by the misfire policy at claim). A held pause that has not applied yet is dropped.
 */
export function createResumeOp(db: Db): (args: OpCommandArgs) => OperatorResult | null {
  const resume = db.prepare<[number, string], OpRow>(`
    UPDATE ops SET status = CASE status WHEN 'paused' THEN 'pending' ELSE status END, after_run = NULL, updated_at = ?
    WHERE id = ? AND (status = 'paused' OR after_run = 'pause')
    RETURNING *`);
  const select = db.prepare<[string], OpRow>("SELECT * FROM ops WHERE id = ?");
  const tx = db.transaction((a: OpCommandArgs): OperatorResult | null => {
    const row = resume.get(a.now, a.id);
    if (row) return { op: rowToOp(row), changed: true };
    const current = select.get(a.id);
    return current ? { op: rowToOp(current), changed: false } : null;
  });
  return (a) => tx.immediate(a);
}
