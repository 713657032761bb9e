import { CourierError, getOnFailure, type NewOp, type Op } from "@courier/agent";
import type { Db } from "../db/db.js";
import { isUniqueViolation } from "../db/errors.js";
import { encodeIntent, encodeJson, type OpRow, rowToOp } from "../db/row-mapping.js";

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
      ({ rows } = await db.pool.query<OpRow>(INSERT_SQL, [
        op.id,
        op.action,
        encodeJson(op.params),
        JSON.stringify(op.schedule),
        op.next_exec,
        op.created_at,
        op.max_exec,
        op.max_attempts,
        op.expires_at,
        op.idempotency_key,
        op.misfire,
        op.missed_window_ms,
        getOnFailure(op),
        encodeIntent(op.intent),
      ]));
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
