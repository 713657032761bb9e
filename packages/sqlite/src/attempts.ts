import { type AttemptRecord, CourierError } from "@courier/agent";
import type { Db } from "./db.js";
import { type AttemptRow, rowToAttempt } from "./row-mapping.js";

/**
 * Insert one attempt row and bump its outcome total. Must run inside the caller's transaction
 * (finishAttempt, recordAttempt) so the history and the totals never disagree.
 */
export function createInsertAttempt(db: Db): (a: AttemptRecord) => void {
  const insert = db.prepare(`
    INSERT INTO attempts (op_id, run, attempt, instance, action, started_at, ended_at, outcome, error_code, error, signature, latency_ms)
    VALUES (@op_id, @run, @attempt, @instance, @action, @started_at, @ended_at, @outcome, @error_code, @error, @signature, @latency_ms)`);
  const bump = db.prepare<[string, string]>(`
    INSERT INTO attempt_totals (action, outcome, n) VALUES (?, ?, 1)
    ON CONFLICT (action, outcome) DO UPDATE SET n = n + 1`);
  return (a) => {
    try {
      insert.run({ ...a, latency_ms: Math.max(0, Math.round(a.latency_ms)) });
    } catch (e) {
      if ((e as { code?: unknown }).code === "SQLITE_CONSTRAINT_FOREIGNKEY") {
        throw new CourierError("COURIER__NOT_FOUND", `no op ${a.op_id} for this attempt`, { op_id: a.op_id }, { cause: e });
      }
      throw e;
    }
    bump.run(a.action, a.outcome);
  };
}

/** Record a run skipped by the misfire policy or expired (history only, op untouched). */
export function createRecordAttempt(db: Db): (a: AttemptRecord) => void {
  const insertAttempt = createInsertAttempt(db);
  const tx = db.transaction((a: AttemptRecord) => insertAttempt(a));
  return (a) => tx.immediate(a);
}

export function createGetAttempts(db: Db): (op_id: string) => AttemptRecord[] {
  const select = db.prepare<[string], AttemptRow>(`
    SELECT op_id, run, attempt, instance, action, started_at, ended_at, outcome, error_code, error, signature, latency_ms
    FROM attempts WHERE op_id = ? ORDER BY run, attempt, id`);
  return (op_id) => select.all(op_id).map(rowToAttempt);
}
