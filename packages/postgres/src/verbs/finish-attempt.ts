import { type AttemptRecord, CourierError, type Transition } from "@courier/agent";
import type { Db } from "../db/db.js";
import { insertAttempt } from "./attempts.js";

export interface FinishAttemptArgs {
  id: string;
  owner: string;
  now: number;
  transition: Transition;
  attempt: AttemptRecord;
}

/**
 * End an attempt: move the op per the transition and record the attempt, in one transaction,
 * only if this owner still holds the op. Returns false (and writes nothing) when it does not:
 * its lease expired and was reclaimed, or an operator cancelled the running op. The UPDATE's
 * row lock keeps a concurrent reclaim from slipping in between the check and the attempt row.
 * The lease and the `reclaimed` flag are cleared because the attempt is over.
 */
export function createFinishAttempt(db: Db): (args: FinishAttemptArgs) => Promise<boolean> {
  return async (a) => {
    if (a.attempt.op_id !== a.id) {
      throw new CourierError("COURIER__VALIDATION", "attempt.op_id does not match the op being finished", { id: a.id, op_id: a.attempt.op_id });
    }
    const t = a.transition;
    return db.tx(async (q) => {
      const res =
        t.kind === "reschedule"
          ? await q.query(
              `UPDATE ops SET status = 'pending', next_exec = $4, due_at = $5, run = $6, exec_count = $7, attempts = $8,
                 last_error = $9, lease_owner = NULL, lease_until = NULL, reclaimed = FALSE, updated_at = $3
               WHERE id = $1 AND lease_owner = $2 AND status = 'running'`,
              [a.id, a.owner, a.now, t.next_exec, t.due_at, t.run, t.exec_count, t.attempts, t.last_error],
            )
          : await q.query(
              `UPDATE ops SET status = $4, exec_count = $5, last_error = $6,
                 lease_owner = NULL, lease_until = NULL, reclaimed = FALSE, updated_at = $3
               WHERE id = $1 AND lease_owner = $2 AND status = 'running'`,
              [a.id, a.owner, a.now, t.status, t.exec_count, t.last_error],
            );
      if (res.rowCount !== 1) return false;
      await insertAttempt(q, a.attempt);
      return true;
    });
  };
}
