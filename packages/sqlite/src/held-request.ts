import { RUN_MAY_LAND_SQL } from "@courier/agent";
import type { Db } from "./db.js";

/**
 * Apply an operator's held request (after_run) to a pending op once nothing of its current run
 * may land: "cancel" → cancelled, "pause" → paused. Runs inside the caller's transaction, right
 * after the write that made the op pending (finish, release). Returns whether it applied.
 */
export function createApplyHeldRequest(db: Db): (args: { id: string; now: number }) => boolean {
  const apply = db.prepare(`
    UPDATE ops SET status = CASE after_run WHEN 'cancel' THEN 'cancelled' ELSE 'paused' END, after_run = NULL, updated_at = @now
    WHERE id = @id AND status = 'pending' AND after_run IS NOT NULL AND NOT ${RUN_MAY_LAND_SQL}`);
  return (a) => apply.run(a).changes === 1;
}
