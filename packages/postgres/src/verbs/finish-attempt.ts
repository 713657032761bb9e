import { type AttemptRecord, CourierError, type Transition } from "@courier/agent";
import type { Db, Queryable } from "../db/db.js";
import { ATTEMPT_COLUMNS } from "../db/row-mapping.js";

export interface FinishAttemptArgs {
  id: string;
  owner: string;
  now: number;
  transition: Transition;
  attempt: AttemptRecord;
}

/** `$from, …, $(from+11)`: the attempt row's placeholders after the UPDATE's own. */
function attemptPlaceholders(from: number): string {
  return Array.from({ length: 12 }, (_, i) => `$${from + i}`).join(", ");
}

/** One statement: the owner-checked UPDATE, then the attempt row and its delta for the row it moved. */
function finishSql(update: string, attemptFrom: number): string {
  return `WITH moved AS (${update} RETURNING id),
    recorded AS (
      INSERT INTO attempts (${ATTEMPT_COLUMNS}) SELECT ${attemptPlaceholders(attemptFrom)} FROM moved RETURNING action, outcome
    )
    INSERT INTO attempt_total_deltas (action, outcome, n) SELECT action, outcome, 1 FROM recorded`;
}

const OWNED = "id = $1 AND lease_owner = $2 AND status = 'running'";

const RESCHEDULE_SQL = finishSql(
  `UPDATE ops SET status = 'pending', next_exec = $4, due_at = $5, run = $6, exec_count = $7, attempts = $8,
     last_error = $9, lease_owner = NULL, lease_until = NULL, reclaimed = FALSE, updated_at = $3
   WHERE ${OWNED}`,
  10,
);

const FINISH_SQL = finishSql(
  `UPDATE ops SET status = $4, exec_count = $5, last_error = $6, lease_owner = NULL, lease_until = NULL, reclaimed = FALSE, updated_at = $3
   WHERE ${OWNED}`,
  7,
);

function assertSameOp(a: FinishAttemptArgs): void {
  if (a.attempt.op_id !== a.id) {
    throw new CourierError("COURIER__VALIDATION", "attempt.op_id does not match the op being finished", { id: a.id, op_id: a.attempt.op_id });
  }
}

/**
 * End an attempt: move the op per the transition and record the attempt, only if this owner
 * still holds the op. Returns false (and writes nothing) when it does not: its lease expired and
 * was reclaimed, or an operator cancelled the running op. One statement (data-modifying CTEs),
 * so it is atomic and costs one round trip: the attempt row and its outcome delta are inserted
 * only for the row the owner-checked UPDATE changed, and that UPDATE's row lock keeps a
 * concurrent reclaim from slipping in between. The lease and `reclaimed` are cleared because
 * the attempt is over.
 */
async function finishOne(q: Queryable, a: FinishAttemptArgs): Promise<boolean> {
  const t = a.transition;
  const at = a.attempt;
  const attemptValues = [
    at.op_id,
    at.run,
    at.attempt,
    at.instance,
    at.action,
    at.started_at,
    at.ended_at,
    at.outcome,
    at.error_code,
    at.error,
    at.signature,
    Math.max(0, Math.round(at.latency_ms)),
  ];
  const res =
    t.kind === "reschedule"
      ? await q.query(RESCHEDULE_SQL, [a.id, a.owner, a.now, t.next_exec, t.due_at, t.run, t.exec_count, t.attempts, t.last_error, ...attemptValues])
      : await q.query(FINISH_SQL, [a.id, a.owner, a.now, t.status, t.exec_count, t.last_error, ...attemptValues]);
  return res.rowCount === 1;
}

export function createFinishAttempt(db: Db): (args: FinishAttemptArgs) => Promise<boolean> {
  return async (a) => {
    assertSameOp(a);
    return finishOne(db.pool, a);
  };
}

/**
 * finishAttempt for a batch in ONE transaction (one commit for many ended attempts): entries are
 * applied in order with finishAttempt's ownership guard, so the same op twice is finished once.
 * Every entry is validated before anything is written; an error rolls the whole batch back.
 */
export function createFinishAttempts(db: Db): (batch: FinishAttemptArgs[]) => Promise<boolean[]> {
  return async (batch) => {
    for (const a of batch) assertSameOp(a);
    if (batch.length === 0) return [];
    return db.tx(async (q) => {
      const results: boolean[] = [];
      for (const a of batch) results.push(await finishOne(q, a));
      return results;
    });
  };
}
