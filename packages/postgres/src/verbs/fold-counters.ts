import type { Db } from "../db/db.js";

/**
 * Fold the appended count deltas (op_count_deltas, attempt_total_deltas) into their running
 * totals. Readers sum totals + deltas, so folding never changes what they see; it only keeps the
 * delta tables short. One folder at a time (a try-lock: a second caller skips instead of
 * queueing or deadlocking on the total rows). DELETE … RETURNING moves each delta row exactly once.
 */
export async function foldCounters(db: Db): Promise<boolean> {
  return db.tx(async (q) => {
    const { rows } = await q.query<{ locked: boolean }>("SELECT pg_try_advisory_xact_lock(hashtext('courier.fold_counters.' || current_schema())) AS locked");
    if (!rows[0]?.locked) return false;
    await q.query(`
      WITH moved AS (DELETE FROM op_count_deltas RETURNING status, n),
      agg AS (SELECT status, SUM(n) AS n FROM moved GROUP BY status)
      UPDATE op_counts c SET n = c.n + agg.n FROM agg WHERE c.status = agg.status`);
    await q.query(`
      WITH moved AS (DELETE FROM attempt_total_deltas RETURNING action, outcome, n),
      agg AS (SELECT action, outcome, SUM(n) AS n FROM moved GROUP BY action, outcome)
      INSERT INTO attempt_totals (action, outcome, n) SELECT action, outcome, n FROM agg
      ON CONFLICT (action, outcome) DO UPDATE SET n = attempt_totals.n + excluded.n`);
    return true;
  });
}
