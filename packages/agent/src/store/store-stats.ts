/**
 * The counting rules of the stats object (CONTRACT.md), shared by every store: each store reads
 * the raw rows its own way (SQLite trigger-kept counters, PostgreSQL totals + deltas) and this
 * turns them into `StoreStats`, so the two cannot count differently.
 * - totals.succeeded / retried / missed: attempt outcomes ok / retryable / missed (a recurring op
 *   succeeds once per run); failed / dead / expired / cancelled: ops in those statuses.
 * - by_action.failed: ops of that action that ended failed or dead.
 * - latency: the most recent LATENCY_SAMPLE attempts ending ok / retryable / permanent.
 */
import { toIso } from "../serialize/op-json.js";
import { type CrankControl, type LatencySummary, OP_STATUSES, type OpStatus, type StoreStats, type TickSummary } from "../types.js";

/** Latency percentiles are computed over this many most recent attempts, so stats cost is bounded. */
export const LATENCY_SAMPLE = 10_000;
/** An instance counts as live when it heartbeat within this window (2× a 30 s heartbeat). */
export const INSTANCE_LIVE_MS = 60_000;
/** Most ticks one stats call returns. */
export const MAX_STATS_TICKS = 1_000;

/** A `ticks` row: a TickSummary as it was recorded. */
export type TickRow = TickSummary;

export interface RawStoreStats {
  opCounts: Array<{ status: OpStatus; n: number }>;
  outcomeTotals: Array<{ action: string; outcome: string; n: number }>;
  failedByAction: Array<{ action: string; n: number }>;
  /** Newest first, at most LATENCY_SAMPLE rows. */
  latencySample: Array<{ action: string; latency_ms: number }>;
  /** Live instances (seen within INSTANCE_LIVE_MS), ordered by id. */
  instances: Array<{ id: string; started_at: number; last_tick_at: number | null; in_flight: number }>;
  /** Newest first. */
  ticks: TickRow[];
  lastTickAt: number | null;
  lastOkAt: number | null;
  lastRetryableAt: number | null;
  lastPermanentAt: number | null;
  control: CrankControl;
}

/** The `ticks` argument of stats() as a row limit: 0..MAX_STATS_TICKS. */
export function getStatsTickLimit(ticks: number): number {
  return Number.isFinite(ticks) ? Math.max(0, Math.min(MAX_STATS_TICKS, Math.floor(ticks))) : 0;
}

export function assembleStoreStats(raw: RawStoreStats): StoreStats {
  const ops_by_status = Object.fromEntries(OP_STATUSES.map((s) => [s, 0])) as Record<OpStatus, number>;
  for (const r of raw.opCounts) if (r.status in ops_by_status) ops_by_status[r.status] += r.n;

  const outcomes: Record<string, number> = { ok: 0, retryable: 0, missed: 0 };
  const by_action: StoreStats["by_action"] = {};
  const actionEntry = (action: string) => {
    by_action[action] ??= { succeeded: 0, failed: 0, p50_ms: null, p95_ms: null };
    return by_action[action];
  };
  for (const r of raw.outcomeTotals) {
    outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + r.n;
    if (r.outcome === "ok") actionEntry(r.action).succeeded += r.n;
  }
  for (const r of raw.failedByAction) actionEntry(r.action).failed += r.n;

  const perAction = new Map<string, number[]>();
  for (const r of raw.latencySample) {
    const list = perAction.get(r.action);
    if (list) list.push(r.latency_ms);
    else perAction.set(r.action, [r.latency_ms]);
  }
  for (const [action, list] of perAction) {
    const s = summarizeLatencies(list);
    const entry = actionEntry(action);
    entry.p50_ms = s.p50;
    entry.p95_ms = s.p95;
  }

  const lastFailure = Math.max(raw.lastRetryableAt ?? 0, raw.lastPermanentAt ?? 0);
  return {
    instances: raw.instances.map((r) => ({ id: r.id, started_at: toIso(r.started_at), last_tick_at: toIso(r.last_tick_at), in_flight: r.in_flight })),
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
    latency_ms: summarizeLatencies(raw.latencySample.map((r) => r.latency_ms)),
    by_action,
    ticks: raw.ticks.map((t) => ({ ...t, started_at: toIso(t.started_at) })),
    last_tick_at: (raw.lastTickAt ?? 0) > 0 ? toIso(raw.lastTickAt) : null,
    last_success_at: toIso(raw.lastOkAt),
    last_failure_at: lastFailure > 0 ? toIso(lastFailure) : null,
    control: raw.control,
  };
}

/** Nearest-rank percentiles (every store uses this definition). */
export function summarizeLatencies(values: number[]): LatencySummary {
  if (values.length === 0) return { p50: null, p95: null, p99: null, max: null, count: 0 };
  const sorted = [...values].sort((x, y) => x - y);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] as number;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted[sorted.length - 1] as number, count: sorted.length };
}
