import { CourierError, getNewOpColumns, type NewOp, type Op } from "@courier/agent";
import type { Db } from "./db.js";
import { type OpRow, rowToOp } from "./row-mapping.js";

/** Insert an op (pending, run 1, due at next_exec); a known idempotency_key returns the first op. */
export function createCreateOp(db: Db): (op: NewOp) => { op: Op; created: boolean } {
  const insert = db.prepare<[ReturnType<typeof getNewOpColumns>], OpRow>(`
    INSERT INTO ops (id, action, params, status, schedule, next_exec, due_at, created_at, updated_at,
      run, exec_count, max_exec, attempts, max_attempts, last_error, expires_at, idempotency_key,
      misfire, missed_window_ms, on_failure, lease_owner, lease_until, reclaimed, intent)
    VALUES (@id, @action, @params, 'pending', @schedule, @next_exec, @next_exec, @created_at, @created_at, 1, 0, @max_exec, 0,
      @max_attempts, NULL, @expires_at, @idempotency_key, @misfire, @missed_window_ms, @on_failure, NULL, NULL, 0, @intent)
    ON CONFLICT (idempotency_key) DO NOTHING
    RETURNING *`);
  const byKey = db.prepare<[string], OpRow>("SELECT * FROM ops WHERE idempotency_key = ?");
  const tx = db.transaction((op: NewOp) => {
    let row: OpRow | undefined;
    try {
      row = insert.get(getNewOpColumns(op));
    } catch (e) {
      if ((e as { code?: unknown }).code === "SQLITE_CONSTRAINT_PRIMARYKEY") {
        throw new CourierError("COURIER__CONFLICT", `op ${op.id} already exists`, { id: op.id }, { cause: e });
      }
      throw e;
    }
    if (row) return { op: rowToOp(row), created: true };
    // Only the idempotency key can make the insert do nothing.
    const first = byKey.get(op.idempotency_key as string) as OpRow;
    return { op: rowToOp(first), created: false };
  });
  return (op) => tx.immediate(op);
}
