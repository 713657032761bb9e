import { type CrankControl, OP_STATUSES, type OpStatus, type StoreStats, summarizeLatencies as summarize } from "@courier/agent";
import type { Db, Queryable } from "../db/db.js";
import { toIso } from "../db/row-mapping.js";
import { foldCounters } from "./fold-counters.js";

/** Latency percentiles are computed over this many most recent attempts, so stats cost is bounded. */
export const LATENCY_SAMPLE = 10_000;
/** An instance counts as live when it heartbeat within this window (2× a 30 s heartbeat). */
export const INSTANCE_LIVE_MS = 60_000;
/** Fold count deltas before reading once this many have piled up. */
const FOLD_THRESHOLD = 1_000;

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
 * The store part of the stats object (CONTRACT.md), read in one REPEATABLE READ snapshot, with
 * the SQLite store's counting rules:
 * - totals.succeeded / retried / missed: attempt outcomes ok / retryable / missed (a recurring op
 *   succeeds once per run); failed / dead / expired / cancelled: ops in those statuses.
 * - by_action.failed: ops of that action that ended failed or dead.
 * - latency: attempts ending ok / retryable / permanent, most recent LATENCY_SAMPLE.
 * Running counts are totals + not-yet-folded deltas, so the cost does not grow with the store.
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
  const ops_by_status = Object.fromEntries(OP_STATUSES.map((s) => [s, 0])) as Record<OpStatus, number>;
  const byStatus = await q.query<{ status: OpStatus; n: number }>(
    "SELECT status, SUM(n) AS n FROM (SELECT status, n FROM op_counts UNION ALL SELECT status, n FROM op_count_deltas) t GROUP BY status",
  );
  for (const r of byStatus.rows) if (r.status in ops_by_status) ops_by_status[r.status] = r.n;

  const outcomes: Record<string, number> = { ok: 0, retryable: 0, missed: 0 };
  const by_action: StoreStats["by_action"] = {};
  const actionEntry = (action: string) => {
    by_action[action] ??= { succeeded: 0, failed: 0, p50_ms: null, p95_ms: null };
    return by_action[action];
  };
  const totals = await q.query<{ action: string; outcome: string; n: number }>(
    `SELECT action, outcome, SUM(n) AS n FROM (
       SELECT action, outcome, n FROM attempt_totals UNION ALL SELECT action, outcome, n FROM attempt_total_deltas
     ) t GROUP BY action, outcome ORDER BY action, outcome`,
  );
  for (const r of totals.rows) {
    outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + r.n;
    if (r.outcome === "ok") actionEntry(r.action).succeeded += r.n;
  }
  const failed = await q.query<{ action: string; n: number }>("SELECT action, COUNT(*) AS n FROM ops WHERE status IN ('failed', 'dead') GROUP BY action ORDER BY action");
  for (const r of failed.rows) actionEntry(r.action).failed += r.n;

  const sample = await q.query<{ action: string; latency_ms: number }>(
    "SELECT action, latency_ms FROM attempts WHERE outcome IN ('ok', 'retryable', 'permanent') ORDER BY id DESC LIMIT $1",
    [LATENCY_SAMPLE],
  );
  const perAction = new Map<string, number[]>();
  for (const r of sample.rows) {
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

  const instances = await q.query<{ id: string; started_at: number; last_tick_at: number | null; in_flight: number }>(
    "SELECT id, started_at, last_tick_at, in_flight FROM instances WHERE last_seen_at >= $1 ORDER BY id",
    [a.now - INSTANCE_LIVE_MS],
  );
  const tickLimit = Number.isFinite(a.ticks) ? Math.max(0, Math.min(1000, Math.floor(a.ticks))) : 0;
  const ticks = await q.query<TickRow>("SELECT * FROM ticks ORDER BY started_at DESC, id DESC LIMIT $1", [tickLimit]);
  const times = await q.query<{ last_tick: number; last_ok: number | null; last_retryable: number | null; last_permanent: number | null }>(`
    SELECT GREATEST(COALESCE((SELECT MAX(started_at) FROM ticks), 0), COALESCE((SELECT MAX(last_tick_at) FROM instances), 0)) AS last_tick,
      (SELECT MAX(ended_at) FROM attempts WHERE outcome = 'ok') AS last_ok,
      (SELECT MAX(ended_at) FROM attempts WHERE outcome = 'retryable') AS last_retryable,
      (SELECT MAX(ended_at) FROM attempts WHERE outcome = 'permanent') AS last_permanent`);
  const t = times.rows[0] as { last_tick: number; last_ok: number | null; last_retryable: number | null; last_permanent: number | null };
  const lastFailure = Math.max(t.last_retryable ?? 0, t.last_permanent ?? 0);

  return {
    instances: instances.rows.map((r) => ({
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
    latency_ms: summarize(sample.rows.map((r) => r.latency_ms)),
    by_action,
    ticks: ticks.rows.map((r) => ({ ...r, started_at: toIso(r.started_at) as string })),
    last_tick_at: t.last_tick > 0 ? toIso(t.last_tick) : null,
    last_success_at: toIso(t.last_ok),
    last_failure_at: lastFailure > 0 ? toIso(lastFailure) : null,
    control: await getControl(q),
  };
}
