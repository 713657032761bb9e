import { CourierError } from "../../errors.js";
import type { AttemptRecord, Transition } from "../../types.js";
import { createInsertAttempt } from "./attempts.js";
import type { Db } from "./db.js";

export interface FinishAttemptArgs {
  id: string;
  owner: string;
  now: number;
  transition: Transition;
  attempt: AttemptRecord;
}

const OWNED = "id = @id AND lease_owner = @owner AND status = 'running'";

/**
 * End an attempt: move the op per the transition and record the attempt, in one transaction,
 * only if this owner still holds the op. Returns false (and writes nothing) when it does not:
 * its lease expired and was reclaimed, or an operator cancelled the running op — in both cases
 * the op is no longer `running` under this owner. The lease and the `reclaimed` flag are cleared
 * because the attempt is over.
 */
export function createFinishAttempt(db: Db): (args: FinishAttemptArgs) => boolean {
  const reschedule = db.prepare(`
    UPDATE ops SET status = 'pending', next_exec = @next_exec, due_at = @due_at, run = @run,
      exec_count = @exec_count, attempts = @attempts, last_error = @last_error,
      lease_owner = NULL, lease_until = NULL, reclaimed = 0, updated_at = @now
    WHERE ${OWNED}`);
  const finish = db.prepare(`
    UPDATE ops SET status = @status, exec_count = @exec_count, last_error = @last_error,
      lease_owner = NULL, lease_until = NULL, reclaimed = 0, updated_at = @now
    WHERE ${OWNED}`);
  const insertAttempt = createInsertAttempt(db);
  const tx = db.transaction((a: FinishAttemptArgs): boolean => {
    const t = a.transition;
    const key = { id: a.id, owner: a.owner, now: a.now };
    const changes =
      t.kind === "reschedule"
        ? reschedule.run({
            ...key,
            next_exec: t.next_exec,
            due_at: t.due_at,
            run: t.run,
            exec_count: t.exec_count,
            attempts: t.attempts,
            last_error: t.last_error,
          }).changes
        : finish.run({ ...key, status: t.status, exec_count: t.exec_count, last_error: t.last_error }).changes;
    if (changes !== 1) return false;
    insertAttempt(a.attempt);
    return true;
  });
  return (a) => {
    if (a.attempt.op_id !== a.id) {
      throw new CourierError("COURIER__VALIDATION", "attempt.op_id does not match the op being finished", { id: a.id, op_id: a.attempt.op_id });
    }
    return tx.immediate(a);
  };
}
