import { assembleStoreStats, type CrankControl, getStatsTickLimit, INSTANCE_LIVE_MS, LATENCY_SAMPLE, type OpStatus, type StoreStats, type TickRow } from "@courier/agent";
import type { Db, Queryable } from "../db/db.js";
import { foldCounters } from "./fold-counters.js";

/** Fold count deltas before reading once this many have piled up. */
const FOLD_THRESHOLD = 1_000;

/**
 * The store part of the stats object (CONTRACT.md), read in one REPEATABLE READ snapshot and
 * counted by the agent's shared rules (assembleStoreStats). Running counts are totals + not-yet-folded deltas, so the cost does not grow with the store.
 */
export function createStats(
  db: Db,
  getControl: (q: Queryable) => Promise<CrankControl>,
): (args: { ticks: number; now: number }) => Promise<StoreStats> {
  return async (a) => {
    const pending = await db.pool.query<{ n: number }>(
      "SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM op_count_deltas LIMIT $1) d) + (SELECT COUNT(*) FROM (SELECT 1 FROM attempt_total_deltas LIMIT $1) e) AS n",
      [FOLD_THRESHOLD],
    );
    if ((pending.rows[0]?.n ?? 0) >= FOLD_THRESHOLD) await foldCounters(db);
    return db.tx((q) => readStats(q, a, getControl), { isolation: "repeatable read", readOnly: true });
  };
}

async function readStats(q: Queryable, a: { ticks: number; now: number }, getControl: (q: Queryable) => Promise<CrankControl>): Promise<StoreStats> {
  const byStatus = await q.query<{ status: OpStatus; n: number }>(
    "SELECT status, SUM(n) AS n FROM (SELECT status, n FROM op_counts UNION ALL SELECT status, n FROM op_count_deltas) t GROUP BY status",
  );
  const totals = await q.query<{ action: string; outcome: string; n: number }>(
    `SELECT action, outcome, SUM(n) AS n FROM (
       SELECT action, outcome, n FROM attempt_totals UNION ALL SELECT action, outcome, n FROM attempt_total_deltas
     ) t GROUP BY action, outcome ORDER BY action, outcome`,
  );
  const failed = await q.query<{ action: string; n: number }>("SELECT action, COUNT(*) AS n FROM ops WHERE status IN ('failed', 'dead') GROUP BY action ORDER BY action");
  const sample = await q.query<{ action: string; latency_ms: number }>(
    "SELECT action, latency_ms FROM attempts WHERE outcome IN ('ok', 'retryable', 'permanent') ORDER BY id DESC LIMIT $1",
    [LATENCY_SAMPLE],
  );
  const instances = await q.query<{ id: string; started_at: number; last_tick_at: number | null; in_flight: number }>(
    "SELECT id, started_at, last_tick_at, in_flight FROM instances WHERE last_seen_at >= $1 ORDER BY id",
    [a.now - INSTANCE_LIVE_MS],
  );
  const ticks = await q.query<TickRow>("SELECT * FROM ticks ORDER BY started_at DESC, id DESC LIMIT $1", [getStatsTickLimit(a.ticks)]);
  const times = await q.query<{ last_tick: number; last_ok: number | null; last_retryable: number | null; last_permanent: number | null }>(`
    SELECT GREATEST(COALESCE((SELECT MAX(started_at) FROM ticks), 0), COALESCE((SELECT MAX(last_tick_at) FROM instances), 0)) AS last_tick,
      (SELECT MAX(ended_at) FROM attempts WHERE outcome = 'ok') AS last_ok,
      (SELECT MAX(ended_at) FROM attempts WHERE outcome = 'retryable') AS last_retryable,
      (SELECT MAX(ended_at) FROM attempts WHERE outcome = 'permanent') AS last_permanent`);
  const t = times.rows[0];
  return assembleStoreStats({
    opCounts: byStatus.rows,
    outcomeTotals: totals.rows,
    failedByAction: failed.rows,
    latencySample: sample.rows,
    instances: instances.rows,
    ticks: ticks.rows,
    lastTickAt: t?.last_tick ?? null,
    lastOkAt: t?.last_ok ?? null,
    lastRetryableAt: t?.last_retryable ?? null,
    lastPermanentAt: t?.last_permanent ?? null,
    control: await getControl(q),
  });
}
