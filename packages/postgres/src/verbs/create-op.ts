import { CourierError, getNewOpColumns, type NewOp, type Op } from "@courier/agent";
import type { Db } from "../db/db.js";
import { isUniqueViolation } from "../db/errors.js";
import { type OpRow, rowToOp } from "../db/row-mapping.js";

const INSERT_SQL = `
  INSERT INTO ops (id, action, params, status, schedule, next_exec, due_at, created_at, updated_at,
    run, exec_count, max_exec, attempts, max_attempts, last_error, expires_at, idempotency_key,
    misfire, missed_window_ms, on_failure, lease_owner, lease_until, reclaimed, intent)
  VALUES ($1, $2, $3, 'pending', $4, $5, $5, $6, $6, 1, 0, $7, 0, $8, NULL, $9, $10, $11, $12, $13, NULL, NULL, FALSE, $14)
  ON CONFLICT (idempotency_key) DO NOTHING
  RETURNING *`;

/** Insert an op (pending, run 1, due at next_exec); a known idempotency_key returns the first op. */
export function createCreateOp(db: Db): (op: NewOp) => Promise<{ op: Op; created: boolean }> {
  return async (op) => {
    let rows: OpRow[];
    try {
      const c = getNewOpColumns(op);
      const values = [c.id, c.action, c.params, c.schedule, c.next_exec, c.created_at, c.max_exec, c.max_attempts, c.expires_at, c.idempotency_key, c.misfire, c.missed_window_ms, c.on_failure, c.intent];
      ({ rows } = await db.pool.query<OpRow>(INSERT_SQL, values));
    } catch (e) {
      if (isUniqueViolation(e, "ops_pkey")) {
        throw new CourierError("COURIER__CONFLICT", `op ${op.id} already exists`, { id: op.id }, { cause: e });
      }
      throw e;
    }
    const row = rows[0];
    if (row) return { op: rowToOp(row), created: true };
    // Only the idempotency key can make the insert do nothing. The conflicting insert has
    // committed (ON CONFLICT waited for it), so this statement's fresh snapshot sees it.
    const first = await db.pool.query<OpRow>("SELECT * FROM ops WHERE idempotency_key = $1", [op.idempotency_key]);
    return { op: rowToOp(first.rows[0] as OpRow), created: false };
  };
}
