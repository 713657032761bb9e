import { type ExpireDueArgs, RUN_MAY_LAND_SQL } from "@courier/agent";
import { createInsertAttempt } from "./attempts.js";
import type { Db } from "./db.js";

/**
 * The expiry sweep: pending or paused ops past expires_at become `expired` without being
 * claimed, so an op reads expired on time even while the crank (or the op) is paused. A run
 * that may have acted (reclaimed, or a live ledger entry) is left to the claim path, which
 * resumes it through the ledger.
 */
interface DueRow {
  id: string;
  run: number;
  action: string;
  attempt: number;
  expires_at: number;
}

export function createExpireDue(db: Db): (args: ExpireDueArgs) => number {
  const find = db.prepare<[number, number], DueRow>(`
    SELECT id, run, action, attempt_base + attempts AS attempt, expires_at FROM ops INDEXED BY ops_expiry
    WHERE expires_at IS NOT NULL AND expires_at <= ? AND status IN ('pending', 'paused') AND reclaimed = 0 AND NOT ${RUN_MAY_LAND_SQL}
    ORDER BY expires_at LIMIT ?`);
  // The whole condition again under the write lock: the op may have been claimed (and even
  // released with a live ledger entry) since it was found.
  const expire = db.prepare<[number, string, number]>(`
    UPDATE ops SET status = 'expired', after_run = NULL, updated_at = ?
    WHERE id = ? AND expires_at <= ? AND status IN ('pending', 'paused') AND reclaimed = 0 AND NOT ${RUN_MAY_LAND_SQL}`);
  const insertAttempt = createInsertAttempt(db);
  const tx = db.transaction((a: ExpireDueArgs, due: DueRow[]) => {
    let n = 0;
    for (const row of due) {
      if (expire.run(a.now, row.id, a.now).changes !== 1) continue;
      insertAttempt({
        op_id: row.id,
        run: row.run,
        attempt: row.attempt,
        instance: a.instance,
        action: row.action,
        started_at: a.now,
        ended_at: a.now,
        outcome: "expired",
        error_code: null,
        error: `expired: past expires_at ${new Date(row.expires_at).toISOString()}`,
        signature: null,
        latency_ms: 0,
      });
      n++;
    }
    return n;
  });
  // The crank sweeps every second or so: look first (a read), take the write lock only for work.
  return (a) => {
    if (a.limit <= 0) return 0;
    const due = find.all(a.now, a.limit);
    return due.length === 0 ? 0 : tx.immediate(a, due);
  };
}
