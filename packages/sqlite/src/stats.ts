import { assembleStoreStats, type CrankControl, getStatsTickLimit, INSTANCE_LIVE_MS, LATENCY_SAMPLE, type OpStatus, type StoreStats, type TickRow } from "@courier/agent";
import type { Db } from "./db.js";

/**
 * The store part of the stats object (CONTRACT.md), read in one snapshot. Every query is an
 * index lookup, a bounded sample or a read of the running totals (op_counts kept by triggers,
 * attempt_totals kept beside each attempt row), so the cost does not grow with the store. The
 * counting rules live in ../store-stats.ts, shared with the PostgreSQL store.
 */
export function createStats(db: Db, getControl: () => CrankControl): (args: { ticks: number; now: number }) => StoreStats {
  const instances = db.prepare<[number], { id: string; started_at: number; last_tick_at: number | null; in_flight: number }>(
    "SELECT id, started_at, last_tick_at, in_flight FROM instances WHERE last_seen_at >= ? ORDER BY id",
  );
  const byStatus = db.prepare<[], { status: OpStatus; n: number }>("SELECT status, n FROM op_counts");
  const outcomeTotals = db.prepare<[], { action: string; outcome: string; n: number }>("SELECT action, outcome, n FROM attempt_totals");
  const failedByAction = db.prepare<[], { action: string; n: number }>(
    "SELECT action, COUNT(*) AS n FROM ops WHERE status IN ('failed', 'dead') GROUP BY action",
  );
  // Newest attempts by rowid, stopping at the limit; `+outcome` keeps the planner off the outcome
  // index, which would sort the whole history first.
  const sample = db.prepare<[number], { action: string; latency_ms: number }>(`
    SELECT action, latency_ms FROM attempts WHERE +outcome IN ('ok', 'retryable', 'permanent') ORDER BY id DESC LIMIT ?`);
  const ticks = db.prepare<[number], TickRow>("SELECT * FROM ticks ORDER BY started_at DESC, id DESC LIMIT ?");
  const lastTick = db.prepare<[], { t: number | null }>(
    "SELECT MAX(COALESCE((SELECT MAX(started_at) FROM ticks), 0), COALESCE((SELECT MAX(last_tick_at) FROM instances), 0)) AS t",
  );
  const lastEnded = db.prepare<[string], { t: number | null }>("SELECT MAX(ended_at) AS t FROM attempts WHERE outcome = ?");

  const read = db.transaction(
    (a: { ticks: number; now: number }): StoreStats =>
      assembleStoreStats({
        opCounts: byStatus.all(),
        outcomeTotals: outcomeTotals.all(),
        failedByAction: failedByAction.all(),
        latencySample: sample.all(LATENCY_SAMPLE),
        instances: instances.all(a.now - INSTANCE_LIVE_MS),
        ticks: ticks.all(getStatsTickLimit(a.ticks)),
        lastTickAt: lastTick.get()?.t ?? null,
        lastOkAt: lastEnded.get("ok")?.t ?? null,
        lastRetryableAt: lastEnded.get("retryable")?.t ?? null,
        lastPermanentAt: lastEnded.get("permanent")?.t ?? null,
        control: getControl(),
      }),
  );
  return (a) => read.deferred(a);
}
