import { assertAttemptMatches, type FinishAttemptArgs } from "@courier/agent";
import { createInsertAttempt } from "./attempts.js";
import type { Db } from "./db.js";
import { createEnqueueOutbox } from "./outbox.js";

const OWNED = "id = @id AND lease_owner = @owner AND status = 'running'";

/**
 * The writes that end one attempt, without a transaction of their own: the caller runs them
 * inside one (finishAttempt: one op; finishAttempts: a batch). Returns false, having written
 * nothing, when the owner no longer holds the op. The UPDATE finds the row by primary key.
 * An applied finish also writes its `event` (if any) to the outbox, ignored if the id exists.
 */
export function createApplyFinish(db: Db): (a: FinishAttemptArgs) => boolean {
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
  const enqueue = createEnqueueOutbox(db);
  return (a) => {
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
    // The event commits with the finish, so a crash cannot keep one without the other.
    if (a.event) enqueue({ ...a.event, now: a.now });
    return true;
  };
}

/**
 * End an attempt: move the op per the transition and record the attempt, in one transaction,
 * only if this owner still holds the op. Returns false (and writes nothing) when it does not:
 * its lease expired and was reclaimed, or an operator cancelled the running op — in both cases
 * the op is no longer `running` under this owner. The lease and the `reclaimed` flag are cleared
 * because the attempt is over.
 */
export function createFinishAttempt(db: Db): (args: FinishAttemptArgs) => boolean {
  const tx = db.transaction(createApplyFinish(db));
  return (a) => {
    assertAttemptMatches(a);
    return tx.immediate(a);
  };
}
