import type { OpCommandArgs, OperatorResult } from "@courier/agent";
import type { Db } from "../db/db.js";
import { type OpRow, rowToOp } from "../db/row-mapping.js";
import { lockOpForOperator } from "./cancel-op.js";

/**
 * pause: a pending op whose run has not acted → paused (never claimed while paused). A running
 * op, or one whose run may still land, keeps going with after_run "pause": that run resolves,
 * then the op is paused instead of running again. A held cancel is not downgraded.
 */
export function createPauseOp(db: Db): (args: OpCommandArgs) => Promise<OperatorResult | null> {
  return (a) =>
    db.tx(async (q) => {
      const found = await lockOpForOperator(q, a.id);
      if (!found) return null;
      const op = rowToOp(found.row);
      if (!(op.status === "pending" || op.status === "running") || op.after_run !== null) return { op, changed: false };
      const sql =
        op.status === "running" || found.mayLand
          ? "UPDATE ops SET after_run = 'pause', updated_at = $1 WHERE id = $2 RETURNING *"
          : "UPDATE ops SET status = 'paused', updated_at = $1 WHERE id = $2 RETURNING *";
      const { rows } = await q.query<OpRow>(sql, [a.now, a.id]);
      return { op: rowToOp(rows[0] as OpRow), changed: true };
    });
}

/**
 * resume: paused → pending at its next slot (next_exec is kept; a slot that passed meanwhile is
 * handled by the misfire policy at claim). A held pause that has not applied yet is dropped.
 */
export function createResumeOp(db: Db): (args: OpCommandArgs) => Promise<OperatorResult | null> {
  return async (a) => {
    const { rows } = await db.pool.query<OpRow>(
      `UPDATE ops SET status = CASE status WHEN 'paused' THEN 'pending' ELSE status END, after_run = NULL, updated_at = $1
       WHERE id = $2 AND (status = 'paused' OR after_run = 'pause')
       RETURNING *`,
      [a.now, a.id],
    );
    if (rows[0]) return { op: rowToOp(rows[0]), changed: true };
    const current = await db.pool.query<OpRow>("SELECT * FROM ops WHERE id = $1", [a.id]);
    return current.rows[0] ? { op: rowToOp(current.rows[0]), changed: false } : null;
  };
}
