import type { ReleaseOpArgs } from "@courier/agent";
import type { Db } from "./db.js";

/**
 * Give a claimed op back without consuming its attempt (infra, ambiguous, shutdown): pending
 * again at `next_exec`, attempts refunded, lease cleared. `reclaimed` is kept: the run has not
 * ended, so whoever claims it next must still reconcile through the ledger.
 */
export function createReleaseOp(db: Db): (args: ReleaseOpArgs) => boolean {
  const release = db.prepare(`
    UPDATE ops SET status = 'pending', attempts = MAX(attempts - 1, 0), next_exec = @next_exec,
      last_error = @last_error, lease_owner = NULL, lease_until = NULL, updated_at = @now
    WHERE id = @id AND lease_owner = @owner AND status = 'running'`);
  return (a) => release.run(a).changes === 1;
}
