import { type ExpireDueArgs, RUN_MAY_LAND_SQL } from "@courier/agent";
import type { Db } from "../db/db.js";
import { ATTEMPT_COLUMNS } from "../db/row-mapping.js";

/**
 * The expiry sweep: pending or paused ops past expires_at become `expired` without being
 * claimed, so an op reads expired on time even while the crank (or the op) is paused. A run
 * that may have acted (reclaimed, or a live ledger entry) is left to the claim path, which
 * resumes it through the ledger. Rows another process holds are skipped, not waited for.
 */
const EXPIRE_SQL = `
  WITH due AS (
    SELECT id FROM ops
    WHERE expires_at IS NOT NULL AND expires_at <= $1 AND status IN ('pending', 'paused') AND NOT reclaimed AND NOT ${RUN_MAY_LAND_SQL}
    ORDER BY expires_at LIMIT $2
    FOR UPDATE SKIP LOCKED
  ),
  moved AS (
    UPDATE ops SET status = 'expired', after_run = NULL, updated_at = $1
    FROM due WHERE ops.id = due.id AND ops.status IN ('pending', 'paused')
    RETURNING ops.id, ops.run, ops.action, ops.attempt_base + ops.attempts AS attempt, ops.expires_at
  ),
  recorded AS (
    INSERT INTO attempts (${ATTEMPT_COLUMNS})
    SELECT id, run, attempt, $3, action, $1, $1, 'expired', NULL,
      'expired: past expires_at ' || to_char(to_timestamp(expires_at / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), NULL, 0
    FROM moved
    RETURNING action, outcome
  )
  INSERT INTO attempt_total_deltas (action, outcome, n) SELECT action, outcome, COUNT(*) FROM recorded GROUP BY action, outcome
  RETURNING n`;

export function createExpireDue(db: Db): (args: ExpireDueArgs) => Promise<number> {
  return async (a) => {
    if (a.limit <= 0) return 0;
    const { rows } = await db.pool.query<{ n: number | string }>(EXPIRE_SQL, [a.now, a.limit, a.instance]);
    return rows.reduce((sum, r) => sum + Number(r.n), 0);
  };
}
