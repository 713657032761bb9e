/** Everything the overview shows, read in one go (each read is an index lookup or a running total). */
import type { AlertRecord, StoreStats } from "@courier/agent";
import { resolveCrankState } from "../crank-state.js";
import { getUtcDay } from "../iso-time.js";
import { getReadiness, type Readiness } from "../readiness.js";
import { getRpcHealth } from "../rpc-health.js";
import type { AdminDeps, CrankState, RpcEndpointHealth } from "../types.js";
import type { OutcomeBucket } from "./chart.js";
import { createOutcomeBuckets } from "./outcome-buckets.js";
import { listUpcomingRuns, type UpcomingRun } from "./upcoming-runs.js";

export interface OverviewData {
  now: number;
  state: CrankState;
  readiness: Readiness;
  stats: StoreStats;
  rpc: RpcEndpointHealth[];
  /** The RPC pool's send window (null without a pool). */
  sendWindow: { size: number; open: number } | null;
  spend: { today: number; cap: number | null };
  alerts: AlertRecord[];
  upcoming: UpcomingRun[];
  lastHour: OutcomeBucket[];
  lastDay: OutcomeBucket[];
}

export type OverviewLoader = () => Promise<OverviewData>;

export function createOverviewLoader(deps: AdminDeps): OverviewLoader {
  const count = (args: { since: number; until: number; bucket_ms: number }) => deps.store.countAttemptOutcomes(args);
  // one series of 5-minute buckets over 25 h feeds both charts: each render counts only the open
  // 5-minute buckets (the hourly chart's current hour is the sum of its closed 5-minute ones)
  const fine = createOutcomeBuckets({ bucketMs: FINE_MS, buckets: 25 * 12, count });

  return async () => {
    const now = deps.clock.now();
    const [stats, today, alerts, readiness, upcoming, series] = await Promise.all([
      deps.store.stats({ ticks: 1, now }),
      deps.store.spendToday({ day: getUtcDay(now) }),
      deps.store.getAlerts(),
      getReadiness(deps),
      listUpcomingRuns(deps, { from: now, until: now + 86_400_000, limit: 10 }),
      fine(now),
    ]);
    return {
      now,
      state: resolveCrankState(stats.control, deps.crankState?.()),
      readiness,
      stats,
      rpc: getRpcHealth(deps),
      sendWindow: deps.sendWindow?.() ?? null,
      spend: { today, cap: deps.spendCapPerDay ?? null },
      alerts: alerts.filter((a) => a.state === "firing"),
      upcoming,
      lastHour: series.slice(-12),
      lastDay: sumByHour(series).slice(-24),
    };
  };
}

const FINE_MS = 5 * 60_000;

/** 5-minute buckets summed into hours (oldest first). */
export function sumByHour(series: OutcomeBucket[]): OutcomeBucket[] {
  const hours = new Map<number, OutcomeBucket>();
  for (const b of series) {
    const start = Math.floor(b.start / 3_600_000) * 3_600_000;
    const h = hours.get(start) ?? { start, ok: 0, failed: 0, retried: 0 };
    h.ok += b.ok;
    h.failed += b.failed;
    h.retried += b.retried;
    hours.set(start, h);
  }
  return [...hours.values()].sort((a, b) => a.start - b.start);
}
