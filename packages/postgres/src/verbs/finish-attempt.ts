import { assertAttemptMatches, type FinishAttemptArgs } from "@courier/agent";
import type { Db, Queryable } from "../db/db.js";
import { ATTEMPT_COLUMNS } from "../db/row-mapping.js";

/** `$from, …, $(from+11)`: the attempt row's placeholders after the UPDATE's own. */
function attemptPlaceholders(from: number): string {
  return Array.from({ length: 12 }, (_, i) => `$${from + i}`).join(", ");
}

/**
 * One statement: the owner-checked UPDATE, then the attempt row and its delta for the row it
 * moved, and the finish's outbox event (params after the attempt's: event_id, type, payload;
 * null event_id = none) only for that row. `$3` is `now`. The final INSERT's rowCount is 1 iff
 * the UPDATE applied.
 */
function finishSql(update: string, attemptFrom: number): string {
  const e = attemptFrom + 12;
  return `WITH moved AS (${update} RETURNING id),
    recorded AS (
      INSERT INTO attempts (${ATTEMPT_COLUMNS}) SELECT ${attemptPlaceholders(attemptFrom)} FROM moved RETURNING action, outcome
    ),
    evented AS (
      INSERT INTO outbox (event_id, type, payload, attempts, next_attempt_at, created_at)
      SELECT $${e}::text, $${e + 1}::text, $${e + 2}::text, 0, $3::bigint, $3::bigint FROM moved WHERE $${e}::text IS NOT NULL
      ON CONFLICT (event_id) DO NOTHING
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

/**
 * End an attempt: move the op per the transition and record the attempt, only if this owner
 * still holds the op. Returns false (and writes nothing) when it does not: its lease expired and
 * was reclaimed, or an operator cancelled the running op. One statement (data-modifying CTEs),
 * so it is atomic and costs one round trip: the attempt row and its outcome delta are inserted
 * only for the row the owner-checked UPDATE changed, and that UPDATE's row lock keeps a
 * concurrent reclaim from slipping in between. The lease and `reclaimed` are cleared because
 * the attempt is over. The finish's `event`, if any, is written to the outbox by the same
 * statement, only when the UPDATE applied (ignored if its event_id exists).
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
    a.event?.event_id ?? null,
    a.event?.type ?? null,
    a.event ? JSON.stringify(a.event.payload ?? {}) : null,
  ];
  const res =
    t.kind === "reschedule"
      ? await q.query(RESCHEDULE_SQL, [a.id, a.owner, a.now, t.next_exec, t.due_at, t.run, t.exec_count, t.attempts, t.last_error, ...attemptValues])
      : await q.query(FINISH_SQL, [a.id, a.owner, a.now, t.status, t.exec_count, t.last_error, ...attemptValues]);
  return res.rowCount === 1;
}

export function createFinishAttempt(db: Db): (args: FinishAttemptArgs) => Promise<boolean> {
  return async (a) => {
    assertAttemptMatches(a);
    return finishOne(db.pool, a);
  };
}

/**
 * The batch as one statement. Entry i applies iff it is the first entry (in batch order) whose
 * owner holds its op: exactly what applying them one by one would do, because once an entry
 * applies, its op is no longer running under anyone, so no later entry for it can apply. The
 * UPDATE re-checks ownership on the row it locks, so a concurrent reclaim or cancel still wins.
 */
const FINISH_BATCH_SQL = `
  WITH input AS (
    SELECT * FROM unnest(
      $1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::bigint[], $7::bigint[], $8::int[], $9::int[], $10::int[], $11::text[],
      $12::text[], $13::int[], $14::int[], $15::text[], $16::text[], $17::bigint[], $18::bigint[], $19::text[], $20::text[], $21::text[], $22::text[], $23::bigint[],
      $24::text[], $25::text[], $26::text[]
    ) WITH ORDINALITY AS i(id, owner, now, kind, status, next_exec, due_at, run, exec_count, attempts, last_error,
      a_op_id, a_run, a_attempt, a_instance, a_action, a_started_at, a_ended_at, a_outcome, a_error_code, a_error, a_signature, a_latency_ms,
      e_event_id, e_type, e_payload, ord)
  ),
  chosen AS (
    SELECT DISTINCT ON (i.id) i.* FROM input i JOIN ops o ON o.id = i.id AND o.lease_owner = i.owner AND o.status = 'running'
    ORDER BY i.id, i.ord
  ),
  moved AS (
    UPDATE ops SET
      status = CASE WHEN c.kind = 'reschedule' THEN 'pending' ELSE c.status END,
      next_exec = CASE WHEN c.kind = 'reschedule' THEN c.next_exec ELSE ops.next_exec END,
      due_at = CASE WHEN c.kind = 'reschedule' THEN c.due_at ELSE ops.due_at END,
      run = CASE WHEN c.kind = 'reschedule' THEN c.run ELSE ops.run END,
      attempts = CASE WHEN c.kind = 'reschedule' THEN c.attempts ELSE ops.attempts END,
      exec_count = c.exec_count, last_error = c.last_error,
      lease_owner = NULL, lease_until = NULL, reclaimed = FALSE, updated_at = c.now
    FROM chosen c
    WHERE ops.id = c.id AND ops.lease_owner = c.owner AND ops.status = 'running'
    RETURNING c.ord
  ),
  recorded AS (
    INSERT INTO attempts (${ATTEMPT_COLUMNS})
    SELECT c.a_op_id, c.a_run, c.a_attempt, c.a_instance, c.a_action, c.a_started_at, c.a_ended_at, c.a_outcome, c.a_error_code, c.a_error, c.a_signature, c.a_latency_ms
    FROM chosen c JOIN moved m ON m.ord = c.ord ORDER BY c.ord
    RETURNING action, outcome
  ),
  totals AS (
    INSERT INTO attempt_total_deltas (action, outcome, n) SELECT action, outcome, COUNT(*) FROM recorded GROUP BY action, outcome
  ),
  evented AS (
    INSERT INTO outbox (event_id, type, payload, attempts, next_attempt_at, created_at)
    SELECT c.e_event_id, c.e_type, c.e_payload, 0, c.now, c.now
    FROM chosen c JOIN moved m ON m.ord = c.ord WHERE c.e_event_id IS NOT NULL ORDER BY c.ord
    ON CONFLICT (event_id) DO NOTHING
  )
  SELECT ord FROM moved`;

/**
 * finishAttempt for a batch, atomically and in one round trip (the crank's hot path: one commit
 * for many ended attempts). Results are per entry, in order, with finishAttempt's semantics; the
 * same op twice is finished once. Every entry is validated before anything is written.
 */
export function createFinishAttempts(db: Db): (batch: FinishAttemptArgs[]) => Promise<boolean[]> {
  return async (batch) => {
    for (const a of batch) assertAttemptMatches(a);
    if (batch.length === 0) return [];
    const col = <T>(f: (a: FinishAttemptArgs) => T): T[] => batch.map(f);
    const resched = (a: FinishAttemptArgs) => (a.transition.kind === "reschedule" ? a.transition : null);
    const { rows } = await db.pool.query<{ ord: number }>(FINISH_BATCH_SQL, [
      col((a) => a.id),
      col((a) => a.owner),
      col((a) => a.now),
      col((a) => a.transition.kind),
      col((a) => (a.transition.kind === "finish" ? a.transition.status : null)),
      col((a) => resched(a)?.next_exec ?? null),
      col((a) => resched(a)?.due_at ?? null),
      col((a) => resched(a)?.run ?? null),
      col((a) => a.transition.exec_count),
      col((a) => resched(a)?.attempts ?? null),
      col((a) => a.transition.last_error),
      col((a) => a.attempt.op_id),
      col((a) => a.attempt.run),
      col((a) => a.attempt.attempt),
      col((a) => a.attempt.instance),
      col((a) => a.attempt.action),
      col((a) => a.attempt.started_at),
      col((a) => a.attempt.ended_at),
      col((a) => a.attempt.outcome),
      col((a) => a.attempt.error_code),
      col((a) => a.attempt.error),
      col((a) => a.attempt.signature),
      col((a) => Math.max(0, Math.round(a.attempt.latency_ms))),
      col((a) => a.event?.event_id ?? null),
      col((a) => a.event?.type ?? null),
      col((a) => (a.event ? JSON.stringify(a.event.payload ?? {}) : null)),
    ]);
    const applied = new Set(rows.map((r) => r.ord));
    return batch.map((_, i) => applied.has(i + 1));
  };
}
