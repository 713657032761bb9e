import type { ReleaseOpArgs } from "@courier/agent";
import type { Db } from "./db.js";
import { createApplyHeldRequest } from "./held-request.js";

/**
 * Give a claimed op back without consuming its attempt (infra, ambiguous, shutdown): pending
 * again at `next_exec`, attempts refunded, lease cleared. `reclaimed` is kept: the run has not
 * ended, so whoever claims it next must still reconcile through the ledger. A held operator
 * request applies if nothing of the run may land (it signed nothing yet).
 */
export function createReleaseOp(db: Db): (args: ReleaseOpArgs) => boolean {
  const release = db.prepare(`
    UPDATE ops SET status = 'pending', attempts = MAX(attempts - 1, 0), next_exec = @next_exec,
      last_error = @last_error, lease_owner = NULL, lease_until = NULL, updated_at = @now
    WHERE id = @id AND lease_owner = @owner AND status = 'running'`);
  const applyHeld = createApplyHeldRequest(db);
  const tx = db.transaction((a: ReleaseOpArgs) => {
    if (release.run(a).changes !== 1) return false;
    applyHeld(a);
    return true;
  });
  return (a) => tx.immediate(a);
}
