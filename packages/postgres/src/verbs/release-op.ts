import type { ReleaseOpArgs } from "@courier/agent";
import type { Db } from "../db/db.js";

/**
 * Give a claimed op back without consuming its attempt (infra, ambiguous, shutdown): pending
 * again at `next_exec`, attempts refunded, lease cleared. `reclaimed` is kept: the run has not
 * ended, so whoever claims it next must still reconcile through the ledger.
 */
export function createReleaseOp(db: Db): (args: ReleaseOpArgs) => Promise<boolean> {
  return async (a) => {
    const res = await db.pool.query(
      `UPDATE ops SET status = 'pending', attempts = GREATEST(attempts - 1, 0), next_exec = $1,
         last_error = $2, lease_owner = NULL, lease_until = NULL, updated_at = $3
       WHERE id = $4 AND lease_owner = $5 AND status = 'running'`,
      [a.next_exec, a.last_error, a.now, a.id, a.owner],
    );
    return res.rowCount === 1;
  };
}
