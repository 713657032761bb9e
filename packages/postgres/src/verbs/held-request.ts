/**
 * An operator's held request (after_run) applied inside the UPDATE that makes an op pending
 * again (finish with a reschedule, release): once nothing of the op's run `run` may land, a held
 * "cancel" makes it cancelled and a held "pause" paused, instead of pending. SET expressions see
 * the row's old values, so both columns are computed from the same condition.
 */
function stays(run: string): string {
  return `(ops.after_run IS NULL OR EXISTS (SELECT 1 FROM ledger l WHERE l.op_id = ops.id AND l.run = ${run} AND l.state IN ('signed', 'sent', 'landed')))`;
}

/** The new status of an op becoming pending at run `run` (an SQL expression). */
export function heldStatus(run: string): string {
  return `CASE WHEN ${stays(run)} THEN 'pending' WHEN ops.after_run = 'cancel' THEN 'cancelled' ELSE 'paused' END`;
}

/** The new after_run of an op becoming pending at run `run`: kept while the run may land. */
export function heldAfterRun(run: string): string {
  return `CASE WHEN ${stays(run)} THEN ops.after_run ELSE NULL END`;
}

/** `status = …, after_run = …` for an op becoming pending at run `run`. */
export function setPendingOrHeld(run: string): string {
  return `status = ${heldStatus(run)}, after_run = ${heldAfterRun(run)}`;
}
