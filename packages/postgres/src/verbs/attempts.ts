import { type AttemptRecord, CourierError } from "@courier/agent";
import type { Db } from "../db/db.js";
import { isForeignKeyViolation } from "../db/errors.js";
import { ATTEMPT_COLUMNS, type AttemptRow, rowToAttempt } from "../db/row-mapping.js";

/**
 * Record a run skipped by the misfire policy or expired (history only, op untouched): the
 * attempt row and its outcome delta in one statement, so the history and the totals never disagree.
 */
export function createRecordAttempt(db: Db): (a: AttemptRecord) => Promise<void> {
  return async (a) => {
    try {
      await db.pool.query(
        `WITH recorded AS (
           INSERT INTO attempts (${ATTEMPT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING action, outcome
         )
         INSERT INTO attempt_total_deltas (action, outcome, n) SELECT action, outcome, 1 FROM recorded`,
        [a.op_id, a.run, a.attempt, a.instance, a.action, a.started_at, a.ended_at, a.outcome, a.error_code, a.error, a.signature, Math.max(0, Math.round(a.latency_ms))],
      );
    } catch (e) {
      if (isForeignKeyViolation(e)) {
        throw new CourierError("COURIER__NOT_FOUND", `no op ${a.op_id} for this attempt`, { op_id: a.op_id }, { cause: e });
      }
      throw e;
    }
  };
}

export function createGetAttempts(db: Db): (op_id: string) => Promise<AttemptRecord[]> {
  return async (op_id) => {
    const { rows } = await db.pool.query<AttemptRow>(`SELECT ${ATTEMPT_COLUMNS} FROM attempts WHERE op_id = $1 ORDER BY run, attempt, id`, [op_id]);
    return rows.map(rowToAttempt);
  };
}
