import { OP_STATUSES, type CrankControl, type LatencySummary, type OpStatus, type StoreStats } from "../../types.js";
import type { Db } from "./db.js";
import { toIso } from "./row-mapping.js";

/** Latency percentiles are computed over this many most recent attempts, so stats cost is bounded. */
export const LATENCY_SAMPLE = 10_000;
/** An instance counts as live when it heartbeat within this window (2× a 30 s heartbeat). */
export const INSTANCE_LIVE_MS = 60_000;

interface TickRow {
  id: string;
  instance: string;
  started_at: number;
  duration_ms: number;
  claimed: number;
  succeeded: number;
  failed: number;
  retried: number;
  skipped_in_flight: number;
}

/**
 * The store part of the stats object (CONTRACT.md), read in one snapshot. Every query is an
 * index lookup, a bounded sample or a read of the running totals (op_counts kept by triggers,
 * attempt_totals kept beside each attempt row), so the cost does not grow with the store:
 * - totals.succeeded / retried / missed: attempt outcomes ok / retryable / missed (a recurring op
 *   succeeds once per run); failed / dead / expired / cancelled: ops in those statuses.
 * - by_action.failed: ops of that action that ended failed or dead.
 * - latency: attempts ending ok / retryable / permanent, most recent LATENCY_SAMPLE.
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

  const read = db.transaction((a: { ticks: number; now: number }): StoreStats => {
    const ops_by_status = Object.fromEntries(OP_STATUSES.map((s) => [s, 0])) as Record<OpStatus, number>;
    for (const r of byStatus.all()) ops_by_status[r.status] = r.n;

    const outcomes = { ok: 0, retryable: 0, missed: 0 } as Record<string, number>;
    const by_action: StoreStats["by_action"] = {};
    const actionEntry = (action: string) => {
      by_action[action] ??= { succeeded: 0, failed: 0, p50_ms: null, p95_ms: null };
      return by_action[action];
    };
    for (const r of outcomeTotals.all()) {
      outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + r.n;
      if (r.outcome === "ok") actionEntry(r.action).succeeded += r.n;
    }
    for (const r of failedByAction.all()) actionEntry(r.action).failed += r.n;

    const rows = sample.all(LATENCY_SAMPLE);
    const perAction = new Map<string, number[]>();
    for (const r of rows) {
      const list = perAction.get(r.action);
      if (list) list.push(r.latency_ms);
      else perAction.set(r.action, [r.latency_ms]);
    }
    for (const [action, list] of perAction) {
      const s = summarize(list);
      const entry = actionEntry(action);
      entry.p50_ms = s.p50;
      entry.p95_ms = s.p95;
    }

    const lastTickAt = lastTick.get()?.t ?? 0;
    const lastFailure = Math.max(lastEnded.get("retryable")?.t ?? 0, lastEnded.get("permanent")?.t ?? 0);
    return {
      instances: instances.all(a.now - INSTANCE_LIVE_MS).map((r) => ({
        id: r.id,
        started_at: toIso(r.started_at) as string,
        last_tick_at: toIso(r.last_tick_at),
        in_flight: r.in_flight,
      })),
      totals: {
        succeeded: outcomes.ok ?? 0,
        failed: ops_by_status.failed,
        retried: outcomes.retryable ?? 0,
        dead: ops_by_status.dead,
        expired: ops_by_status.expired,
        missed: outcomes.missed ?? 0,
        cancelled: ops_by_status.cancelled,
      },
      ops_by_status,
      latency_ms: summarize(rows.map((r) => r.latency_ms)),
      by_action,
      ticks: ticks.all(Number.isFinite(a.ticks) ? Math.max(0, Math.min(1000, Math.floor(a.ticks))) : 0).map((t) => ({ ...t, started_at: toIso(t.started_at) as string })),
      last_tick_at: lastTickAt > 0 ? toIso(lastTickAt) : null,
      last_success_at: toIso(lastEnded.get("ok")?.t ?? null),
      last_failure_at: lastFailure > 0 ? toIso(lastFailure) : null,
      control: getControl(),
    };
  });
  return (a) => read.deferred(a);
}

/** Nearest-rank percentiles (every store uses this definition). */
export function summarize(values: number[]): LatencySummary {
  if (values.length === 0) return { p50: null, p95: null, p99: null, max: null, count: 0 };
  const sorted = [...values].sort((x, y) => x - y);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] as number;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted[sorted.length - 1] as number, count: sorted.length };
}
