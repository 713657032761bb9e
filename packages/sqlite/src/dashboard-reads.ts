import type { CountAttemptOutcomesArgs, ListDueOpsArgs, Op, OutcomeCount } from "@courier/agent";
import type { Db } from "./db.js";
import { type OpRow, rowToOp } from "./row-mapping.js";

/** Outcomes the dashboard charts (a "missed" or "expired" run is not an attempt that ran). */
const CHARTED = "('ok', 'retryable', 'permanent', 'infra', 'ambiguous')";

/**
 * The dashboard's reads, each served by an index so a page costs the same with a million ops:
 * due ops through the partial due index, an op by key through its unique index, attempt
 * outcomes per time bucket through attempts(outcome, ended_at).
 */
export function createDashboardReads(db: Db) {
  const due = db.prepare<[number, number], OpRow>(
    "SELECT * FROM ops INDEXED BY ops_due WHERE status = 'pending' AND next_exec <= ? ORDER BY next_exec, id LIMIT ?",
  );
  const byKey = db.prepare<[string], OpRow>("SELECT * FROM ops WHERE idempotency_key = ?");
  const outcomes = db.prepare<{ since: number; until: number; bucket_ms: number }, { bucket: number; outcome: string; n: number }>(`
    SELECT CAST(@since + CAST((ended_at - @since) / @bucket_ms AS INTEGER) * @bucket_ms AS INTEGER) AS bucket, outcome, COUNT(*) AS n
    FROM attempts WHERE outcome IN ${CHARTED} AND ended_at >= @since AND ended_at < @until
    GROUP BY outcome, bucket`);
  return {
    listDueOps: (a: ListDueOpsArgs): Op[] => due.all(a.until, a.limit).map(rowToOp),
    getOpByIdempotencyKey: (key: string): Op | null => {
      const row = byKey.get(key);
      return row ? rowToOp(row) : null;
    },
    countAttemptOutcomes: (a: CountAttemptOutcomesArgs): OutcomeCount[] =>
      outcomes.all({ since: Math.floor(a.since), until: Math.floor(a.until), bucket_ms: Math.max(1, Math.floor(a.bucket_ms)) }),
  };
}
