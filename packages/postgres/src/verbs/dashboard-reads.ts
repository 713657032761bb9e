import type { CountAttemptOutcomesArgs, ListDueOpsArgs, Op, OutcomeCount } from "@courier/agent";
import type { Db } from "../db/db.js";
import { type OpRow, rowToOp } from "../db/row-mapping.js";

const CHARTED = ["ok", "retryable", "permanent", "infra", "ambiguous"];

/**
 * The dashboard's reads, each served by an index (see the SQLite twin): due ops through the
 * partial due index, an op by key through its unique index, attempt outcomes per time bucket
 * through attempts(outcome, ended_at).
 */
export function createDashboardReads(db: Db) {
  return {
    async listDueOps(a: ListDueOpsArgs): Promise<Op[]> {
      const { rows } = await db.pool.query<OpRow>(
        "SELECT * FROM ops WHERE status = 'pending' AND next_exec <= $1 ORDER BY next_exec, id LIMIT $2",
        [a.until, a.limit],
      );
      return rows.map(rowToOp);
    },
    async getOpByIdempotencyKey(key: string): Promise<Op | null> {
      const { rows } = await db.pool.query<OpRow>("SELECT * FROM ops WHERE idempotency_key = $1", [key]);
      return rows[0] ? rowToOp(rows[0]) : null;
    },
    async countAttemptOutcomes(a: CountAttemptOutcomesArgs): Promise<OutcomeCount[]> {
      const since = Math.floor(a.since);
      const bucketMs = Math.max(1, Math.floor(a.bucket_ms));
      const { rows } = await db.pool.query<{ bucket: string; outcome: string; n: string }>(
        `SELECT $1::bigint + ((ended_at - $1::bigint) / $3::bigint) * $3::bigint AS bucket, outcome, COUNT(*) AS n
         FROM attempts WHERE outcome = ANY($4::text[]) AND ended_at >= $1::bigint AND ended_at < $2::bigint
         GROUP BY outcome, bucket`,
        [since, Math.floor(a.until), bucketMs, CHARTED],
      );
      return rows.map((r) => ({ bucket: Number(r.bucket), outcome: r.outcome, n: Number(r.n) }));
    },
  };
}
